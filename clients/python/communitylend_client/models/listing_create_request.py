from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ListingCreateRequest")


@_attrs_define
class ListingCreateRequest:
    """
    Attributes:
        note_id (int):
        price (float | str):  Example: 100.00.
    """

    note_id: int
    price: float | str

    def to_dict(self) -> dict[str, Any]:
        note_id = self.note_id

        price: float | str
        price = self.price

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "noteId": note_id,
                "price": price,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        note_id = d.pop("noteId")

        def _parse_price(data: object) -> float | str:
            return cast(float | str, data)

        price = _parse_price(d.pop("price"))

        listing_create_request = cls(
            note_id=note_id,
            price=price,
        )

        return listing_create_request
