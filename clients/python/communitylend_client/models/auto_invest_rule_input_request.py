from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.loan_term_enum import LoanTermEnum
from ..models.purpose_enum import PurposeEnum
from ..models.risk_grade_enum import RiskGradeEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.auto_invest_rule_input_request_grade_limits import (
        AutoInvestRuleInputRequestGradeLimits,
    )


T = TypeVar("T", bound="AutoInvestRuleInputRequest")


@_attrs_define
class AutoInvestRuleInputRequest:
    """Types and plain ranges; the service checks the rest (e.g. min_per_loan <= max_per_loan).
    Every field is optional: POST fills the defaults, PATCH changes what it is given.

        Attributes:
            name (str | Unset):
            enabled (bool | Unset):
            cash_reserve (float | str | Unset):  Example: 100.00.
            min_credit_score (int | Unset):
            max_debt_to_income (float | None | str | Unset):  Example: 100.00.
            grades (list[RiskGradeEnum] | Unset):
            purposes (list[PurposeEnum] | Unset):
            terms (list[LoanTermEnum] | Unset):
            verified_only (bool | Unset):
            loan_share (float | str | Unset):  Example: 100.00.
            min_per_loan (float | str | Unset):  Example: 100.00.
            max_per_loan (float | str | Unset):  Example: 100.00.
            max_capital_use (float | str | Unset):  Example: 100.00.
            grade_limits (AutoInvestRuleInputRequestGradeLimits | Unset):
            borrower_limit (float | str | Unset):  Example: 100.00.
            rate_spread (float | str | Unset):  Example: 10.00.
            rate_jitter (float | str | Unset):  Example: 2.00.
            min_rate (float | None | str | Unset):  Example: 36.00.
            min_expected_return (float | None | str | Unset):  Example: 36.00.
            rebid_step (float | str | Unset):  Example: 5.00.
            rebid_floor_margin (float | str | Unset):  Example: 20.00.
    """

    name: str | Unset = UNSET
    enabled: bool | Unset = UNSET
    cash_reserve: float | str | Unset = UNSET
    min_credit_score: int | Unset = UNSET
    max_debt_to_income: float | None | str | Unset = UNSET
    grades: list[RiskGradeEnum] | Unset = UNSET
    purposes: list[PurposeEnum] | Unset = UNSET
    terms: list[LoanTermEnum] | Unset = UNSET
    verified_only: bool | Unset = UNSET
    loan_share: float | str | Unset = UNSET
    min_per_loan: float | str | Unset = UNSET
    max_per_loan: float | str | Unset = UNSET
    max_capital_use: float | str | Unset = UNSET
    grade_limits: AutoInvestRuleInputRequestGradeLimits | Unset = UNSET
    borrower_limit: float | str | Unset = UNSET
    rate_spread: float | str | Unset = UNSET
    rate_jitter: float | str | Unset = UNSET
    min_rate: float | None | str | Unset = UNSET
    min_expected_return: float | None | str | Unset = UNSET
    rebid_step: float | str | Unset = UNSET
    rebid_floor_margin: float | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        enabled = self.enabled

        cash_reserve: float | str | Unset
        if isinstance(self.cash_reserve, Unset):
            cash_reserve = UNSET
        else:
            cash_reserve = self.cash_reserve

        min_credit_score = self.min_credit_score

        max_debt_to_income: float | None | str | Unset
        if isinstance(self.max_debt_to_income, Unset):
            max_debt_to_income = UNSET
        else:
            max_debt_to_income = self.max_debt_to_income

        grades: list[str] | Unset = UNSET
        if not isinstance(self.grades, Unset):
            grades = []
            for grades_item_data in self.grades:
                grades_item = grades_item_data.value
                grades.append(grades_item)

        purposes: list[str] | Unset = UNSET
        if not isinstance(self.purposes, Unset):
            purposes = []
            for purposes_item_data in self.purposes:
                purposes_item = purposes_item_data.value
                purposes.append(purposes_item)

        terms: list[int] | Unset = UNSET
        if not isinstance(self.terms, Unset):
            terms = []
            for terms_item_data in self.terms:
                terms_item = terms_item_data.value
                terms.append(terms_item)

        verified_only = self.verified_only

        loan_share: float | str | Unset
        if isinstance(self.loan_share, Unset):
            loan_share = UNSET
        else:
            loan_share = self.loan_share

        min_per_loan: float | str | Unset
        if isinstance(self.min_per_loan, Unset):
            min_per_loan = UNSET
        else:
            min_per_loan = self.min_per_loan

        max_per_loan: float | str | Unset
        if isinstance(self.max_per_loan, Unset):
            max_per_loan = UNSET
        else:
            max_per_loan = self.max_per_loan

        max_capital_use: float | str | Unset
        if isinstance(self.max_capital_use, Unset):
            max_capital_use = UNSET
        else:
            max_capital_use = self.max_capital_use

        grade_limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.grade_limits, Unset):
            grade_limits = self.grade_limits.to_dict()

        borrower_limit: float | str | Unset
        if isinstance(self.borrower_limit, Unset):
            borrower_limit = UNSET
        else:
            borrower_limit = self.borrower_limit

        rate_spread: float | str | Unset
        if isinstance(self.rate_spread, Unset):
            rate_spread = UNSET
        else:
            rate_spread = self.rate_spread

        rate_jitter: float | str | Unset
        if isinstance(self.rate_jitter, Unset):
            rate_jitter = UNSET
        else:
            rate_jitter = self.rate_jitter

        min_rate: float | None | str | Unset
        if isinstance(self.min_rate, Unset):
            min_rate = UNSET
        else:
            min_rate = self.min_rate

        min_expected_return: float | None | str | Unset
        if isinstance(self.min_expected_return, Unset):
            min_expected_return = UNSET
        else:
            min_expected_return = self.min_expected_return

        rebid_step: float | str | Unset
        if isinstance(self.rebid_step, Unset):
            rebid_step = UNSET
        else:
            rebid_step = self.rebid_step

        rebid_floor_margin: float | str | Unset
        if isinstance(self.rebid_floor_margin, Unset):
            rebid_floor_margin = UNSET
        else:
            rebid_floor_margin = self.rebid_floor_margin

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if cash_reserve is not UNSET:
            field_dict["cashReserve"] = cash_reserve
        if min_credit_score is not UNSET:
            field_dict["minCreditScore"] = min_credit_score
        if max_debt_to_income is not UNSET:
            field_dict["maxDebtToIncome"] = max_debt_to_income
        if grades is not UNSET:
            field_dict["grades"] = grades
        if purposes is not UNSET:
            field_dict["purposes"] = purposes
        if terms is not UNSET:
            field_dict["terms"] = terms
        if verified_only is not UNSET:
            field_dict["verifiedOnly"] = verified_only
        if loan_share is not UNSET:
            field_dict["loanShare"] = loan_share
        if min_per_loan is not UNSET:
            field_dict["minPerLoan"] = min_per_loan
        if max_per_loan is not UNSET:
            field_dict["maxPerLoan"] = max_per_loan
        if max_capital_use is not UNSET:
            field_dict["maxCapitalUse"] = max_capital_use
        if grade_limits is not UNSET:
            field_dict["gradeLimits"] = grade_limits
        if borrower_limit is not UNSET:
            field_dict["borrowerLimit"] = borrower_limit
        if rate_spread is not UNSET:
            field_dict["rateSpread"] = rate_spread
        if rate_jitter is not UNSET:
            field_dict["rateJitter"] = rate_jitter
        if min_rate is not UNSET:
            field_dict["minRate"] = min_rate
        if min_expected_return is not UNSET:
            field_dict["minExpectedReturn"] = min_expected_return
        if rebid_step is not UNSET:
            field_dict["rebidStep"] = rebid_step
        if rebid_floor_margin is not UNSET:
            field_dict["rebidFloorMargin"] = rebid_floor_margin

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.auto_invest_rule_input_request_grade_limits import (
            AutoInvestRuleInputRequestGradeLimits,  # noqa: PLC0415
        )

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        enabled = d.pop("enabled", UNSET)

        def _parse_cash_reserve(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        cash_reserve = _parse_cash_reserve(d.pop("cashReserve", UNSET))

        min_credit_score = d.pop("minCreditScore", UNSET)

        def _parse_max_debt_to_income(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        max_debt_to_income = _parse_max_debt_to_income(d.pop("maxDebtToIncome", UNSET))

        _grades = d.pop("grades", UNSET)
        grades: list[RiskGradeEnum] | Unset = UNSET
        if _grades is not UNSET:
            grades = []
            for grades_item_data in _grades:
                grades_item = RiskGradeEnum(grades_item_data)

                grades.append(grades_item)

        _purposes = d.pop("purposes", UNSET)
        purposes: list[PurposeEnum] | Unset = UNSET
        if _purposes is not UNSET:
            purposes = []
            for purposes_item_data in _purposes:
                purposes_item = PurposeEnum(purposes_item_data)

                purposes.append(purposes_item)

        _terms = d.pop("terms", UNSET)
        terms: list[LoanTermEnum] | Unset = UNSET
        if _terms is not UNSET:
            terms = []
            for terms_item_data in _terms:
                terms_item = LoanTermEnum(terms_item_data)

                terms.append(terms_item)

        verified_only = d.pop("verifiedOnly", UNSET)

        def _parse_loan_share(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        loan_share = _parse_loan_share(d.pop("loanShare", UNSET))

        def _parse_min_per_loan(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        min_per_loan = _parse_min_per_loan(d.pop("minPerLoan", UNSET))

        def _parse_max_per_loan(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        max_per_loan = _parse_max_per_loan(d.pop("maxPerLoan", UNSET))

        def _parse_max_capital_use(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        max_capital_use = _parse_max_capital_use(d.pop("maxCapitalUse", UNSET))

        _grade_limits = d.pop("gradeLimits", UNSET)
        grade_limits: AutoInvestRuleInputRequestGradeLimits | Unset
        if isinstance(_grade_limits, Unset):
            grade_limits = UNSET
        else:
            grade_limits = AutoInvestRuleInputRequestGradeLimits.from_dict(_grade_limits)

        def _parse_borrower_limit(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        borrower_limit = _parse_borrower_limit(d.pop("borrowerLimit", UNSET))

        def _parse_rate_spread(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        rate_spread = _parse_rate_spread(d.pop("rateSpread", UNSET))

        def _parse_rate_jitter(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        rate_jitter = _parse_rate_jitter(d.pop("rateJitter", UNSET))

        def _parse_min_rate(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        min_rate = _parse_min_rate(d.pop("minRate", UNSET))

        def _parse_min_expected_return(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        min_expected_return = _parse_min_expected_return(d.pop("minExpectedReturn", UNSET))

        def _parse_rebid_step(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        rebid_step = _parse_rebid_step(d.pop("rebidStep", UNSET))

        def _parse_rebid_floor_margin(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        rebid_floor_margin = _parse_rebid_floor_margin(d.pop("rebidFloorMargin", UNSET))

        auto_invest_rule_input_request = cls(
            name=name,
            enabled=enabled,
            cash_reserve=cash_reserve,
            min_credit_score=min_credit_score,
            max_debt_to_income=max_debt_to_income,
            grades=grades,
            purposes=purposes,
            terms=terms,
            verified_only=verified_only,
            loan_share=loan_share,
            min_per_loan=min_per_loan,
            max_per_loan=max_per_loan,
            max_capital_use=max_capital_use,
            grade_limits=grade_limits,
            borrower_limit=borrower_limit,
            rate_spread=rate_spread,
            rate_jitter=rate_jitter,
            min_rate=min_rate,
            min_expected_return=min_expected_return,
            rebid_step=rebid_step,
            rebid_floor_margin=rebid_floor_margin,
        )

        return auto_invest_rule_input_request
