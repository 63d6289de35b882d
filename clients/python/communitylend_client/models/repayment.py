from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.apply_to_enum import ApplyToEnum
from ..models.kind_enum import KindEnum
from ..models.method_enum import MethodEnum
from ..models.repayment_status_enum import RepaymentStatusEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="Repayment")


@_attrs_define
class Repayment:
    """
    Attributes:
        id (int):
        loan_id (int):
        kind (KindEnum): * `manual` - Paid now
            * `scheduled` - Scheduled
            * `autopay` - Autopay
        status (RepaymentStatusEnum): * `scheduled` - Scheduled
            * `completed` - Completed
            * `failed` - Failed (not enough cash)
            * `cancelled` - Cancelled
            * `returned` - Returned by the bank (reversed)
        amount (str):
        created_at (datetime.datetime):
        scheduled_for (datetime.date | None | Unset):
        paid_on (datetime.date | None | Unset):
        principal (str | Unset):
        interest (str | Unset):
        late_fees (str | Unset):
        platform_fees (str | Unset):
        servicing_fees (str | Unset):
        failure_reason (str | Unset):
        apply_to (ApplyToEnum | Unset): * `installment` - Next installment, then principal
            * `principal` - Extra principal
        method (MethodEnum | Unset): * `wallet` - Wallet cash
            * `bank_debit` - Bank debit
        settles_on (datetime.date | None | Unset):
        funds_pending (bool | Unset):
        returned_on (datetime.date | None | Unset):
        return_reason (str | Unset):
    """

    id: int
    loan_id: int
    kind: KindEnum
    status: RepaymentStatusEnum
    amount: str
    created_at: datetime.datetime
    scheduled_for: datetime.date | None | Unset = UNSET
    paid_on: datetime.date | None | Unset = UNSET
    principal: str | Unset = UNSET
    interest: str | Unset = UNSET
    late_fees: str | Unset = UNSET
    platform_fees: str | Unset = UNSET
    servicing_fees: str | Unset = UNSET
    failure_reason: str | Unset = UNSET
    apply_to: ApplyToEnum | Unset = UNSET
    method: MethodEnum | Unset = UNSET
    settles_on: datetime.date | None | Unset = UNSET
    funds_pending: bool | Unset = UNSET
    returned_on: datetime.date | None | Unset = UNSET
    return_reason: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        loan_id = self.loan_id

        kind = self.kind.value

        status = self.status.value

        amount = self.amount

        created_at = self.created_at.isoformat()

        scheduled_for: None | str | Unset
        if isinstance(self.scheduled_for, Unset):
            scheduled_for = UNSET
        elif isinstance(self.scheduled_for, datetime.date):
            scheduled_for = self.scheduled_for.isoformat()
        else:
            scheduled_for = self.scheduled_for

        paid_on: None | str | Unset
        if isinstance(self.paid_on, Unset):
            paid_on = UNSET
        elif isinstance(self.paid_on, datetime.date):
            paid_on = self.paid_on.isoformat()
        else:
            paid_on = self.paid_on

        principal = self.principal

        interest = self.interest

        late_fees = self.late_fees

        platform_fees = self.platform_fees

        servicing_fees = self.servicing_fees

        failure_reason = self.failure_reason

        apply_to: str | Unset = UNSET
        if not isinstance(self.apply_to, Unset):
            apply_to = self.apply_to.value

        method: str | Unset = UNSET
        if not isinstance(self.method, Unset):
            method = self.method.value

        settles_on: None | str | Unset
        if isinstance(self.settles_on, Unset):
            settles_on = UNSET
        elif isinstance(self.settles_on, datetime.date):
            settles_on = self.settles_on.isoformat()
        else:
            settles_on = self.settles_on

        funds_pending = self.funds_pending

        returned_on: None | str | Unset
        if isinstance(self.returned_on, Unset):
            returned_on = UNSET
        elif isinstance(self.returned_on, datetime.date):
            returned_on = self.returned_on.isoformat()
        else:
            returned_on = self.returned_on

        return_reason = self.return_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "loanId": loan_id,
                "kind": kind,
                "status": status,
                "amount": amount,
                "createdAt": created_at,
            }
        )
        if scheduled_for is not UNSET:
            field_dict["scheduledFor"] = scheduled_for
        if paid_on is not UNSET:
            field_dict["paidOn"] = paid_on
        if principal is not UNSET:
            field_dict["principal"] = principal
        if interest is not UNSET:
            field_dict["interest"] = interest
        if late_fees is not UNSET:
            field_dict["lateFees"] = late_fees
        if platform_fees is not UNSET:
            field_dict["platformFees"] = platform_fees
        if servicing_fees is not UNSET:
            field_dict["servicingFees"] = servicing_fees
        if failure_reason is not UNSET:
            field_dict["failureReason"] = failure_reason
        if apply_to is not UNSET:
            field_dict["applyTo"] = apply_to
        if method is not UNSET:
            field_dict["method"] = method
        if settles_on is not UNSET:
            field_dict["settlesOn"] = settles_on
        if funds_pending is not UNSET:
            field_dict["fundsPending"] = funds_pending
        if returned_on is not UNSET:
            field_dict["returnedOn"] = returned_on
        if return_reason is not UNSET:
            field_dict["returnReason"] = return_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        loan_id = d.pop("loanId")

        kind = KindEnum(d.pop("kind"))

        status = RepaymentStatusEnum(d.pop("status"))

        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        def _parse_scheduled_for(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scheduled_for_type_0 = datetime.date.fromisoformat(data)

                return scheduled_for_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        scheduled_for = _parse_scheduled_for(d.pop("scheduledFor", UNSET))

        def _parse_paid_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                paid_on_type_0 = datetime.date.fromisoformat(data)

                return paid_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        paid_on = _parse_paid_on(d.pop("paidOn", UNSET))

        principal = d.pop("principal", UNSET)

        interest = d.pop("interest", UNSET)

        late_fees = d.pop("lateFees", UNSET)

        platform_fees = d.pop("platformFees", UNSET)

        servicing_fees = d.pop("servicingFees", UNSET)

        failure_reason = d.pop("failureReason", UNSET)

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

        def _parse_settles_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                settles_on_type_0 = datetime.date.fromisoformat(data)

                return settles_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        settles_on = _parse_settles_on(d.pop("settlesOn", UNSET))

        funds_pending = d.pop("fundsPending", UNSET)

        def _parse_returned_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                returned_on_type_0 = datetime.date.fromisoformat(data)

                return returned_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        returned_on = _parse_returned_on(d.pop("returnedOn", UNSET))

        return_reason = d.pop("returnReason", UNSET)

        repayment = cls(
            id=id,
            loan_id=loan_id,
            kind=kind,
            status=status,
            amount=amount,
            created_at=created_at,
            scheduled_for=scheduled_for,
            paid_on=paid_on,
            principal=principal,
            interest=interest,
            late_fees=late_fees,
            platform_fees=platform_fees,
            servicing_fees=servicing_fees,
            failure_reason=failure_reason,
            apply_to=apply_to,
            method=method,
            settles_on=settles_on,
            funds_pending=funds_pending,
            returned_on=returned_on,
            return_reason=return_reason,
        )

        repayment.additional_properties = d
        return repayment

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
