from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MoveRequest")


@_attrs_define
class MoveRequest:
    """
    Attributes:
        amount (float | str):  Example: 100.00.
        idempotency_key (str | Unset):
    """

    amount: float | str
    idempotency_key: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amount: float | str
        amount = self.amount

        idempotency_key = self.idempotency_key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
            }
        )
        if idempotency_key is not UNSET:
            field_dict["idempotencyKey"] = idempotency_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))

        idempotency_key = d.pop("idempotencyKey", UNSET)

        move_request = cls(
            amount=amount,
            idempotency_key=idempotency_key,
        )

        return move_request
