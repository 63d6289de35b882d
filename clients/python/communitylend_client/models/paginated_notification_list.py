from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.notification import Notification
    from ..models.paginated_notification_list_pagination import (
        PaginatedNotificationListPagination,
    )


T = TypeVar("T", bound="PaginatedNotificationList")


@_attrs_define
class PaginatedNotificationList:
    """
    Attributes:
        results (list[Notification] | Unset):
        pagination (PaginatedNotificationListPagination | Unset):
    """

    results: list[Notification] | Unset = UNSET
    pagination: PaginatedNotificationListPagination | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        results: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.results, Unset):
            results = []
            for results_item_data in self.results:
                results_item = results_item_data.to_dict()
                results.append(results_item)

        pagination: dict[str, Any] | Unset = UNSET
        if not isinstance(self.pagination, Unset):
            pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if results is not UNSET:
            field_dict["results"] = results
        if pagination is not UNSET:
            field_dict["pagination"] = pagination

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.notification import Notification  # noqa: PLC0415
        from ..models.paginated_notification_list_pagination import (
            PaginatedNotificationListPagination,  # noqa: PLC0415
        )

        d = dict(src_dict)
        _results = d.pop("results", UNSET)
        results: list[Notification] | Unset = UNSET
        if _results is not UNSET:
            results = []
            for results_item_data in _results:
                results_item = Notification.from_dict(results_item_data)

                results.append(results_item)

        _pagination = d.pop("pagination", UNSET)
        pagination: PaginatedNotificationListPagination | Unset
        if isinstance(_pagination, Unset):
            pagination = UNSET
        else:
            pagination = PaginatedNotificationListPagination.from_dict(_pagination)

        paginated_notification_list = cls(
            results=results,
            pagination=pagination,
        )

        paginated_notification_list.additional_properties = d
        return paginated_notification_list

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
