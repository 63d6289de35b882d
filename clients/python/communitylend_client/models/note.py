from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.note_status_enum import NoteStatusEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="Note")


@_attrs_define
class Note:
    """
    Attributes:
        id (int):
        loan_id (int):
        grade (str):
        loan_status (str):
        amount (str):
        principal (str):
        rate (float):
        outstanding_principal (str):
        created_at (datetime.datetime):
        status (NoteStatusEnum | Unset): * `active` - Active
            * `repaid` - Repaid
            * `charged_off` - Charged off
        principal_received (str | Unset):
        interest_received (str | Unset):
        late_fees_received (str | Unset):
        servicing_fees_paid (str | Unset):
        charged_off_principal (str | Unset):
    """

    id: int
    loan_id: int
    grade: str
    loan_status: str
    amount: str
    principal: str
    rate: float
    outstanding_principal: str
    created_at: datetime.datetime
    status: NoteStatusEnum | Unset = UNSET
    principal_received: str | Unset = UNSET
    interest_received: str | Unset = UNSET
    late_fees_received: str | Unset = UNSET
    servicing_fees_paid: str | Unset = UNSET
    charged_off_principal: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        loan_id = self.loan_id

        grade = self.grade

        loan_status = self.loan_status

        amount = self.amount

        principal = self.principal

        rate = self.rate

        outstanding_principal = self.outstanding_principal

        created_at = self.created_at.isoformat()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        principal_received = self.principal_received

        interest_received = self.interest_received

        late_fees_received = self.late_fees_received

        servicing_fees_paid = self.servicing_fees_paid

        charged_off_principal = self.charged_off_principal

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "loanId": loan_id,
                "grade": grade,
                "loanStatus": loan_status,
                "amount": amount,
                "principal": principal,
                "rate": rate,
                "outstandingPrincipal": outstanding_principal,
                "createdAt": created_at,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if principal_received is not UNSET:
            field_dict["principalReceived"] = principal_received
        if interest_received is not UNSET:
            field_dict["interestReceived"] = interest_received
        if late_fees_received is not UNSET:
            field_dict["lateFeesReceived"] = late_fees_received
        if servicing_fees_paid is not UNSET:
            field_dict["servicingFeesPaid"] = servicing_fees_paid
        if charged_off_principal is not UNSET:
            field_dict["chargedOffPrincipal"] = charged_off_principal

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        loan_id = d.pop("loanId")

        grade = d.pop("grade")

        loan_status = d.pop("loanStatus")

        amount = d.pop("amount")

        principal = d.pop("principal")

        rate = d.pop("rate")

        outstanding_principal = d.pop("outstandingPrincipal")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        _status = d.pop("status", UNSET)
        status: NoteStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = NoteStatusEnum(_status)

        principal_received = d.pop("principalReceived", UNSET)

        interest_received = d.pop("interestReceived", UNSET)

        late_fees_received = d.pop("lateFeesReceived", UNSET)

        servicing_fees_paid = d.pop("servicingFeesPaid", UNSET)

        charged_off_principal = d.pop("chargedOffPrincipal", UNSET)

        note = cls(
            id=id,
            loan_id=loan_id,
            grade=grade,
            loan_status=loan_status,
            amount=amount,
            principal=principal,
            rate=rate,
            outstanding_principal=outstanding_principal,
            created_at=created_at,
            status=status,
            principal_received=principal_received,
            interest_received=interest_received,
            late_fees_received=late_fees_received,
            servicing_fees_paid=servicing_fees_paid,
            charged_off_principal=charged_off_principal,
        )

        note.additional_properties = d
        return note

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
