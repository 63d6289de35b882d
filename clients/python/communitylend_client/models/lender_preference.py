from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.blank_enum import BlankEnum
from ..models.loan_term_enum import LoanTermEnum
from ..models.risk_tolerance_enum import RiskToleranceEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="LenderPreference")


@_attrs_define
class LenderPreference:
    """
    Attributes:
        risk_tolerance (BlankEnum | RiskToleranceEnum | Unset):  Default: BlankEnum.VALUE_0.
        min_amount (None | str | Unset):
        max_amount (None | str | Unset):
        terms (list[LoanTermEnum] | Unset):
    """

    risk_tolerance: BlankEnum | RiskToleranceEnum | Unset = BlankEnum.VALUE_0
    min_amount: None | str | Unset = UNSET
    max_amount: None | str | Unset = UNSET
    terms: list[LoanTermEnum] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        risk_tolerance: str | Unset
        if isinstance(self.risk_tolerance, Unset):
            risk_tolerance = UNSET
        elif isinstance(self.risk_tolerance, RiskToleranceEnum):
            risk_tolerance = self.risk_tolerance.value
        else:
            risk_tolerance = self.risk_tolerance.value

        min_amount: None | str | Unset
        if isinstance(self.min_amount, Unset):
            min_amount = UNSET
        else:
            min_amount = self.min_amount

        max_amount: None | str | Unset
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
        field_dict.update(self.additional_properties)
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

        def _parse_min_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        min_amount = _parse_min_amount(d.pop("minAmount", UNSET))

        def _parse_max_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        max_amount = _parse_max_amount(d.pop("maxAmount", UNSET))

        _terms = d.pop("terms", UNSET)
        terms: list[LoanTermEnum] | Unset = UNSET
        if _terms is not UNSET:
            terms = []
            for terms_item_data in _terms:
                terms_item = LoanTermEnum(terms_item_data)

                terms.append(terms_item)

        lender_preference = cls(
            risk_tolerance=risk_tolerance,
            min_amount=min_amount,
            max_amount=max_amount,
            terms=terms,
        )

        lender_preference.additional_properties = d
        return lender_preference

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
