from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.summary_by_grade import SummaryByGrade


T = TypeVar("T", bound="Summary")


@_attrs_define
class Summary:
    """
    Attributes:
        total_invested (str):
        expected_return (str):
        expected_losses (str):
        expected_net_return (str):
        actual_return (str):
        active_investments (int):
        completed_investments (int):
        net_annualized_return (float | None):
        outstanding_principal (str):
        model_value (str):
        sale_proceeds (str):
        charged_off (str):
        received (str):
        recoveries (str):
        by_grade (SummaryByGrade):
    """

    total_invested: str
    expected_return: str
    expected_losses: str
    expected_net_return: str
    actual_return: str
    active_investments: int
    completed_investments: int
    net_annualized_return: float | None
    outstanding_principal: str
    model_value: str
    sale_proceeds: str
    charged_off: str
    received: str
    recoveries: str
    by_grade: SummaryByGrade
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total_invested = self.total_invested

        expected_return = self.expected_return

        expected_losses = self.expected_losses

        expected_net_return = self.expected_net_return

        actual_return = self.actual_return

        active_investments = self.active_investments

        completed_investments = self.completed_investments

        net_annualized_return: float | None
        net_annualized_return = self.net_annualized_return

        outstanding_principal = self.outstanding_principal

        model_value = self.model_value

        sale_proceeds = self.sale_proceeds

        charged_off = self.charged_off

        received = self.received

        recoveries = self.recoveries

        by_grade = self.by_grade.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "totalInvested": total_invested,
                "expectedReturn": expected_return,
                "expectedLosses": expected_losses,
                "expectedNetReturn": expected_net_return,
                "actualReturn": actual_return,
                "activeInvestments": active_investments,
                "completedInvestments": completed_investments,
                "netAnnualizedReturn": net_annualized_return,
                "outstandingPrincipal": outstanding_principal,
                "modelValue": model_value,
                "saleProceeds": sale_proceeds,
                "chargedOff": charged_off,
                "received": received,
                "recoveries": recoveries,
                "byGrade": by_grade,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.summary_by_grade import SummaryByGrade  # noqa: PLC0415

        d = dict(src_dict)
        total_invested = d.pop("totalInvested")

        expected_return = d.pop("expectedReturn")

        expected_losses = d.pop("expectedLosses")

        expected_net_return = d.pop("expectedNetReturn")

        actual_return = d.pop("actualReturn")

        active_investments = d.pop("activeInvestments")

        completed_investments = d.pop("completedInvestments")

        def _parse_net_annualized_return(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        net_annualized_return = _parse_net_annualized_return(d.pop("netAnnualizedReturn"))

        outstanding_principal = d.pop("outstandingPrincipal")

        model_value = d.pop("modelValue")

        sale_proceeds = d.pop("saleProceeds")

        charged_off = d.pop("chargedOff")

        received = d.pop("received")

        recoveries = d.pop("recoveries")

        by_grade = SummaryByGrade.from_dict(d.pop("byGrade"))

        summary = cls(
            total_invested=total_invested,
            expected_return=expected_return,
            expected_losses=expected_losses,
            expected_net_return=expected_net_return,
            actual_return=actual_return,
            active_investments=active_investments,
            completed_investments=completed_investments,
            net_annualized_return=net_annualized_return,
            outstanding_principal=outstanding_principal,
            model_value=model_value,
            sale_proceeds=sale_proceeds,
            charged_off=charged_off,
            received=received,
            recoveries=recoveries,
            by_grade=by_grade,
        )

        summary.additional_properties = d
        return summary

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
