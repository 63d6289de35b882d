from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PayoffResponse")


@_attrs_define
class PayoffResponse:
    """
    Attributes:
        payoff_amount (str):
        principal (str):
        interest (str):
        fees (str):
    """

    payoff_amount: str
    principal: str
    interest: str
    fees: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        payoff_amount = self.payoff_amount

        principal = self.principal

        interest = self.interest

        fees = self.fees

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "payoffAmount": payoff_amount,
                "principal": principal,
                "interest": interest,
                "fees": fees,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        payoff_amount = d.pop("payoffAmount")

        principal = d.pop("principal")

        interest = d.pop("interest")

        fees = d.pop("fees")

        payoff_response = cls(
            payoff_amount=payoff_amount,
            principal=principal,
            interest=interest,
            fees=fees,
        )

        payoff_response.additional_properties = d
        return payoff_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
