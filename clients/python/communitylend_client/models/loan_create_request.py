from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.loan_term_enum import LoanTermEnum
from ..models.purpose_enum import PurposeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="LoanCreateRequest")


@_attrs_define
class LoanCreateRequest:
    """
    Attributes:
        amount (float | str):  Example: 1000.00.
        interest_rate (float | str): Your maximum rate, percent a year. Example: 36.0000.
        term_months (LoanTermEnum): * `12` - 12
            * `24` - 24
            * `36` - 36
            * `60` - 60
        purpose (PurposeEnum): * `debt_consolidation` - Debt consolidation
            * `credit_card` - Credit card refinancing
            * `home_improvement` - Home improvement
            * `major_purchase` - Major purchase
            * `medical` - Medical
            * `car` - Car
            * `business` - Business
            * `education` - Education
            * `other` - Other
        description (str | Unset):  Default: ''.
        collateral_description (str | Unset):  Default: ''.
    """

    amount: float | str
    interest_rate: float | str
    term_months: LoanTermEnum
    purpose: PurposeEnum
    description: str | Unset = ""
    collateral_description: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        amount: float | str
        amount = self.amount

        interest_rate: float | str
        interest_rate = self.interest_rate

        term_months = self.term_months.value

        purpose = self.purpose.value

        description = self.description

        collateral_description = self.collateral_description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "interestRate": interest_rate,
                "termMonths": term_months,
                "purpose": purpose,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if collateral_description is not UNSET:
            field_dict["collateralDescription"] = collateral_description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))

        def _parse_interest_rate(data: object) -> float | str:
            return cast(float | str, data)

        interest_rate = _parse_interest_rate(d.pop("interestRate"))

        term_months = LoanTermEnum(d.pop("termMonths"))

        purpose = PurposeEnum(d.pop("purpose"))

        description = d.pop("description", UNSET)

        collateral_description = d.pop("collateralDescription", UNSET)

        loan_create_request = cls(
            amount=amount,
            interest_rate=interest_rate,
            term_months=term_months,
            purpose=purpose,
            description=description,
            collateral_description=collateral_description,
        )

        return loan_create_request
