from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ExpectedReturn")


@_attrs_define
class ExpectedReturn:
    """
    Attributes:
        loan_id (int):
        rate (float):
        expected_loss_rate (float | None):
        expected_net_return (float | None):
        floor_rate (float):
        recommended_rate (float):
    """

    loan_id: int
    rate: float
    expected_loss_rate: float | None
    expected_net_return: float | None
    floor_rate: float
    recommended_rate: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        loan_id = self.loan_id

        rate = self.rate

        expected_loss_rate: float | None
        expected_loss_rate = self.expected_loss_rate

        expected_net_return: float | None
        expected_net_return = self.expected_net_return

        floor_rate = self.floor_rate

        recommended_rate = self.recommended_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "loanId": loan_id,
                "rate": rate,
                "expectedLossRate": expected_loss_rate,
                "expectedNetReturn": expected_net_return,
                "floorRate": floor_rate,
                "recommendedRate": recommended_rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        loan_id = d.pop("loanId")

        rate = d.pop("rate")

        def _parse_expected_loss_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expected_loss_rate = _parse_expected_loss_rate(d.pop("expectedLossRate"))

        def _parse_expected_net_return(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expected_net_return = _parse_expected_net_return(d.pop("expectedNetReturn"))

        floor_rate = d.pop("floorRate")

        recommended_rate = d.pop("recommendedRate")

        expected_return = cls(
            loan_id=loan_id,
            rate=rate,
            expected_loss_rate=expected_loss_rate,
            expected_net_return=expected_net_return,
            floor_rate=floor_rate,
            recommended_rate=recommended_rate,
        )

        expected_return.additional_properties = d
        return expected_return

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
