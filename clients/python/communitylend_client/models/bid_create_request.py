from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="BidCreateRequest")


@_attrs_define
class BidCreateRequest:
    """
    Attributes:
        loan_id (int):
        amount (float | str):  Example: 100.00.
        rate (float | str):  Example: 36.0000.
    """

    loan_id: int
    amount: float | str
    rate: float | str

    def to_dict(self) -> dict[str, Any]:
        loan_id = self.loan_id

        amount: float | str
        amount = self.amount

        rate: float | str
        rate = self.rate

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "loanId": loan_id,
                "amount": amount,
                "rate": rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        loan_id = d.pop("loanId")

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))

        def _parse_rate(data: object) -> float | str:
            return cast(float | str, data)

        rate = _parse_rate(d.pop("rate"))

        bid_create_request = cls(
            loan_id=loan_id,
            amount=amount,
            rate=rate,
        )

        return bid_create_request
