from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.blank_enum import BlankEnum
from ..models.loan_status_enum import LoanStatusEnum
from ..models.purpose_enum import PurposeEnum
from ..models.risk_grade_enum import RiskGradeEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.borrower import Borrower


T = TypeVar("T", bound="Loan")


@_attrs_define
class Loan:
    """API.md's loan: the list and the detail carry the same fields.

    Attributes:
        id (int):
        amount (str):
        requested_amount (str):
        interest_rate (float):
        max_rate (float):
        term_months (int):
        purpose (PurposeEnum): * `debt_consolidation` - Debt consolidation
            * `credit_card` - Credit card refinancing
            * `home_improvement` - Home improvement
            * `major_purchase` - Major purchase
            * `medical` - Medical
            * `car` - Car
            * `business` - Business
            * `education` - Education
            * `other` - Other
        risk_grade (str):
        floor_rate (float):
        recommended_rate (float):
        monthly_payment (str):
        total_payment (str):
        apr (float):
        funded_amount (str):
        funded_percent (int):
        clearing_rate (float | None):
        funding_deadline (datetime.datetime):
        created_at (datetime.datetime):
        rate_below_floor (bool):
        borrower (Borrower):
        expected_loss_rate (float | None): Percent a year of the balance lost to expected defaults, net of recoveries
        expected_net_return (float | None): Percent a year a lender can expect at the clearing rate (the borrower's
            maximum before it is covered), after expected losses and the 1% fee
        status (LoanStatusEnum | Unset): * `listed` - Listed
            * `funded` - Funded (awaiting acceptance)
            * `partially_funded` - Partially funded (awaiting acceptance)
            * `expired` - Expired
            * `cancelled` - Cancelled
            * `active` - Active
            * `late` - Late
            * `default` - Default
            * `charged_off` - Charged off
            * `repaid` - Repaid
        model_grade (BlankEnum | RiskGradeEnum | Unset):
        ml_score (int | None | Unset):
        probability_default (None | str | Unset):
        origination_fee (str | Unset): Estimate while listed; charged at acceptance.
        bid_count (int | Unset):
        acceptance_deadline (datetime.datetime | None | Unset):
        disbursed_at (datetime.datetime | None | Unset):
        description (str | Unset):
        collateral_description (str | Unset):
    """

    id: int
    amount: str
    requested_amount: str
    interest_rate: float
    max_rate: float
    term_months: int
    purpose: PurposeEnum
    risk_grade: str
    floor_rate: float
    recommended_rate: float
    monthly_payment: str
    total_payment: str
    apr: float
    funded_amount: str
    funded_percent: int
    clearing_rate: float | None
    funding_deadline: datetime.datetime
    created_at: datetime.datetime
    rate_below_floor: bool
    borrower: Borrower
    expected_loss_rate: float | None
    expected_net_return: float | None
    status: LoanStatusEnum | Unset = UNSET
    model_grade: BlankEnum | RiskGradeEnum | Unset = UNSET
    ml_score: int | None | Unset = UNSET
    probability_default: None | str | Unset = UNSET
    origination_fee: str | Unset = UNSET
    bid_count: int | Unset = UNSET
    acceptance_deadline: datetime.datetime | None | Unset = UNSET
    disbursed_at: datetime.datetime | None | Unset = UNSET
    description: str | Unset = UNSET
    collateral_description: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        amount = self.amount

        requested_amount = self.requested_amount

        interest_rate = self.interest_rate

        max_rate = self.max_rate

        term_months = self.term_months

        purpose = self.purpose.value

        risk_grade = self.risk_grade

        floor_rate = self.floor_rate

        recommended_rate = self.recommended_rate

        monthly_payment = self.monthly_payment

        total_payment = self.total_payment

        apr = self.apr

        funded_amount = self.funded_amount

        funded_percent = self.funded_percent

        clearing_rate: float | None
        clearing_rate = self.clearing_rate

        funding_deadline = self.funding_deadline.isoformat()

        created_at = self.created_at.isoformat()

        rate_below_floor = self.rate_below_floor

        borrower = self.borrower.to_dict()

        expected_loss_rate: float | None
        expected_loss_rate = self.expected_loss_rate

        expected_net_return: float | None
        expected_net_return = self.expected_net_return

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        model_grade: str | Unset
        if isinstance(self.model_grade, Unset):
            model_grade = UNSET
        elif isinstance(self.model_grade, RiskGradeEnum):
            model_grade = self.model_grade.value
        else:
            model_grade = self.model_grade.value

        ml_score: int | None | Unset
        if isinstance(self.ml_score, Unset):
            ml_score = UNSET
        else:
            ml_score = self.ml_score

        probability_default: None | str | Unset
        if isinstance(self.probability_default, Unset):
            probability_default = UNSET
        else:
            probability_default = self.probability_default

        origination_fee = self.origination_fee

        bid_count = self.bid_count

        acceptance_deadline: None | str | Unset
        if isinstance(self.acceptance_deadline, Unset):
            acceptance_deadline = UNSET
        elif isinstance(self.acceptance_deadline, datetime.datetime):
            acceptance_deadline = self.acceptance_deadline.isoformat()
        else:
            acceptance_deadline = self.acceptance_deadline

        disbursed_at: None | str | Unset
        if isinstance(self.disbursed_at, Unset):
            disbursed_at = UNSET
        elif isinstance(self.disbursed_at, datetime.datetime):
            disbursed_at = self.disbursed_at.isoformat()
        else:
            disbursed_at = self.disbursed_at

        description = self.description

        collateral_description = self.collateral_description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "amount": amount,
                "requestedAmount": requested_amount,
                "interestRate": interest_rate,
                "maxRate": max_rate,
                "termMonths": term_months,
                "purpose": purpose,
                "riskGrade": risk_grade,
                "floorRate": floor_rate,
                "recommendedRate": recommended_rate,
                "monthlyPayment": monthly_payment,
                "totalPayment": total_payment,
                "apr": apr,
                "fundedAmount": funded_amount,
                "fundedPercent": funded_percent,
                "clearingRate": clearing_rate,
                "fundingDeadline": funding_deadline,
                "createdAt": created_at,
                "rateBelowFloor": rate_below_floor,
                "borrower": borrower,
                "expectedLossRate": expected_loss_rate,
                "expectedNetReturn": expected_net_return,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if model_grade is not UNSET:
            field_dict["modelGrade"] = model_grade
        if ml_score is not UNSET:
            field_dict["mlScore"] = ml_score
        if probability_default is not UNSET:
            field_dict["probabilityDefault"] = probability_default
        if origination_fee is not UNSET:
            field_dict["originationFee"] = origination_fee
        if bid_count is not UNSET:
            field_dict["bidCount"] = bid_count
        if acceptance_deadline is not UNSET:
            field_dict["acceptanceDeadline"] = acceptance_deadline
        if disbursed_at is not UNSET:
            field_dict["disbursedAt"] = disbursed_at
        if description is not UNSET:
            field_dict["description"] = description
        if collateral_description is not UNSET:
            field_dict["collateralDescription"] = collateral_description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.borrower import Borrower  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        amount = d.pop("amount")

        requested_amount = d.pop("requestedAmount")

        interest_rate = d.pop("interestRate")

        max_rate = d.pop("maxRate")

        term_months = d.pop("termMonths")

        purpose = PurposeEnum(d.pop("purpose"))

        risk_grade = d.pop("riskGrade")

        floor_rate = d.pop("floorRate")

        recommended_rate = d.pop("recommendedRate")

        monthly_payment = d.pop("monthlyPayment")

        total_payment = d.pop("totalPayment")

        apr = d.pop("apr")

        funded_amount = d.pop("fundedAmount")

        funded_percent = d.pop("fundedPercent")

        def _parse_clearing_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        clearing_rate = _parse_clearing_rate(d.pop("clearingRate"))

        funding_deadline = datetime.datetime.fromisoformat(d.pop("fundingDeadline"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        rate_below_floor = d.pop("rateBelowFloor")

        borrower = Borrower.from_dict(d.pop("borrower"))

        def _parse_expected_loss_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expected_loss_rate = _parse_expected_loss_rate(d.pop("expectedLossRate"))

        def _parse_expected_net_return(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expected_net_return = _parse_expected_net_return(d.pop("expectedNetReturn"))

        _status = d.pop("status", UNSET)
        status: LoanStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = LoanStatusEnum(_status)

        def _parse_model_grade(data: object) -> BlankEnum | RiskGradeEnum | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                model_grade_type_0 = RiskGradeEnum(data)

                return model_grade_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            model_grade_type_1 = BlankEnum(data)

            return model_grade_type_1

        model_grade = _parse_model_grade(d.pop("modelGrade", UNSET))

        def _parse_ml_score(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        ml_score = _parse_ml_score(d.pop("mlScore", UNSET))

        def _parse_probability_default(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        probability_default = _parse_probability_default(d.pop("probabilityDefault", UNSET))

        origination_fee = d.pop("originationFee", UNSET)

        bid_count = d.pop("bidCount", UNSET)

        def _parse_acceptance_deadline(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acceptance_deadline_type_0 = datetime.datetime.fromisoformat(data)

                return acceptance_deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        acceptance_deadline = _parse_acceptance_deadline(d.pop("acceptanceDeadline", UNSET))

        def _parse_disbursed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                disbursed_at_type_0 = datetime.datetime.fromisoformat(data)

                return disbursed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        disbursed_at = _parse_disbursed_at(d.pop("disbursedAt", UNSET))

        description = d.pop("description", UNSET)

        collateral_description = d.pop("collateralDescription", UNSET)

        loan = cls(
            id=id,
            amount=amount,
            requested_amount=requested_amount,
            interest_rate=interest_rate,
            max_rate=max_rate,
            term_months=term_months,
            purpose=purpose,
            risk_grade=risk_grade,
            floor_rate=floor_rate,
            recommended_rate=recommended_rate,
            monthly_payment=monthly_payment,
            total_payment=total_payment,
            apr=apr,
            funded_amount=funded_amount,
            funded_percent=funded_percent,
            clearing_rate=clearing_rate,
            funding_deadline=funding_deadline,
            created_at=created_at,
            rate_below_floor=rate_below_floor,
            borrower=borrower,
            expected_loss_rate=expected_loss_rate,
            expected_net_return=expected_net_return,
            status=status,
            model_grade=model_grade,
            ml_score=ml_score,
            probability_default=probability_default,
            origination_fee=origination_fee,
            bid_count=bid_count,
            acceptance_deadline=acceptance_deadline,
            disbursed_at=disbursed_at,
            description=description,
            collateral_description=collateral_description,
        )

        loan.additional_properties = d
        return loan

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
