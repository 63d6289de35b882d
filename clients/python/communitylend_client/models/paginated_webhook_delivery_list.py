from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.paginated_webhook_delivery_list_pagination import (
        PaginatedWebhookDeliveryListPagination,
    )
    from ..models.webhook_delivery import WebhookDelivery


T = TypeVar("T", bound="PaginatedWebhookDeliveryList")


@_attrs_define
class PaginatedWebhookDeliveryList:
    """
    Attributes:
        deliveries (list[WebhookDelivery] | Unset):
        pagination (PaginatedWebhookDeliveryListPagination | Unset):
    """

    deliveries: list[WebhookDelivery] | Unset = UNSET
    pagination: PaginatedWebhookDeliveryListPagination | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        deliveries: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.deliveries, Unset):
            deliveries = []
            for deliveries_item_data in self.deliveries:
                deliveries_item = deliveries_item_data.to_dict()
                deliveries.append(deliveries_item)

        pagination: dict[str, Any] | Unset = UNSET
        if not isinstance(self.pagination, Unset):
            pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if deliveries is not UNSET:
            field_dict["deliveries"] = deliveries
        if pagination is not UNSET:
            field_dict["pagination"] = pagination

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.paginated_webhook_delivery_list_pagination import (
            PaginatedWebhookDeliveryListPagination,  # noqa: PLC0415
        )
        from ..models.webhook_delivery import WebhookDelivery  # noqa: PLC0415

        d = dict(src_dict)
        _deliveries = d.pop("deliveries", UNSET)
        deliveries: list[WebhookDelivery] | Unset = UNSET
        if _deliveries is not UNSET:
            deliveries = []
            for deliveries_item_data in _deliveries:
                deliveries_item = WebhookDelivery.from_dict(deliveries_item_data)

                deliveries.append(deliveries_item)

        _pagination = d.pop("pagination", UNSET)
        pagination: PaginatedWebhookDeliveryListPagination | Unset
        if isinstance(_pagination, Unset):
            pagination = UNSET
        else:
            pagination = PaginatedWebhookDeliveryListPagination.from_dict(_pagination)

        paginated_webhook_delivery_list = cls(
            deliveries=deliveries,
            pagination=pagination,
        )

        paginated_webhook_delivery_list.additional_properties = d
        return paginated_webhook_delivery_list

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
