from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WalletMovement")


@_attrs_define
class WalletMovement:
    """One movement of the user's cash: a leg of a ledger transaction, signed.

    Attributes:
        id (int):
        kind (str):
        memo (str):
        account (str):
        amount (str):
        created_at (datetime.datetime):
    """

    id: int
    kind: str
    memo: str
    account: str
    amount: str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind

        memo = self.memo

        account = self.account

        amount = self.amount

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "memo": memo,
                "account": account,
                "amount": amount,
                "createdAt": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = d.pop("kind")

        memo = d.pop("memo")

        account = d.pop("account")

        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        wallet_movement = cls(
            id=id,
            kind=kind,
            memo=memo,
            account=account,
            amount=amount,
            created_at=created_at,
        )

        wallet_movement.additional_properties = d
        return wallet_movement

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
