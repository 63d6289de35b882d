from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.blank_enum import BlankEnum
from ..models.profile_employment_status_enum import ProfileEmploymentStatusEnum
from ..models.profile_home_ownership_enum import ProfileHomeOwnershipEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address_request import AddressRequest


T = TypeVar("T", bound="PatchedProfileRequest")


@_attrs_define
class PatchedProfileRequest:
    """Every profile field (camelCase on the wire). Writes are partial: send what changes.

    Attributes:
        first_name (str | Unset):
        last_name (str | Unset):
        phone (str | Unset):
        date_of_birth (datetime.date | None | Unset):
        address (AddressRequest | Unset):
        annual_income (float | None | str | Unset):  Example: 100.00.
        employment_status (BlankEnum | ProfileEmploymentStatusEnum | Unset):
        employment_length (int | None | Unset):
        monthly_debt (float | None | str | Unset):  Example: 100.00.
        credit_score (int | None | Unset):
        home_ownership (BlankEnum | ProfileHomeOwnershipEnum | Unset):
        earliest_credit_line (datetime.date | None | Unset):
        open_credit_lines (int | None | Unset):
        total_credit_lines (int | None | Unset):
        revolving_balance (float | None | str | Unset):  Example: 100.00.
        revolving_utilization (float | None | str | Unset):  Example: 100.00.
        inquiries6m (int | None | Unset):
        delinquencies2y (int | None | Unset):
        months_since_last_delinquency (int | None | Unset):
        public_records (int | None | Unset):
        public_record_bankruptcies (int | None | Unset):
        is_borrower (bool | Unset):
        is_lender (bool | Unset):
    """

    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    phone: str | Unset = UNSET
    date_of_birth: datetime.date | None | Unset = UNSET
    address: AddressRequest | Unset = UNSET
    annual_income: float | None | str | Unset = UNSET
    employment_status: BlankEnum | ProfileEmploymentStatusEnum | Unset = UNSET
    employment_length: int | None | Unset = UNSET
    monthly_debt: float | None | str | Unset = UNSET
    credit_score: int | None | Unset = UNSET
    home_ownership: BlankEnum | ProfileHomeOwnershipEnum | Unset = UNSET
    earliest_credit_line: datetime.date | None | Unset = UNSET
    open_credit_lines: int | None | Unset = UNSET
    total_credit_lines: int | None | Unset = UNSET
    revolving_balance: float | None | str | Unset = UNSET
    revolving_utilization: float | None | str | Unset = UNSET
    inquiries6m: int | None | Unset = UNSET
    delinquencies2y: int | None | Unset = UNSET
    months_since_last_delinquency: int | None | Unset = UNSET
    public_records: int | None | Unset = UNSET
    public_record_bankruptcies: int | None | Unset = UNSET
    is_borrower: bool | Unset = UNSET
    is_lender: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        first_name = self.first_name

        last_name = self.last_name

        phone = self.phone

        date_of_birth: None | str | Unset
        if isinstance(self.date_of_birth, Unset):
            date_of_birth = UNSET
        elif isinstance(self.date_of_birth, datetime.date):
            date_of_birth = self.date_of_birth.isoformat()
        else:
            date_of_birth = self.date_of_birth

        address: dict[str, Any] | Unset = UNSET
        if not isinstance(self.address, Unset):
            address = self.address.to_dict()

        annual_income: float | None | str | Unset
        if isinstance(self.annual_income, Unset):
            annual_income = UNSET
        else:
            annual_income = self.annual_income

        employment_status: str | Unset
        if isinstance(self.employment_status, Unset):
            employment_status = UNSET
        elif isinstance(self.employment_status, ProfileEmploymentStatusEnum):
            employment_status = self.employment_status.value
        else:
            employment_status = self.employment_status.value

        employment_length: int | None | Unset
        if isinstance(self.employment_length, Unset):
            employment_length = UNSET
        else:
            employment_length = self.employment_length

        monthly_debt: float | None | str | Unset
        if isinstance(self.monthly_debt, Unset):
            monthly_debt = UNSET
        else:
            monthly_debt = self.monthly_debt

        credit_score: int | None | Unset
        if isinstance(self.credit_score, Unset):
            credit_score = UNSET
        else:
            credit_score = self.credit_score

        home_ownership: str | Unset
        if isinstance(self.home_ownership, Unset):
            home_ownership = UNSET
        elif isinstance(self.home_ownership, ProfileHomeOwnershipEnum):
            home_ownership = self.home_ownership.value
        else:
            home_ownership = self.home_ownership.value

        earliest_credit_line: None | str | Unset
        if isinstance(self.earliest_credit_line, Unset):
            earliest_credit_line = UNSET
        elif isinstance(self.earliest_credit_line, datetime.date):
            earliest_credit_line = self.earliest_credit_line.isoformat()
        else:
            earliest_credit_line = self.earliest_credit_line

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

        inquiries6m: int | None | Unset
        if isinstance(self.inquiries6m, Unset):
            inquiries6m = UNSET
        else:
            inquiries6m = self.inquiries6m

        delinquencies2y: int | None | Unset
        if isinstance(self.delinquencies2y, Unset):
            delinquencies2y = UNSET
        else:
            delinquencies2y = self.delinquencies2y

        months_since_last_delinquency: int | None | Unset
        if isinstance(self.months_since_last_delinquency, Unset):
            months_since_last_delinquency = UNSET
        else:
            months_since_last_delinquency = self.months_since_last_delinquency

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

        is_borrower = self.is_borrower

        is_lender = self.is_lender

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if first_name is not UNSET:
            field_dict["firstName"] = first_name
        if last_name is not UNSET:
            field_dict["lastName"] = last_name
        if phone is not UNSET:
            field_dict["phone"] = phone
        if date_of_birth is not UNSET:
            field_dict["dateOfBirth"] = date_of_birth
        if address is not UNSET:
            field_dict["address"] = address
        if annual_income is not UNSET:
            field_dict["annualIncome"] = annual_income
        if employment_status is not UNSET:
            field_dict["employmentStatus"] = employment_status
        if employment_length is not UNSET:
            field_dict["employmentLength"] = employment_length
        if monthly_debt is not UNSET:
            field_dict["monthlyDebt"] = monthly_debt
        if credit_score is not UNSET:
            field_dict["creditScore"] = credit_score
        if home_ownership is not UNSET:
            field_dict["homeOwnership"] = home_ownership
        if earliest_credit_line is not UNSET:
            field_dict["earliestCreditLine"] = earliest_credit_line
        if open_credit_lines is not UNSET:
            field_dict["openCreditLines"] = open_credit_lines
        if total_credit_lines is not UNSET:
            field_dict["totalCreditLines"] = total_credit_lines
        if revolving_balance is not UNSET:
            field_dict["revolvingBalance"] = revolving_balance
        if revolving_utilization is not UNSET:
            field_dict["revolvingUtilization"] = revolving_utilization
        if inquiries6m is not UNSET:
            field_dict["inquiries6m"] = inquiries6m
        if delinquencies2y is not UNSET:
            field_dict["delinquencies2y"] = delinquencies2y
        if months_since_last_delinquency is not UNSET:
            field_dict["monthsSinceLastDelinquency"] = months_since_last_delinquency
        if public_records is not UNSET:
            field_dict["publicRecords"] = public_records
        if public_record_bankruptcies is not UNSET:
            field_dict["publicRecordBankruptcies"] = public_record_bankruptcies
        if is_borrower is not UNSET:
            field_dict["isBorrower"] = is_borrower
        if is_lender is not UNSET:
            field_dict["isLender"] = is_lender

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_request import AddressRequest  # noqa: PLC0415

        d = dict(src_dict)
        first_name = d.pop("firstName", UNSET)

        last_name = d.pop("lastName", UNSET)

        phone = d.pop("phone", UNSET)

        def _parse_date_of_birth(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_of_birth_type_0 = datetime.date.fromisoformat(data)

                return date_of_birth_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        date_of_birth = _parse_date_of_birth(d.pop("dateOfBirth", UNSET))

        _address = d.pop("address", UNSET)
        address: AddressRequest | Unset
        if isinstance(_address, Unset):
            address = UNSET
        else:
            address = AddressRequest.from_dict(_address)

        def _parse_annual_income(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        annual_income = _parse_annual_income(d.pop("annualIncome", UNSET))

        def _parse_employment_status(
            data: object,
        ) -> BlankEnum | ProfileEmploymentStatusEnum | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                employment_status_type_0 = ProfileEmploymentStatusEnum(data)

                return employment_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            employment_status_type_1 = BlankEnum(data)

            return employment_status_type_1

        employment_status = _parse_employment_status(d.pop("employmentStatus", UNSET))

        def _parse_employment_length(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        employment_length = _parse_employment_length(d.pop("employmentLength", UNSET))

        def _parse_monthly_debt(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        monthly_debt = _parse_monthly_debt(d.pop("monthlyDebt", UNSET))

        def _parse_credit_score(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        credit_score = _parse_credit_score(d.pop("creditScore", UNSET))

        def _parse_home_ownership(data: object) -> BlankEnum | ProfileHomeOwnershipEnum | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                home_ownership_type_0 = ProfileHomeOwnershipEnum(data)

                return home_ownership_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            home_ownership_type_1 = BlankEnum(data)

            return home_ownership_type_1

        home_ownership = _parse_home_ownership(d.pop("homeOwnership", UNSET))

        def _parse_earliest_credit_line(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                earliest_credit_line_type_0 = datetime.date.fromisoformat(data)

                return earliest_credit_line_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        earliest_credit_line = _parse_earliest_credit_line(d.pop("earliestCreditLine", UNSET))

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

        def _parse_inquiries6m(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        inquiries6m = _parse_inquiries6m(d.pop("inquiries6m", UNSET))

        def _parse_delinquencies2y(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        delinquencies2y = _parse_delinquencies2y(d.pop("delinquencies2y", UNSET))

        def _parse_months_since_last_delinquency(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        months_since_last_delinquency = _parse_months_since_last_delinquency(
            d.pop("monthsSinceLastDelinquency", UNSET)
        )

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

        is_borrower = d.pop("isBorrower", UNSET)

        is_lender = d.pop("isLender", UNSET)

        patched_profile_request = cls(
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            date_of_birth=date_of_birth,
            address=address,
            annual_income=annual_income,
            employment_status=employment_status,
            employment_length=employment_length,
            monthly_debt=monthly_debt,
            credit_score=credit_score,
            home_ownership=home_ownership,
            earliest_credit_line=earliest_credit_line,
            open_credit_lines=open_credit_lines,
            total_credit_lines=total_credit_lines,
            revolving_balance=revolving_balance,
            revolving_utilization=revolving_utilization,
            inquiries6m=inquiries6m,
            delinquencies2y=delinquencies2y,
            months_since_last_delinquency=months_since_last_delinquency,
            public_records=public_records,
            public_record_bankruptcies=public_record_bankruptcies,
            is_borrower=is_borrower,
            is_lender=is_lender,
        )

        return patched_profile_request
