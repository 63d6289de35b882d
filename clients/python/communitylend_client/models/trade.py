from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Trade")


@_attrs_define
class Trade:
    """
    Attributes:
        id (int):
        note_id (int):
        buyer_note_id (int):
        loan_id (int):
        price (str):
        fee (str):
        principal (str):
        accrued_interest (str):
        price_percent (float):
        buyer_id (int):
        seller_id (int):
        traded_at (datetime.datetime):
    """

    id: int
    note_id: int
    buyer_note_id: int
    loan_id: int
    price: str
    fee: str
    principal: str
    accrued_interest: str
    price_percent: float
    buyer_id: int
    seller_id: int
    traded_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        note_id = self.note_id

        buyer_note_id = self.buyer_note_id

        loan_id = self.loan_id

        price = self.price

        fee = self.fee

        principal = self.principal

        accrued_interest = self.accrued_interest

        price_percent = self.price_percent

        buyer_id = self.buyer_id

        seller_id = self.seller_id

        traded_at = self.traded_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "noteId": note_id,
                "buyerNoteId": buyer_note_id,
                "loanId": loan_id,
                "price": price,
                "fee": fee,
                "principal": principal,
                "accruedInterest": accrued_interest,
                "pricePercent": price_percent,
                "buyerId": buyer_id,
                "sellerId": seller_id,
                "tradedAt": traded_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        note_id = d.pop("noteId")

        buyer_note_id = d.pop("buyerNoteId")

        loan_id = d.pop("loanId")

        price = d.pop("price")

        fee = d.pop("fee")

        principal = d.pop("principal")

        accrued_interest = d.pop("accruedInterest")

        price_percent = d.pop("pricePercent")

        buyer_id = d.pop("buyerId")

        seller_id = d.pop("sellerId")

        traded_at = datetime.datetime.fromisoformat(d.pop("tradedAt"))

        trade = cls(
            id=id,
            note_id=note_id,
            buyer_note_id=buyer_note_id,
            loan_id=loan_id,
            price=price,
            fee=fee,
            principal=principal,
            accrued_interest=accrued_interest,
            price_percent=price_percent,
            buyer_id=buyer_id,
            seller_id=seller_id,
            traded_at=traded_at,
        )

        trade.additional_properties = d
        return trade

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
