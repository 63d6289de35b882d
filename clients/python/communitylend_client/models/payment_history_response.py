from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.installment import Installment
    from ..models.payment_summary import PaymentSummary
    from ..models.repayment import Repayment


T = TypeVar("T", bound="PaymentHistoryResponse")


@_attrs_define
class PaymentHistoryResponse:
    """
    Attributes:
        payments (list[Repayment]):
        schedule (list[Installment]):
        summary (PaymentSummary):
    """

    payments: list[Repayment]
    schedule: list[Installment]
    summary: PaymentSummary
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        payments = []
        for payments_item_data in self.payments:
            payments_item = payments_item_data.to_dict()
            payments.append(payments_item)

        schedule = []
        for schedule_item_data in self.schedule:
            schedule_item = schedule_item_data.to_dict()
            schedule.append(schedule_item)

        summary = self.summary.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "payments": payments,
                "schedule": schedule,
                "summary": summary,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.installment import Installment  # noqa: PLC0415
        from ..models.payment_summary import PaymentSummary  # noqa: PLC0415
        from ..models.repayment import Repayment  # noqa: PLC0415

        d = dict(src_dict)
        payments = []
        _payments = d.pop("payments")
        for payments_item_data in _payments:
            payments_item = Repayment.from_dict(payments_item_data)

            payments.append(payments_item)

        schedule = []
        _schedule = d.pop("schedule")
        for schedule_item_data in _schedule:
            schedule_item = Installment.from_dict(schedule_item_data)

            schedule.append(schedule_item)

        summary = PaymentSummary.from_dict(d.pop("summary"))

        payment_history_response = cls(
            payments=payments,
            schedule=schedule,
            summary=summary,
        )

        payment_history_response.additional_properties = d
        return payment_history_response

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
