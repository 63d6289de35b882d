from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="MaxRateRequest")


@_attrs_define
class MaxRateRequest:
    """
    Attributes:
        interest_rate (float | str):  Example: 36.0000.
    """

    interest_rate: float | str

    def to_dict(self) -> dict[str, Any]:
        interest_rate: float | str
        interest_rate = self.interest_rate

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "interestRate": interest_rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_interest_rate(data: object) -> float | str:
            return cast(float | str, data)

        interest_rate = _parse_interest_rate(d.pop("interestRate"))

        max_rate_request = cls(
            interest_rate=interest_rate,
        )

        return max_rate_request
