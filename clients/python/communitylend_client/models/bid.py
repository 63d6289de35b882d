from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.bid_status_enum import BidStatusEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bid_lender_type_0 import BidLenderType0


T = TypeVar("T", bound="Bid")


@_attrs_define
class Bid:
    """
    Attributes:
        id (int):
        loan_id (int):
        amount (str):
        rate (float):
        placed_at (datetime.datetime):
        mine (bool):
        lender (BidLenderType0 | None):
        standing (None | str): The viewer's own bids only (API.md, "My bids"): winning, partly_winning, outbid, won,
            lost or withdrawn. Views that list many bids pass ``standings`` in the context.
        accepted_amount (str | Unset):
        status (BidStatusEnum | Unset): * `open` - Open
            * `won` - Won
            * `partly_won` - Partly won
            * `lost` - Lost
            * `withdrawn` - Withdrawn
    """

    id: int
    loan_id: int
    amount: str
    rate: float
    placed_at: datetime.datetime
    mine: bool
    lender: BidLenderType0 | None
    standing: None | str
    accepted_amount: str | Unset = UNSET
    status: BidStatusEnum | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.bid_lender_type_0 import BidLenderType0  # noqa: PLC0415

        id = self.id

        loan_id = self.loan_id

        amount = self.amount

        rate = self.rate

        placed_at = self.placed_at.isoformat()

        mine = self.mine

        lender: dict[str, Any] | None
        if isinstance(self.lender, BidLenderType0):
            lender = self.lender.to_dict()
        else:
            lender = self.lender

        standing: None | str
        standing = self.standing

        accepted_amount = self.accepted_amount

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "loanId": loan_id,
                "amount": amount,
                "rate": rate,
                "placedAt": placed_at,
                "mine": mine,
                "lender": lender,
                "standing": standing,
            }
        )
        if accepted_amount is not UNSET:
            field_dict["acceptedAmount"] = accepted_amount
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bid_lender_type_0 import BidLenderType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        loan_id = d.pop("loanId")

        amount = d.pop("amount")

        rate = d.pop("rate")

        placed_at = datetime.datetime.fromisoformat(d.pop("placedAt"))

        mine = d.pop("mine")

        def _parse_lender(data: object) -> BidLenderType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                lender_type_0 = BidLenderType0.from_dict(data)

                return lender_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BidLenderType0 | None, data)

        lender = _parse_lender(d.pop("lender"))

        def _parse_standing(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        standing = _parse_standing(d.pop("standing"))

        accepted_amount = d.pop("acceptedAmount", UNSET)

        _status = d.pop("status", UNSET)
        status: BidStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = BidStatusEnum(_status)

        bid = cls(
            id=id,
            loan_id=loan_id,
            amount=amount,
            rate=rate,
            placed_at=placed_at,
            mine=mine,
            lender=lender,
            standing=standing,
            accepted_amount=accepted_amount,
            status=status,
        )

        bid.additional_properties = d
        return bid

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
