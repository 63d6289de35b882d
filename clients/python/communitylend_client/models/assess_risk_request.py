from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.assess_risk_employment_status_enum import AssessRiskEmploymentStatusEnum
from ..models.assess_risk_home_ownership_enum import AssessRiskHomeOwnershipEnum
from ..models.assess_risk_purpose_enum import AssessRiskPurposeEnum
from ..models.loan_term_enum import LoanTermEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="AssessRiskRequest")


@_attrs_define
class AssessRiskRequest:
    """The original platform's contract; ranges are checked again by the model's own validation.

    Attributes:
        loan_amount (float | str):  Example: 100.00.
        term_months (LoanTermEnum): * `12` - 12
            * `24` - 24
            * `36` - 36
            * `60` - 60
        purpose (AssessRiskPurposeEnum):
        annual_income (float | str):  Example: 100.00.
        employment_status (AssessRiskEmploymentStatusEnum): * `employed` - employed
            * `self_employed` - self_employed
            * `unemployed` - unemployed
            * `retired` - retired
            * `student` - student
        credit_score (int | None | Unset):
        employment_length (int | None | Unset):
        debt_to_income_ratio (float | None | str | Unset):  Example: 100.00.
        home_ownership (AssessRiskHomeOwnershipEnum | None | Unset):
        delinquencies2y (int | None | Unset):
        inquiries6m (int | None | Unset):
        credit_history_years (float | None | str | Unset):  Example: 100.00.
        open_credit_lines (int | None | Unset):
        total_credit_lines (int | None | Unset):
        revolving_balance (float | None | str | Unset):  Example: 100.00.
        revolving_utilization (float | None | str | Unset):  Example: 100.00.
        public_records (int | None | Unset):
        public_record_bankruptcies (int | None | Unset):
        months_since_last_delinquency (int | None | Unset):
    """

    loan_amount: float | str
    term_months: LoanTermEnum
    purpose: AssessRiskPurposeEnum
    annual_income: float | str
    employment_status: AssessRiskEmploymentStatusEnum
    credit_score: int | None | Unset = UNSET
    employment_length: int | None | Unset = UNSET
    debt_to_income_ratio: float | None | str | Unset = UNSET
    home_ownership: AssessRiskHomeOwnershipEnum | None | Unset = UNSET
    delinquencies2y: int | None | Unset = UNSET
    inquiries6m: int | None | Unset = UNSET
    credit_history_years: float | None | str | Unset = UNSET
    open_credit_lines: int | None | Unset = UNSET
    total_credit_lines: int | None | Unset = UNSET
    revolving_balance: float | None | str | Unset = UNSET
    revolving_utilization: float | None | str | Unset = UNSET
    public_records: int | None | Unset = UNSET
    public_record_bankruptcies: int | None | Unset = UNSET
    months_since_last_delinquency: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        loan_amount: float | str
        loan_amount = self.loan_amount

        term_months = self.term_months.value

        purpose = self.purpose.value

        annual_income: float | str
        annual_income = self.annual_income

        employment_status = self.employment_status.value

        credit_score: int | None | Unset
        if isinstance(self.credit_score, Unset):
            credit_score = UNSET
        else:
            credit_score = self.credit_score

        employment_length: int | None | Unset
        if isinstance(self.employment_length, Unset):
            employment_length = UNSET
        else:
            employment_length = self.employment_length

        debt_to_income_ratio: float | None | str | Unset
        if isinstance(self.debt_to_income_ratio, Unset):
            debt_to_income_ratio = UNSET
        else:
            debt_to_income_ratio = self.debt_to_income_ratio

        home_ownership: None | str | Unset
        if isinstance(self.home_ownership, Unset):
            home_ownership = UNSET
        elif isinstance(self.home_ownership, AssessRiskHomeOwnershipEnum):
            home_ownership = self.home_ownership.value
        else:
            home_ownership = self.home_ownership

        delinquencies2y: int | None | Unset
        if isinstance(self.delinquencies2y, Unset):
            delinquencies2y = UNSET
        else:
            delinquencies2y = self.delinquencies2y

        inquiries6m: int | None | Unset
        if isinstance(self.inquiries6m, Unset):
            inquiries6m = UNSET
        else:
            inquiries6m = self.inquiries6m

        credit_history_years: float | None | str | Unset
        if isinstance(self.credit_history_years, Unset):
            credit_history_years = UNSET
        else:
            credit_history_years = self.credit_history_years

        open_credit_lines: int | None | Unset
        if isinstance(self.open_credit_lines, Unset):
            open_credit_lines = UNSET
        else:
            open_credit_lines = self.open_credit_lines

        total_credit_lines: int | None | Unset
        if isinstance(self.total_credit_lines, Unset):
            total_credit_lines = UNSET
        else:
            total_credit_lines = self.total_credit_lines

        revolving_balance: float | None | str | Unset
        if isinstance(self.revolving_balance, Unset):
            revolving_balance = UNSET
        else:
            revolving_balance = self.revolving_balance

        revolving_utilization: float | None | str | Unset
        if isinstance(self.revolving_utilization, Unset):
            revolving_utilization = UNSET
        else:
            revolving_utilization = self.revolving_utilization

        public_records: int | None | Unset
        if isinstance(self.public_records, Unset):
            public_records = UNSET
        else:
            public_records = self.public_records

        public_record_bankruptcies: int | None | Unset
        if isinstance(self.public_record_bankruptcies, Unset):
            public_record_bankruptcies = UNSET
        else:
            public_record_bankruptcies = self.public_record_bankruptcies

        months_since_last_delinquency: int | None | Unset
        if isinstance(self.months_since_last_delinquency, Unset):
            months_since_last_delinquency = UNSET
        else:
            months_since_last_delinquency = self.months_since_last_delinquency

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "loanAmount": loan_amount,
                "termMonths": term_months,
                "purpose": purpose,
                "annualIncome": annual_income,
                "employmentStatus": employment_status,
            }
        )
        if credit_score is not UNSET:
            field_dict["creditScore"] = credit_score
        if employment_length is not UNSET:
            field_dict["employmentLength"] = employment_length
        if debt_to_income_ratio is not UNSET:
            field_dict["debtToIncomeRatio"] = debt_to_income_ratio
        if home_ownership is not UNSET:
            field_dict["homeOwnership"] = home_ownership
        if delinquencies2y is not UNSET:
            field_dict["delinquencies2y"] = delinquencies2y
        if inquiries6m is not UNSET:
            field_dict["inquiries6m"] = inquiries6m
        if credit_history_years is not UNSET:
            field_dict["creditHistoryYears"] = credit_history_years
        if open_credit_lines is not UNSET:
            field_dict["openCreditLines"] = open_credit_lines
        if total_credit_lines is not UNSET:
            field_dict["totalCreditLines"] = total_credit_lines
        if revolving_balance is not UNSET:
            field_dict["revolvingBalance"] = revolving_balance
        if revolving_utilization is not UNSET:
            field_dict["revolvingUtilization"] = revolving_utilization
        if public_records is not UNSET:
            field_dict["publicRecords"] = public_records
        if public_record_bankruptcies is not UNSET:
            field_dict["publicRecordBankruptcies"] = public_record_bankruptcies
        if months_since_last_delinquency is not UNSET:
            field_dict["monthsSinceLastDelinquency"] = months_since_last_delinquency

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_loan_amount(data: object) -> float | str:
            return cast(float | str, data)

        loan_amount = _parse_loan_amount(d.pop("loanAmount"))

        term_months = LoanTermEnum(d.pop("termMonths"))

        purpose = AssessRiskPurposeEnum(d.pop("purpose"))

        def _parse_annual_income(data: object) -> float | str:
            return cast(float | str, data)

        annual_income = _parse_annual_income(d.pop("annualIncome"))

        employment_status = AssessRiskEmploymentStatusEnum(d.pop("employmentStatus"))

        def _parse_credit_score(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        credit_score = _parse_credit_score(d.pop("creditScore", UNSET))

        def _parse_employment_length(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        employment_length = _parse_employment_length(d.pop("employmentLength", UNSET))

        def _parse_debt_to_income_ratio(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        debt_to_income_ratio = _parse_debt_to_income_ratio(d.pop("debtToIncomeRatio", UNSET))

        def _parse_home_ownership(data: object) -> AssessRiskHomeOwnershipEnum | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                home_ownership_type_1 = AssessRiskHomeOwnershipEnum(data)

                return home_ownership_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssessRiskHomeOwnershipEnum | None | Unset, data)

        home_ownership = _parse_home_ownership(d.pop("homeOwnership", UNSET))

        def _parse_delinquencies2y(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        delinquencies2y = _parse_delinquencies2y(d.pop("delinquencies2y", UNSET))

        def _parse_inquiries6m(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        inquiries6m = _parse_inquiries6m(d.pop("inquiries6m", UNSET))

        def _parse_credit_history_years(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        credit_history_years = _parse_credit_history_years(d.pop("creditHistoryYears", UNSET))

        def _parse_open_credit_lines(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        open_credit_lines = _parse_open_credit_lines(d.pop("openCreditLines", UNSET))

        def _parse_total_credit_lines(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        total_credit_lines = _parse_total_credit_lines(d.pop("totalCreditLines", UNSET))

        def _parse_revolving_balance(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        revolving_balance = _parse_revolving_balance(d.pop("revolvingBalance", UNSET))

        def _parse_revolving_utilization(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        revolving_utilization = _parse_revolving_utilization(d.pop("revolvingUtilization", UNSET))

        def _parse_public_records(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        public_records = _parse_public_records(d.pop("publicRecords", UNSET))

        def _parse_public_record_bankruptcies(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        public_record_bankruptcies = _parse_public_record_bankruptcies(
            d.pop("publicRecordBankruptcies", UNSET)
        )

        def _parse_months_since_last_delinquency(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        months_since_last_delinquency = _parse_months_since_last_delinquency(
            d.pop("monthsSinceLastDelinquency", UNSET)
        )

        assess_risk_request = cls(
            loan_amount=loan_amount,
            term_months=term_months,
            purpose=purpose,
            annual_income=annual_income,
            employment_status=employment_status,
            credit_score=credit_score,
            employment_length=employment_length,
            debt_to_income_ratio=debt_to_income_ratio,
            home_ownership=home_ownership,
            delinquencies2y=delinquencies2y,
            inquiries6m=inquiries6m,
            credit_history_years=credit_history_years,
            open_credit_lines=open_credit_lines,
            total_credit_lines=total_credit_lines,
            revolving_balance=revolving_balance,
            revolving_utilization=revolving_utilization,
            public_records=public_records,
            public_record_bankruptcies=public_record_bankruptcies,
            months_since_last_delinquency=months_since_last_delinquency,
        )

        return assess_risk_request
