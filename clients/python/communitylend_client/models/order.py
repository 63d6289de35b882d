from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.risk_grade_enum import RiskGradeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="Order")


@_attrs_define
class Order:
    """
    Attributes:
        id (int):
        grades (list[RiskGradeEnum]):
        max_per_note (str):
        budget (str):
        spent (str):
        required_return (None | str):
        spread (None | str):
        created_at (datetime.datetime):
        term_left_min (int | Unset):
        term_left_max (int | Unset):
        max_price_percent (str | Unset):
        min_yield (str | Unset):
        enabled (bool | Unset):
    """

    id: int
    grades: list[RiskGradeEnum]
    max_per_note: str
    budget: str
    spent: str
    required_return: None | str
    spread: None | str
    created_at: datetime.datetime
    term_left_min: int | Unset = UNSET
    term_left_max: int | Unset = UNSET
    max_price_percent: str | Unset = UNSET
    min_yield: str | Unset = UNSET
    enabled: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        grades = []
        for grades_item_data in self.grades:
            grades_item = grades_item_data.value
            grades.append(grades_item)

        max_per_note = self.max_per_note

        budget = self.budget

        spent = self.spent

        required_return: None | str
        required_return = self.required_return

        spread: None | str
        spread = self.spread

        created_at = self.created_at.isoformat()

        term_left_min = self.term_left_min

        term_left_max = self.term_left_max

        max_price_percent = self.max_price_percent

        min_yield = self.min_yield

        enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "grades": grades,
                "maxPerNote": max_per_note,
                "budget": budget,
                "spent": spent,
                "requiredReturn": required_return,
                "spread": spread,
                "createdAt": created_at,
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
        id = d.pop("id")

        grades = []
        _grades = d.pop("grades")
        for grades_item_data in _grades:
            grades_item = RiskGradeEnum(grades_item_data)

            grades.append(grades_item)

        max_per_note = d.pop("maxPerNote")

        budget = d.pop("budget")

        spent = d.pop("spent")

        def _parse_required_return(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        required_return = _parse_required_return(d.pop("requiredReturn"))

        def _parse_spread(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        spread = _parse_spread(d.pop("spread"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        term_left_min = d.pop("termLeftMin", UNSET)

        term_left_max = d.pop("termLeftMax", UNSET)

        max_price_percent = d.pop("maxPricePercent", UNSET)

        min_yield = d.pop("minYield", UNSET)

        enabled = d.pop("enabled", UNSET)

        order = cls(
            id=id,
            grades=grades,
            max_per_note=max_per_note,
            budget=budget,
            spent=spent,
            required_return=required_return,
            spread=spread,
            created_at=created_at,
            term_left_min=term_left_min,
            term_left_max=term_left_max,
            max_price_percent=max_price_percent,
            min_yield=min_yield,
            enabled=enabled,
        )

        order.additional_properties = d
        return order

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
