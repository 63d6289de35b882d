from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GatewayPayment")


@_attrs_define
class GatewayPayment:
    """
    Attributes:
        id (UUID):
        direction (str):
        amount (str):
        status (str):
        gateway (str):
        idempotency_key (str):
        ledger_transaction_id (int | None):
        test_money (bool):
        created_at (datetime.datetime):
        settled_at (datetime.datetime | None):
    """

    id: UUID
    direction: str
    amount: str
    status: str
    gateway: str
    idempotency_key: str
    ledger_transaction_id: int | None
    test_money: bool
    created_at: datetime.datetime
    settled_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        direction = self.direction

        amount = self.amount

        status = self.status

        gateway = self.gateway

        idempotency_key = self.idempotency_key

        ledger_transaction_id: int | None
        ledger_transaction_id = self.ledger_transaction_id

        test_money = self.test_money

        created_at = self.created_at.isoformat()

        settled_at: None | str
        if isinstance(self.settled_at, datetime.datetime):
            settled_at = self.settled_at.isoformat()
        else:
            settled_at = self.settled_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "direction": direction,
                "amount": amount,
                "status": status,
                "gateway": gateway,
                "idempotencyKey": idempotency_key,
                "ledgerTransactionId": ledger_transaction_id,
                "testMoney": test_money,
                "createdAt": created_at,
                "settledAt": settled_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        direction = d.pop("direction")

        amount = d.pop("amount")

        status = d.pop("status")

        gateway = d.pop("gateway")

        idempotency_key = d.pop("idempotencyKey")

        def _parse_ledger_transaction_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        ledger_transaction_id = _parse_ledger_transaction_id(d.pop("ledgerTransactionId"))

        test_money = d.pop("testMoney")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        def _parse_settled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                settled_at_type_0 = datetime.datetime.fromisoformat(data)

                return settled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        settled_at = _parse_settled_at(d.pop("settledAt"))

        gateway_payment = cls(
            id=id,
            direction=direction,
            amount=amount,
            status=status,
            gateway=gateway,
            idempotency_key=idempotency_key,
            ledger_transaction_id=ledger_transaction_id,
            test_money=test_money,
            created_at=created_at,
            settled_at=settled_at,
        )

        gateway_payment.additional_properties = d
        return gateway_payment

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
