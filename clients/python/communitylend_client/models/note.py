from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.note_status_enum import NoteStatusEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.note_hardship_plan import NoteHardshipPlan


T = TypeVar("T", bound="Note")


@_attrs_define
class Note:
    """
    Attributes:
        id (int):
        loan_id (int):
        grade (str):
        loan_status (str):
        amount (str):
        principal (str):
        rate (float):
        outstanding_principal (str):
        model_value (None | str): Expected cash flows at the PD for the loan's status, discounted at the note's rate
            (open notes only).
        purchase_price (None | str):
        recoveries (str):  Default: '0.00'.
        hardship_plan (None | NoteHardshipPlan):
        created_at (datetime.datetime):
        status (NoteStatusEnum | Unset): * `active` - Active
            * `repaid` - Repaid
            * `charged_off` - Charged off
            * `sold` - Sold
        principal_received (str | Unset):
        interest_received (str | Unset):
        late_fees_received (str | Unset):
        servicing_fees_paid (str | Unset):
        charged_off_principal (str | Unset):
        sold_principal (str | Unset):
        capitalized_principal (str | Unset):
        acquired_from (int | None | Unset):
    """

    id: int
    loan_id: int
    grade: str
    loan_status: str
    amount: str
    principal: str
    rate: float
    outstanding_principal: str
    model_value: None | str
    purchase_price: None | str
    hardship_plan: None | NoteHardshipPlan
    created_at: datetime.datetime
    recoveries: str = "0.00"
    status: NoteStatusEnum | Unset = UNSET
    principal_received: str | Unset = UNSET
    interest_received: str | Unset = UNSET
    late_fees_received: str | Unset = UNSET
    servicing_fees_paid: str | Unset = UNSET
    charged_off_principal: str | Unset = UNSET
    sold_principal: str | Unset = UNSET
    capitalized_principal: str | Unset = UNSET
    acquired_from: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.note_hardship_plan import NoteHardshipPlan  # noqa: PLC0415

        id = self.id

        loan_id = self.loan_id

        grade = self.grade

        loan_status = self.loan_status

        amount = self.amount

        principal = self.principal

        rate = self.rate

        outstanding_principal = self.outstanding_principal

        model_value: None | str
        model_value = self.model_value

        purchase_price: None | str
        purchase_price = self.purchase_price

        recoveries = self.recoveries

        hardship_plan: dict[str, Any] | None
        if isinstance(self.hardship_plan, NoteHardshipPlan):
            hardship_plan = self.hardship_plan.to_dict()
        else:
            hardship_plan = self.hardship_plan

        created_at = self.created_at.isoformat()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        principal_received = self.principal_received

        interest_received = self.interest_received

        late_fees_received = self.late_fees_received

        servicing_fees_paid = self.servicing_fees_paid

        charged_off_principal = self.charged_off_principal

        sold_principal = self.sold_principal

        capitalized_principal = self.capitalized_principal

        acquired_from: int | None | Unset
        if isinstance(self.acquired_from, Unset):
            acquired_from = UNSET
        else:
            acquired_from = self.acquired_from

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "loanId": loan_id,
                "grade": grade,
                "loanStatus": loan_status,
                "amount": amount,
                "principal": principal,
                "rate": rate,
                "outstandingPrincipal": outstanding_principal,
                "modelValue": model_value,
                "purchasePrice": purchase_price,
                "recoveries": recoveries,
                "hardshipPlan": hardship_plan,
                "createdAt": created_at,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if principal_received is not UNSET:
            field_dict["principalReceived"] = principal_received
        if interest_received is not UNSET:
            field_dict["interestReceived"] = interest_received
        if late_fees_received is not UNSET:
            field_dict["lateFeesReceived"] = late_fees_received
        if servicing_fees_paid is not UNSET:
            field_dict["servicingFeesPaid"] = servicing_fees_paid
        if charged_off_principal is not UNSET:
            field_dict["chargedOffPrincipal"] = charged_off_principal
        if sold_principal is not UNSET:
            field_dict["soldPrincipal"] = sold_principal
        if capitalized_principal is not UNSET:
            field_dict["capitalizedPrincipal"] = capitalized_principal
        if acquired_from is not UNSET:
            field_dict["acquiredFrom"] = acquired_from

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.note_hardship_plan import NoteHardshipPlan  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        loan_id = d.pop("loanId")

        grade = d.pop("grade")

        loan_status = d.pop("loanStatus")

        amount = d.pop("amount")

        principal = d.pop("principal")

        rate = d.pop("rate")

        outstanding_principal = d.pop("outstandingPrincipal")

        def _parse_model_value(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        model_value = _parse_model_value(d.pop("modelValue"))

        def _parse_purchase_price(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        purchase_price = _parse_purchase_price(d.pop("purchasePrice"))

        recoveries = d.pop("recoveries")

        def _parse_hardship_plan(data: object) -> None | NoteHardshipPlan:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                hardship_plan_type_1 = NoteHardshipPlan.from_dict(data)

                return hardship_plan_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | NoteHardshipPlan, data)

        hardship_plan = _parse_hardship_plan(d.pop("hardshipPlan"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        _status = d.pop("status", UNSET)
        status: NoteStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = NoteStatusEnum(_status)

        principal_received = d.pop("principalReceived", UNSET)

        interest_received = d.pop("interestReceived", UNSET)

        late_fees_received = d.pop("lateFeesReceived", UNSET)

        servicing_fees_paid = d.pop("servicingFeesPaid", UNSET)

        charged_off_principal = d.pop("chargedOffPrincipal", UNSET)

        sold_principal = d.pop("soldPrincipal", UNSET)

        capitalized_principal = d.pop("capitalizedPrincipal", UNSET)

        def _parse_acquired_from(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        acquired_from = _parse_acquired_from(d.pop("acquiredFrom", UNSET))

        note = cls(
            id=id,
            loan_id=loan_id,
            grade=grade,
            loan_status=loan_status,
            amount=amount,
            principal=principal,
            rate=rate,
            outstanding_principal=outstanding_principal,
            model_value=model_value,
            purchase_price=purchase_price,
            recoveries=recoveries,
            hardship_plan=hardship_plan,
            created_at=created_at,
            status=status,
            principal_received=principal_received,
            interest_received=interest_received,
            late_fees_received=late_fees_received,
            servicing_fees_paid=servicing_fees_paid,
            charged_off_principal=charged_off_principal,
            sold_principal=sold_principal,
            capitalized_principal=capitalized_principal,
            acquired_from=acquired_from,
        )

        note.additional_properties = d
        return note

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
