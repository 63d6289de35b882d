from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.apply_to_enum import ApplyToEnum
from ..models.method_enum import MethodEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ScheduleRequestRequest")


@_attrs_define
class ScheduleRequestRequest:
    """
    Attributes:
        loan_id (int):
        amount (float | str):  Example: 100.00.
        payment_date (datetime.date):
        idempotency_key (str | Unset):
        apply_to (ApplyToEnum | Unset): * `installment` - Next installment, then principal
            * `principal` - Extra principal Default: ApplyToEnum.INSTALLMENT.
        method (MethodEnum | Unset): * `wallet` - Wallet cash
            * `bank_debit` - Bank debit Default: MethodEnum.WALLET.
    """

    loan_id: int
    amount: float | str
    payment_date: datetime.date
    idempotency_key: str | Unset = UNSET
    apply_to: ApplyToEnum | Unset = ApplyToEnum.INSTALLMENT
    method: MethodEnum | Unset = MethodEnum.WALLET

    def to_dict(self) -> dict[str, Any]:
        loan_id = self.loan_id

        amount: float | str
        amount = self.amount

        payment_date = self.payment_date.isoformat()

        idempotency_key = self.idempotency_key

        apply_to: str | Unset = UNSET
        if not isinstance(self.apply_to, Unset):
            apply_to = self.apply_to.value

        method: str | Unset = UNSET
        if not isinstance(self.method, Unset):
            method = self.method.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "loanId": loan_id,
                "amount": amount,
                "paymentDate": payment_date,
            }
        )
        if idempotency_key is not UNSET:
            field_dict["idempotencyKey"] = idempotency_key
        if apply_to is not UNSET:
            field_dict["applyTo"] = apply_to
        if method is not UNSET:
            field_dict["method"] = method

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        loan_id = d.pop("loanId")

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))

        payment_date = datetime.date.fromisoformat(d.pop("paymentDate"))

        idempotency_key = d.pop("idempotencyKey", UNSET)

        _apply_to = d.pop("applyTo", UNSET)
        apply_to: ApplyToEnum | Unset
        if isinstance(_apply_to, Unset):
            apply_to = UNSET
        else:
            apply_to = ApplyToEnum(_apply_to)

        _method = d.pop("method", UNSET)
        method: MethodEnum | Unset
        if isinstance(_method, Unset):
            method = UNSET
        else:
            method = MethodEnum(_method)

        schedule_request_request = cls(
            loan_id=loan_id,
            amount=amount,
            payment_date=payment_date,
            idempotency_key=idempotency_key,
            apply_to=apply_to,
            method=method,
        )

        return schedule_request_request
