from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PatchedBidUpdateRequest")


@_attrs_define
class PatchedBidUpdateRequest:
    """
    Attributes:
        amount (float | str | Unset):  Example: 100.00.
        rate (float | str | Unset):  Example: 36.0000.
    """

    amount: float | str | Unset = UNSET
    rate: float | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amount: float | str | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        rate: float | str | Unset
        if isinstance(self.rate, Unset):
            rate = UNSET
        else:
            rate = self.rate

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if amount is not UNSET:
            field_dict["amount"] = amount
        if rate is not UNSET:
            field_dict["rate"] = rate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_amount(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        def _parse_rate(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        rate = _parse_rate(d.pop("rate", UNSET))

        patched_bid_update_request = cls(
            amount=amount,
            rate=rate,
        )

        return patched_bid_update_request
