from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AcceptRequest")


@_attrs_define
class AcceptRequest:
    """
    Attributes:
        amount (float | str | Unset):  Example: 1000.00.
        agreement_version (int | None | Unset):
    """

    amount: float | str | Unset = UNSET
    agreement_version: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amount: float | str | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        agreement_version: int | None | Unset
        if isinstance(self.agreement_version, Unset):
            agreement_version = UNSET
        else:
            agreement_version = self.agreement_version

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if amount is not UNSET:
            field_dict["amount"] = amount
        if agreement_version is not UNSET:
            field_dict["agreementVersion"] = agreement_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_amount(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        def _parse_agreement_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        agreement_version = _parse_agreement_version(d.pop("agreementVersion", UNSET))

        accept_request = cls(
            amount=amount,
            agreement_version=agreement_version,
        )

        return accept_request
