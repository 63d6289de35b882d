from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.blank_enum import BlankEnum
from ..models.loan_term_enum import LoanTermEnum
from ..models.risk_tolerance_enum import RiskToleranceEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="LenderPreferenceRequest")


@_attrs_define
class LenderPreferenceRequest:
    """
    Attributes:
        risk_tolerance (BlankEnum | RiskToleranceEnum | Unset):  Default: BlankEnum.VALUE_0.
        min_amount (float | None | str | Unset):  Example: 100.00.
        max_amount (float | None | str | Unset):  Example: 100.00.
        terms (list[LoanTermEnum] | Unset):
    """

    risk_tolerance: BlankEnum | RiskToleranceEnum | Unset = BlankEnum.VALUE_0
    min_amount: float | None | str | Unset = UNSET
    max_amount: float | None | str | Unset = UNSET
    terms: list[LoanTermEnum] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        risk_tolerance: str | Unset
        if isinstance(self.risk_tolerance, Unset):
            risk_tolerance = UNSET
        elif isinstance(self.risk_tolerance, RiskToleranceEnum):
            risk_tolerance = self.risk_tolerance.value
        else:
            risk_tolerance = self.risk_tolerance.value

        min_amount: float | None | str | Unset
        if isinstance(self.min_amount, Unset):
            min_amount = UNSET
        else:
            min_amount = self.min_amount

        max_amount: float | None | str | Unset
        if isinstance(self.max_amount, Unset):
            max_amount = UNSET
        else:
            max_amount = self.max_amount

        terms: list[int] | Unset = UNSET
        if not isinstance(self.terms, Unset):
            terms = []
            for terms_item_data in self.terms:
                terms_item = terms_item_data.value
                terms.append(terms_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if risk_tolerance is not UNSET:
            field_dict["riskTolerance"] = risk_tolerance
        if min_amount is not UNSET:
            field_dict["minAmount"] = min_amount
        if max_amount is not UNSET:
            field_dict["maxAmount"] = max_amount
        if terms is not UNSET:
            field_dict["terms"] = terms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_risk_tolerance(data: object) -> BlankEnum | RiskToleranceEnum | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                risk_tolerance_type_0 = RiskToleranceEnum(data)

                return risk_tolerance_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            risk_tolerance_type_1 = BlankEnum(data)

            return risk_tolerance_type_1

        risk_tolerance = _parse_risk_tolerance(d.pop("riskTolerance", UNSET))

        def _parse_min_amount(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        min_amount = _parse_min_amount(d.pop("minAmount", UNSET))

        def _parse_max_amount(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        max_amount = _parse_max_amount(d.pop("maxAmount", UNSET))

        _terms = d.pop("terms", UNSET)
        terms: list[LoanTermEnum] | Unset = UNSET
        if _terms is not UNSET:
            terms = []
            for terms_item_data in _terms:
                terms_item = LoanTermEnum(terms_item_data)

                terms.append(terms_item)

        lender_preference_request = cls(
            risk_tolerance=risk_tolerance,
            min_amount=min_amount,
            max_amount=max_amount,
            terms=terms,
        )

        return lender_preference_request
