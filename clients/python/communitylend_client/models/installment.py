from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.installment_status_enum import InstallmentStatusEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="Installment")


@_attrs_define
class Installment:
    """
    Attributes:
        number (int):
        due_date (datetime.date):
        amount (str):
        principal_amount (str):
        interest_amount (str):
        principal_paid (str | Unset):
        interest_paid (str | Unset):
        late_fee (str | Unset):
        late_fee_paid (str | Unset):
        status (InstallmentStatusEnum | Unset): * `due` - Due
            * `partial` - Partly paid
            * `paid` - Paid
            * `late` - Late
            * `waived` - Not due (prepaid)
            * `deferred` - Deferred (hardship: its interest is added to the principal)
    """

    number: int
    due_date: datetime.date
    amount: str
    principal_amount: str
    interest_amount: str
    principal_paid: str | Unset = UNSET
    interest_paid: str | Unset = UNSET
    late_fee: str | Unset = UNSET
    late_fee_paid: str | Unset = UNSET
    status: InstallmentStatusEnum | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        due_date = self.due_date.isoformat()

        amount = self.amount

        principal_amount = self.principal_amount

        interest_amount = self.interest_amount

        principal_paid = self.principal_paid

        interest_paid = self.interest_paid

        late_fee = self.late_fee

        late_fee_paid = self.late_fee_paid

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "dueDate": due_date,
                "amount": amount,
                "principalAmount": principal_amount,
                "interestAmount": interest_amount,
            }
        )
        if principal_paid is not UNSET:
            field_dict["principalPaid"] = principal_paid
        if interest_paid is not UNSET:
            field_dict["interestPaid"] = interest_paid
        if late_fee is not UNSET:
            field_dict["lateFee"] = late_fee
        if late_fee_paid is not UNSET:
            field_dict["lateFeePaid"] = late_fee_paid
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        number = d.pop("number")

        due_date = datetime.date.fromisoformat(d.pop("dueDate"))

        amount = d.pop("amount")

        principal_amount = d.pop("principalAmount")

        interest_amount = d.pop("interestAmount")

        principal_paid = d.pop("principalPaid", UNSET)

        interest_paid = d.pop("interestPaid", UNSET)

        late_fee = d.pop("lateFee", UNSET)

        late_fee_paid = d.pop("lateFeePaid", UNSET)

        _status = d.pop("status", UNSET)
        status: InstallmentStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = InstallmentStatusEnum(_status)

        installment = cls(
            number=number,
            due_date=due_date,
            amount=amount,
            principal_amount=principal_amount,
            interest_amount=interest_amount,
            principal_paid=principal_paid,
            interest_paid=interest_paid,
            late_fee=late_fee,
            late_fee_paid=late_fee_paid,
            status=status,
        )

        installment.additional_properties = d
        return installment

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
