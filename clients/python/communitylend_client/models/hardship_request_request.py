from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="HardshipRequestRequest")


@_attrs_define
class HardshipRequestRequest:
    """
    Attributes:
        type_ (str):
        months (int):
        reason (str):
    """

    type_: str
    months: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        months = self.months

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "months": months,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type")

        months = d.pop("months")

        reason = d.pop("reason")

        hardship_request_request = cls(
            type_=type_,
            months=months,
            reason=reason,
        )

        return hardship_request_request
