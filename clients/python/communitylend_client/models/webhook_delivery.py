from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_enum import EventEnum
from ..models.webhook_delivery_status_enum import WebhookDeliveryStatusEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookDelivery")


@_attrs_define
class WebhookDelivery:
    """
    Attributes:
        id (int):
        event_id (str):
        event (EventEnum): * `loan.funded` - A loan is funded (disbursed): its borrower and lenders
            * `bid.won` - A bid won (wholly or in part)
            * `bid.outbid` - A bid is outbid
            * `note.payment_received` - A note received a payment
            * `note.charged_off` - A note was charged off
            * `order.filled` - A standing buy order bought a note
        created_at (datetime.datetime):
        next_attempt_at (datetime.datetime):
        status (WebhookDeliveryStatusEnum | Unset): * `pending` - Pending
            * `sending` - Sending
            * `delivered` - Delivered
            * `failed` - Failed
        attempts (int | Unset):
        last_status_code (int | None | Unset):
        last_error (str | Unset):
        delivered_at (datetime.datetime | None | Unset):
    """

    id: int
    event_id: str
    event: EventEnum
    created_at: datetime.datetime
    next_attempt_at: datetime.datetime
    status: WebhookDeliveryStatusEnum | Unset = UNSET
    attempts: int | Unset = UNSET
    last_status_code: int | None | Unset = UNSET
    last_error: str | Unset = UNSET
    delivered_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        event_id = self.event_id

        event = self.event.value

        created_at = self.created_at.isoformat()

        next_attempt_at = self.next_attempt_at.isoformat()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        attempts = self.attempts

        last_status_code: int | None | Unset
        if isinstance(self.last_status_code, Unset):
            last_status_code = UNSET
        else:
            last_status_code = self.last_status_code

        last_error = self.last_error

        delivered_at: None | str | Unset
        if isinstance(self.delivered_at, Unset):
            delivered_at = UNSET
        elif isinstance(self.delivered_at, datetime.datetime):
            delivered_at = self.delivered_at.isoformat()
        else:
            delivered_at = self.delivered_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "eventId": event_id,
                "event": event,
                "createdAt": created_at,
                "nextAttemptAt": next_attempt_at,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if attempts is not UNSET:
            field_dict["attempts"] = attempts
        if last_status_code is not UNSET:
            field_dict["lastStatusCode"] = last_status_code
        if last_error is not UNSET:
            field_dict["lastError"] = last_error
        if delivered_at is not UNSET:
            field_dict["deliveredAt"] = delivered_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        event_id = d.pop("eventId")

        event = EventEnum(d.pop("event"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        next_attempt_at = datetime.datetime.fromisoformat(d.pop("nextAttemptAt"))

        _status = d.pop("status", UNSET)
        status: WebhookDeliveryStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = WebhookDeliveryStatusEnum(_status)

        attempts = d.pop("attempts", UNSET)

        def _parse_last_status_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_status_code = _parse_last_status_code(d.pop("lastStatusCode", UNSET))

        last_error = d.pop("lastError", UNSET)

        def _parse_delivered_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                delivered_at_type_0 = datetime.datetime.fromisoformat(data)

                return delivered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        delivered_at = _parse_delivered_at(d.pop("deliveredAt", UNSET))

        webhook_delivery = cls(
            id=id,
            event_id=event_id,
            event=event,
            created_at=created_at,
            next_attempt_at=next_attempt_at,
            status=status,
            attempts=attempts,
            last_status_code=last_status_code,
            last_error=last_error,
            delivered_at=delivered_at,
        )

        webhook_delivery.additional_properties = d
        return webhook_delivery

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
