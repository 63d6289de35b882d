from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.loan import Loan


T = TypeVar("T", bound="LoanResponse")


@_attrs_define
class LoanResponse:
    """
    Attributes:
        success (bool):
        loan (Loan): API.md's loan: the list and the detail carry the same fields.
    """

    success: bool
    loan: Loan
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        loan = self.loan.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "loan": loan,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.loan import Loan  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        loan = Loan.from_dict(d.pop("loan"))

        loan_response = cls(
            success=success,
            loan=loan,
        )

        loan_response.additional_properties = d
        return loan_response

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
