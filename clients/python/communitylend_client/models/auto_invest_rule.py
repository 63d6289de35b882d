from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AutoInvestRule")


@_attrs_define
class AutoInvestRule:
    """A rule as the API shows it (camelCase on the wire); percents are of the capital the rule
    works with: the user's cash and investments less the cash reserve.

        Attributes:
            id (int):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            min_credit_score (int | Unset):
            max_debt_to_income (None | str | Unset): Highest borrower debt-to-income, percent; empty means no limit.
            grades (Any | Unset): Risk grades to lend to, e.g. ["A", "B"]; empty: all.
            purposes (Any | Unset): Loan purposes to lend to; empty: all.
            terms (Any | Unset): Terms in months to lend to; empty: all.
            verified_only (bool | Unset): Lend only to borrowers whose KYC is verified.
            loan_share (str | Unset): Amount per loan, percent of capital (then bounded by the floor and cap).
            min_per_loan (str | Unset): Smallest bid worth placing (at least 25.00).
            max_per_loan (str | Unset): Largest amount in any one loan.
            max_capital_use (str | Unset): Ceiling on capital deployed (held in bids + invested), percent of capital.
            grade_limits (Any | Unset): Per-grade ceiling, percent of capital, e.g. {"C": 30}; missing grades: 100.
            borrower_limit (str | Unset): Ceiling on what one borrower may owe us, percent of capital.
            rate_spread (str | Unset): Points added to the grade's recommended rate (may be negative).
            rate_jitter (str | Unset): Random jitter of at most this many points either way.
            min_rate (None | str | Unset): Never bid below this rate, percent; empty: none.
            min_expected_return (None | str | Unset): Bid (and re-bid) only where the expected net return at our rate, after
                expected losses and the 1% fee, is at least this, percent a year; empty: no minimum.
            rebid_step (str | Unset): Points to lower an outbid bid by, once per cycle.
            rebid_floor_margin (str | Unset): Own floor for re-bids: the grade floor plus this many points.
            name (str | Unset):
            enabled (bool | Unset):
            cash_reserve (str | Unset): Available cash the rule always leaves alone.
            last_run_at (datetime.datetime | None | Unset):
    """

    id: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    min_credit_score: int | Unset = UNSET
    max_debt_to_income: None | str | Unset = UNSET
    grades: Any | Unset = UNSET
    purposes: Any | Unset = UNSET
    terms: Any | Unset = UNSET
    verified_only: bool | Unset = UNSET
    loan_share: str | Unset = UNSET
    min_per_loan: str | Unset = UNSET
    max_per_loan: str | Unset = UNSET
    max_capital_use: str | Unset = UNSET
    grade_limits: Any | Unset = UNSET
    borrower_limit: str | Unset = UNSET
    rate_spread: str | Unset = UNSET
    rate_jitter: str | Unset = UNSET
    min_rate: None | str | Unset = UNSET
    min_expected_return: None | str | Unset = UNSET
    rebid_step: str | Unset = UNSET
    rebid_floor_margin: str | Unset = UNSET
    name: str | Unset = UNSET
    enabled: bool | Unset = UNSET
    cash_reserve: str | Unset = UNSET
    last_run_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        min_credit_score = self.min_credit_score

        max_debt_to_income: None | str | Unset
        if isinstance(self.max_debt_to_income, Unset):
            max_debt_to_income = UNSET
        else:
            max_debt_to_income = self.max_debt_to_income

        grades = self.grades

        purposes = self.purposes

        terms = self.terms

        verified_only = self.verified_only

        loan_share = self.loan_share

        min_per_loan = self.min_per_loan

        max_per_loan = self.max_per_loan

        max_capital_use = self.max_capital_use

        grade_limits = self.grade_limits

        borrower_limit = self.borrower_limit

        rate_spread = self.rate_spread

        rate_jitter = self.rate_jitter

        min_rate: None | str | Unset
        if isinstance(self.min_rate, Unset):
            min_rate = UNSET
        else:
            min_rate = self.min_rate

        min_expected_return: None | str | Unset
        if isinstance(self.min_expected_return, Unset):
            min_expected_return = UNSET
        else:
            min_expected_return = self.min_expected_return

        rebid_step = self.rebid_step

        rebid_floor_margin = self.rebid_floor_margin

        name = self.name

        enabled = self.enabled

        cash_reserve = self.cash_reserve

        last_run_at: None | str | Unset
        if isinstance(self.last_run_at, Unset):
            last_run_at = UNSET
        elif isinstance(self.last_run_at, datetime.datetime):
            last_run_at = self.last_run_at.isoformat()
        else:
            last_run_at = self.last_run_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
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
        if name is not UNSET:
            field_dict["name"] = name
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if cash_reserve is not UNSET:
            field_dict["cashReserve"] = cash_reserve
        if last_run_at is not UNSET:
            field_dict["lastRunAt"] = last_run_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        min_credit_score = d.pop("minCreditScore", UNSET)

        def _parse_max_debt_to_income(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        max_debt_to_income = _parse_max_debt_to_income(d.pop("maxDebtToIncome", UNSET))

        grades = d.pop("grades", UNSET)

        purposes = d.pop("purposes", UNSET)

        terms = d.pop("terms", UNSET)

        verified_only = d.pop("verifiedOnly", UNSET)

        loan_share = d.pop("loanShare", UNSET)

        min_per_loan = d.pop("minPerLoan", UNSET)

        max_per_loan = d.pop("maxPerLoan", UNSET)

        max_capital_use = d.pop("maxCapitalUse", UNSET)

        grade_limits = d.pop("gradeLimits", UNSET)

        borrower_limit = d.pop("borrowerLimit", UNSET)

        rate_spread = d.pop("rateSpread", UNSET)

        rate_jitter = d.pop("rateJitter", UNSET)

        def _parse_min_rate(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        min_rate = _parse_min_rate(d.pop("minRate", UNSET))

        def _parse_min_expected_return(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        min_expected_return = _parse_min_expected_return(d.pop("minExpectedReturn", UNSET))

        rebid_step = d.pop("rebidStep", UNSET)

        rebid_floor_margin = d.pop("rebidFloorMargin", UNSET)

        name = d.pop("name", UNSET)

        enabled = d.pop("enabled", UNSET)

        cash_reserve = d.pop("cashReserve", UNSET)

        def _parse_last_run_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_run_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_run_at = _parse_last_run_at(d.pop("lastRunAt", UNSET))

        auto_invest_rule = cls(
            id=id,
            created_at=created_at,
            updated_at=updated_at,
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
            name=name,
            enabled=enabled,
            cash_reserve=cash_reserve,
            last_run_at=last_run_at,
        )

        auto_invest_rule.additional_properties = d
        return auto_invest_rule

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
