from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.source_enum import SourceEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="RecoveryRequestRequest")


@_attrs_define
class RecoveryRequestRequest:
    """
    Attributes:
        amount (float | str):  Example: 100.00.
        source (SourceEnum): * `borrower` - The borrower's payment
            * `debt_sale` - Debt sale price
        received_on (datetime.date):
        idempotency_key (str | Unset):
    """

    amount: float | str
    source: SourceEnum
    received_on: datetime.date
    idempotency_key: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amount: float | str
        amount = self.amount

        source = self.source.value

        received_on = self.received_on.isoformat()

        idempotency_key = self.idempotency_key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "source": source,
                "receivedOn": received_on,
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

        source = SourceEnum(d.pop("source"))

        received_on = datetime.date.fromisoformat(d.pop("receivedOn"))

        idempotency_key = d.pop("idempotencyKey", UNSET)

        recovery_request_request = cls(
            amount=amount,
            source=source,
            received_on=received_on,
            idempotency_key=idempotency_key,
        )

        return recovery_request_request
