from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PaymentReceived")


@_attrs_define
class PaymentReceived:
    """One note's share of one repayment, as the portfolio's payments.csv export has it.

    Attributes:
        date (datetime.date):
        loan_id (int):
        note_id (int):
        principal (str):
        interest (str):
        late_fee (str):
        servicing_fee (str):
        net (str):
    """

    date: datetime.date
    loan_id: int
    note_id: int
    principal: str
    interest: str
    late_fee: str
    servicing_fee: str
    net: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        date = self.date.isoformat()

        loan_id = self.loan_id

        note_id = self.note_id

        principal = self.principal

        interest = self.interest

        late_fee = self.late_fee

        servicing_fee = self.servicing_fee

        net = self.net

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date": date,
                "loanId": loan_id,
                "noteId": note_id,
                "principal": principal,
                "interest": interest,
                "lateFee": late_fee,
                "servicingFee": servicing_fee,
                "net": net,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        date = datetime.date.fromisoformat(d.pop("date"))

        loan_id = d.pop("loanId")

        note_id = d.pop("noteId")

        principal = d.pop("principal")

        interest = d.pop("interest")

        late_fee = d.pop("lateFee")

        servicing_fee = d.pop("servicingFee")

        net = d.pop("net")

        payment_received = cls(
            date=date,
            loan_id=loan_id,
            note_id=note_id,
            principal=principal,
            interest=interest,
            late_fee=late_fee,
            servicing_fee=servicing_fee,
            net=net,
        )

        payment_received.additional_properties = d
        return payment_received

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
