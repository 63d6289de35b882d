from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.risk_grade_enum import RiskGradeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="PatchedOrderRequest")


@_attrs_define
class PatchedOrderRequest:
    """
    Attributes:
        grades (list[RiskGradeEnum] | Unset):
        term_left_min (int | Unset):
        term_left_max (int | Unset):
        max_price_percent (float | str | Unset):  Example: 100.00.
        min_yield (float | str | Unset):  Example: 100.00.
        max_per_note (float | str | Unset):  Example: 100.00.
        budget (float | str | Unset):  Example: 100.00.
        enabled (bool | Unset):
    """

    grades: list[RiskGradeEnum] | Unset = UNSET
    term_left_min: int | Unset = UNSET
    term_left_max: int | Unset = UNSET
    max_price_percent: float | str | Unset = UNSET
    min_yield: float | str | Unset = UNSET
    max_per_note: float | str | Unset = UNSET
    budget: float | str | Unset = UNSET
    enabled: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        grades: list[str] | Unset = UNSET
        if not isinstance(self.grades, Unset):
            grades = []
            for grades_item_data in self.grades:
                grades_item = grades_item_data.value
                grades.append(grades_item)

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

        max_per_note: float | str | Unset
        if isinstance(self.max_per_note, Unset):
            max_per_note = UNSET
        else:
            max_per_note = self.max_per_note

        budget: float | str | Unset
        if isinstance(self.budget, Unset):
            budget = UNSET
        else:
            budget = self.budget

        enabled = self.enabled

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if grades is not UNSET:
            field_dict["grades"] = grades
        if term_left_min is not UNSET:
            field_dict["termLeftMin"] = term_left_min
        if term_left_max is not UNSET:
            field_dict["termLeftMax"] = term_left_max
        if max_price_percent is not UNSET:
            field_dict["maxPricePercent"] = max_price_percent
        if min_yield is not UNSET:
            field_dict["minYield"] = min_yield
        if max_per_note is not UNSET:
            field_dict["maxPerNote"] = max_per_note
        if budget is not UNSET:
            field_dict["budget"] = budget
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _grades = d.pop("grades", UNSET)
        grades: list[RiskGradeEnum] | Unset = UNSET
        if _grades is not UNSET:
            grades = []
            for grades_item_data in _grades:
                grades_item = RiskGradeEnum(grades_item_data)

                grades.append(grades_item)

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

        def _parse_max_per_note(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        max_per_note = _parse_max_per_note(d.pop("maxPerNote", UNSET))

        def _parse_budget(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        budget = _parse_budget(d.pop("budget", UNSET))

        enabled = d.pop("enabled", UNSET)

        patched_order_request = cls(
            grades=grades,
            term_left_min=term_left_min,
            term_left_max=term_left_max,
            max_price_percent=max_price_percent,
            min_yield=min_yield,
            max_per_note=max_per_note,
            budget=budget,
            enabled=enabled,
        )

        return patched_order_request
