from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agreement_terms_schedule_item import AgreementTermsScheduleItem


T = TypeVar("T", bound="AgreementTerms")


@_attrs_define
class AgreementTerms:
    """
    Attributes:
        amount (str):
        rate (str):
        origination_fee (str):
        amount_received (str):
        apr (str):
        finance_charge (str):
        total_of_payments (str):
        monthly_payment (str):
        schedule (list[AgreementTermsScheduleItem]):
    """

    amount: str
    rate: str
    origination_fee: str
    amount_received: str
    apr: str
    finance_charge: str
    total_of_payments: str
    monthly_payment: str
    schedule: list[AgreementTermsScheduleItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        rate = self.rate

        origination_fee = self.origination_fee

        amount_received = self.amount_received

        apr = self.apr

        finance_charge = self.finance_charge

        total_of_payments = self.total_of_payments

        monthly_payment = self.monthly_payment

        schedule = []
        for schedule_item_data in self.schedule:
            schedule_item = schedule_item_data.to_dict()
            schedule.append(schedule_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "rate": rate,
                "originationFee": origination_fee,
                "amountReceived": amount_received,
                "apr": apr,
                "financeCharge": finance_charge,
                "totalOfPayments": total_of_payments,
                "monthlyPayment": monthly_payment,
                "schedule": schedule,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agreement_terms_schedule_item import AgreementTermsScheduleItem  # noqa: PLC0415

        d = dict(src_dict)
        amount = d.pop("amount")

        rate = d.pop("rate")

        origination_fee = d.pop("originationFee")

        amount_received = d.pop("amountReceived")

        apr = d.pop("apr")

        finance_charge = d.pop("financeCharge")

        total_of_payments = d.pop("totalOfPayments")

        monthly_payment = d.pop("monthlyPayment")

        schedule = []
        _schedule = d.pop("schedule")
        for schedule_item_data in _schedule:
            schedule_item = AgreementTermsScheduleItem.from_dict(schedule_item_data)

            schedule.append(schedule_item)

        agreement_terms = cls(
            amount=amount,
            rate=rate,
            origination_fee=origination_fee,
            amount_received=amount_received,
            apr=apr,
            finance_charge=finance_charge,
            total_of_payments=total_of_payments,
            monthly_payment=monthly_payment,
            schedule=schedule,
        )

        agreement_terms.additional_properties = d
        return agreement_terms

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
