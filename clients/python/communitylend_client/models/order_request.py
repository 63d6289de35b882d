from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.risk_grade_enum import RiskGradeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="OrderRequest")


@_attrs_define
class OrderRequest:
    """
    Attributes:
        grades (list[RiskGradeEnum]):
        max_per_note (float | str):  Example: 100.00.
        budget (float | str):  Example: 100.00.
        term_left_min (int | Unset):
        term_left_max (int | Unset):
        max_price_percent (float | str | Unset):  Example: 100.00.
        min_yield (float | str | Unset):  Example: 100.00.
        enabled (bool | Unset):
    """

    grades: list[RiskGradeEnum]
    max_per_note: float | str
    budget: float | str
    term_left_min: int | Unset = UNSET
    term_left_max: int | Unset = UNSET
    max_price_percent: float | str | Unset = UNSET
    min_yield: float | str | Unset = UNSET
    enabled: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        grades = []
        for grades_item_data in self.grades:
            grades_item = grades_item_data.value
            grades.append(grades_item)

        max_per_note: float | str
        max_per_note = self.max_per_note

        budget: float | str
        budget = self.budget

        term_left_min = self.term_left_min

        term_left_max = self.term_left_max

        max_price_percent: float | str | Unset
        if isinstance(self.max_price_percent, Unset):
            max_price_percent = UNSET
        else:
            max_price_percent = self.max_price_percent

        min_yield: float | str | Unset
        if isinstance(self.min_yield, Unset):
            min_yield = UNSET
        else:
            min_yield = self.min_yield

        enabled = self.enabled

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "grades": grades,
                "maxPerNote": max_per_note,
                "budget": budget,
            }
        )
        if term_left_min is not UNSET:
            field_dict["termLeftMin"] = term_left_min
        if term_left_max is not UNSET:
            field_dict["termLeftMax"] = term_left_max
        if max_price_percent is not UNSET:
            field_dict["maxPricePercent"] = max_price_percent
        if min_yield is not UNSET:
            field_dict["minYield"] = min_yield
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        grades = []
        _grades = d.pop("grades")
        for grades_item_data in _grades:
            grades_item = RiskGradeEnum(grades_item_data)

            grades.append(grades_item)

        def _parse_max_per_note(data: object) -> float | str:
            return cast(float | str, data)

        max_per_note = _parse_max_per_note(d.pop("maxPerNote"))

        def _parse_budget(data: object) -> float | str:
            return cast(float | str, data)

        budget = _parse_budget(d.pop("budget"))

        term_left_min = d.pop("termLeftMin", UNSET)

        term_left_max = d.pop("termLeftMax", UNSET)

        def _parse_max_price_percent(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        max_price_percent = _parse_max_price_percent(d.pop("maxPricePercent", UNSET))

        def _parse_min_yield(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        min_yield = _parse_min_yield(d.pop("minYield", UNSET))

        enabled = d.pop("enabled", UNSET)

        order_request = cls(
            grades=grades,
            max_per_note=max_per_note,
            budget=budget,
            term_left_min=term_left_min,
            term_left_max=term_left_max,
            max_price_percent=max_price_percent,
            min_yield=min_yield,
            enabled=enabled,
        )

        return order_request
