from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.listing_status_enum import ListingStatusEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="Listing")


@_attrs_define
class Listing:
    """
    Attributes:
        id (int):
        note_id (int):
        loan_id (int):
        grade (str):
        outstanding_principal (str):
        accrued_interest (str):
        price (str):
        price_percent (float):
        yield_to_maturity (float):
        remaining_payments (int):
        loan_status (str):
        seller (None | str):
        created_at (datetime.datetime):
        status (ListingStatusEnum | Unset): * `listed` - Listed
            * `suspended` - Suspended (the note does not qualify now)
            * `sold` - Sold
            * `cancelled` - Cancelled
        suspended_reason (str | Unset):
    """

    id: int
    note_id: int
    loan_id: int
    grade: str
    outstanding_principal: str
    accrued_interest: str
    price: str
    price_percent: float
    yield_to_maturity: float
    remaining_payments: int
    loan_status: str
    seller: None | str
    created_at: datetime.datetime
    status: ListingStatusEnum | Unset = UNSET
    suspended_reason: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        note_id = self.note_id

        loan_id = self.loan_id

        grade = self.grade

        outstanding_principal = self.outstanding_principal

        accrued_interest = self.accrued_interest

        price = self.price

        price_percent = self.price_percent

        yield_to_maturity = self.yield_to_maturity

        remaining_payments = self.remaining_payments

        loan_status = self.loan_status

        seller: None | str
        seller = self.seller

        created_at = self.created_at.isoformat()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        suspended_reason = self.suspended_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "noteId": note_id,
                "loanId": loan_id,
                "grade": grade,
                "outstandingPrincipal": outstanding_principal,
                "accruedInterest": accrued_interest,
                "price": price,
                "pricePercent": price_percent,
                "yieldToMaturity": yield_to_maturity,
                "remainingPayments": remaining_payments,
                "loanStatus": loan_status,
                "seller": seller,
                "createdAt": created_at,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if suspended_reason is not UNSET:
            field_dict["suspendedReason"] = suspended_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        note_id = d.pop("noteId")

        loan_id = d.pop("loanId")

        grade = d.pop("grade")

        outstanding_principal = d.pop("outstandingPrincipal")

        accrued_interest = d.pop("accruedInterest")

        price = d.pop("price")

        price_percent = d.pop("pricePercent")

        yield_to_maturity = d.pop("yieldToMaturity")

        remaining_payments = d.pop("remainingPayments")

        loan_status = d.pop("loanStatus")

        def _parse_seller(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        seller = _parse_seller(d.pop("seller"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        _status = d.pop("status", UNSET)
        status: ListingStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = ListingStatusEnum(_status)

        suspended_reason = d.pop("suspendedReason", UNSET)

        listing = cls(
            id=id,
            note_id=note_id,
            loan_id=loan_id,
            grade=grade,
            outstanding_principal=outstanding_principal,
            accrued_interest=accrued_interest,
            price=price,
            price_percent=price_percent,
            yield_to_maturity=yield_to_maturity,
            remaining_payments=remaining_payments,
            loan_status=loan_status,
            seller=seller,
            created_at=created_at,
            status=status,
            suspended_reason=suspended_reason,
        )

        listing.additional_properties = d
        return listing

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
