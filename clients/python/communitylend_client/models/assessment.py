from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.assessment_risk_factors_item import AssessmentRiskFactorsItem


T = TypeVar("T", bound="Assessment")


@_attrs_define
class Assessment:
    """
    Attributes:
        risk_score (int):
        risk_grade (str):
        probability_default (float):
        risk_factors (list[AssessmentRiskFactorsItem]):
        imputed_fields (list[str]):
        recommended_interest_rate (float):
        floor_rate (float):
        model_version (str):
    """

    risk_score: int
    risk_grade: str
    probability_default: float
    risk_factors: list[AssessmentRiskFactorsItem]
    imputed_fields: list[str]
    recommended_interest_rate: float
    floor_rate: float
    model_version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        risk_score = self.risk_score

        risk_grade = self.risk_grade

        probability_default = self.probability_default

        risk_factors = []
        for risk_factors_item_data in self.risk_factors:
            risk_factors_item = risk_factors_item_data.to_dict()
            risk_factors.append(risk_factors_item)

        imputed_fields = self.imputed_fields

        recommended_interest_rate = self.recommended_interest_rate

        floor_rate = self.floor_rate

        model_version = self.model_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "riskScore": risk_score,
                "riskGrade": risk_grade,
                "probabilityDefault": probability_default,
                "riskFactors": risk_factors,
                "imputedFields": imputed_fields,
                "recommendedInterestRate": recommended_interest_rate,
                "floorRate": floor_rate,
                "modelVersion": model_version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.assessment_risk_factors_item import AssessmentRiskFactorsItem  # noqa: PLC0415

        d = dict(src_dict)
        risk_score = d.pop("riskScore")

        risk_grade = d.pop("riskGrade")

        probability_default = d.pop("probabilityDefault")

        risk_factors = []
        _risk_factors = d.pop("riskFactors")
        for risk_factors_item_data in _risk_factors:
            risk_factors_item = AssessmentRiskFactorsItem.from_dict(risk_factors_item_data)

            risk_factors.append(risk_factors_item)

        imputed_fields = cast(list[str], d.pop("imputedFields"))

        recommended_interest_rate = d.pop("recommendedInterestRate")

        floor_rate = d.pop("floorRate")

        model_version = d.pop("modelVersion")

        assessment = cls(
            risk_score=risk_score,
            risk_grade=risk_grade,
            probability_default=probability_default,
            risk_factors=risk_factors,
            imputed_fields=imputed_fields,
            recommended_interest_rate=recommended_interest_rate,
            floor_rate=floor_rate,
            model_version=model_version,
        )

        assessment.additional_properties = d
        return assessment

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
