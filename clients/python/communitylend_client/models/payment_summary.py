from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PaymentSummary")


@_attrs_define
class PaymentSummary:
    """
    Attributes:
        total_paid (str):
        remaining_balance (str):
        next_payment_due (datetime.date | None):
        next_payment_amount (None | str):
    """

    total_paid: str
    remaining_balance: str
    next_payment_due: datetime.date | None
    next_payment_amount: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total_paid = self.total_paid

        remaining_balance = self.remaining_balance

        next_payment_due: None | str
        if isinstance(self.next_payment_due, datetime.date):
            next_payment_due = self.next_payment_due.isoformat()
        else:
            next_payment_due = self.next_payment_due

        next_payment_amount: None | str
        next_payment_amount = self.next_payment_amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "totalPaid": total_paid,
                "remainingBalance": remaining_balance,
                "nextPaymentDue": next_payment_due,
                "nextPaymentAmount": next_payment_amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        total_paid = d.pop("totalPaid")

        remaining_balance = d.pop("remainingBalance")

        def _parse_next_payment_due(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_payment_due_type_0 = datetime.date.fromisoformat(data)

                return next_payment_due_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        next_payment_due = _parse_next_payment_due(d.pop("nextPaymentDue"))

        def _parse_next_payment_amount(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_payment_amount = _parse_next_payment_amount(d.pop("nextPaymentAmount"))

        payment_summary = cls(
            total_paid=total_paid,
            remaining_balance=remaining_balance,
            next_payment_due=next_payment_due,
            next_payment_amount=next_payment_amount,
        )

        payment_summary.additional_properties = d
        return payment_summary

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
