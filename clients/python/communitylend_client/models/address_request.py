from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AddressRequest")


@_attrs_define
class AddressRequest:
    """
    Attributes:
        street (str | Unset):
        city (str | Unset):
        state (str | Unset):
        zip_code (str | Unset):
    """

    street: str | Unset = UNSET
    city: str | Unset = UNSET
    state: str | Unset = UNSET
    zip_code: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        street = self.street

        city = self.city

        state = self.state

        zip_code = self.zip_code

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if street is not UNSET:
            field_dict["street"] = street
        if city is not UNSET:
            field_dict["city"] = city
        if state is not UNSET:
            field_dict["state"] = state
        if zip_code is not UNSET:
            field_dict["zipCode"] = zip_code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        street = d.pop("street", UNSET)

        city = d.pop("city", UNSET)

        state = d.pop("state", UNSET)

        zip_code = d.pop("zipCode", UNSET)

        address_request = cls(
            street=street,
            city=city,
            state=state,
            zip_code=zip_code,
        )

        return address_request
