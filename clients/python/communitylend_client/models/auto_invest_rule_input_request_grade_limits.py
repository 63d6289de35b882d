from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AutoInvestRuleInputRequestGradeLimits")


@_attrs_define
class AutoInvestRuleInputRequestGradeLimits:
    """
    Attributes:
        a (float | str | Unset):  Example: 100.00.
        b (float | str | Unset):  Example: 100.00.
        c (float | str | Unset):  Example: 100.00.
        d (float | str | Unset):  Example: 100.00.
        e (float | str | Unset):  Example: 100.00.
    """

    a: float | str | Unset = UNSET
    b: float | str | Unset = UNSET
    c: float | str | Unset = UNSET
    d: float | str | Unset = UNSET
    e: float | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        a: float | str | Unset
        if isinstance(self.a, Unset):
            a = UNSET
        else:
            a = self.a

        b: float | str | Unset
        if isinstance(self.b, Unset):
            b = UNSET
        else:
            b = self.b

        c: float | str | Unset
        if isinstance(self.c, Unset):
            c = UNSET
        else:
            c = self.c

        d: float | str | Unset
        if isinstance(self.d, Unset):
            d = UNSET
        else:
            d = self.d

        e: float | str | Unset
        if isinstance(self.e, Unset):
            e = UNSET
        else:
            e = self.e

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if a is not UNSET:
            field_dict["A"] = a
        if b is not UNSET:
            field_dict["B"] = b
        if c is not UNSET:
            field_dict["C"] = c
        if d is not UNSET:
            field_dict["D"] = d
        if e is not UNSET:
            field_dict["E"] = e

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_a(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        a = _parse_a(d.pop("A", UNSET))

        def _parse_b(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        b = _parse_b(d.pop("B", UNSET))

        def _parse_c(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        c = _parse_c(d.pop("C", UNSET))

        def _parse_d(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        d = _parse_d(d.pop("D", UNSET))

        def _parse_e(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        e = _parse_e(d.pop("E", UNSET))

        auto_invest_rule_input_request_grade_limits = cls(
            a=a,
            b=b,
            c=c,
            d=d,
            e=e,
        )

        return auto_invest_rule_input_request_grade_limits
