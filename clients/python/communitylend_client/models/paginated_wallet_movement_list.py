from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.paginated_wallet_movement_list_pagination import (
        PaginatedWalletMovementListPagination,
    )
    from ..models.wallet_movement import WalletMovement


T = TypeVar("T", bound="PaginatedWalletMovementList")


@_attrs_define
class PaginatedWalletMovementList:
    """
    Attributes:
        transactions (list[WalletMovement] | Unset):
        pagination (PaginatedWalletMovementListPagination | Unset):
    """

    transactions: list[WalletMovement] | Unset = UNSET
    pagination: PaginatedWalletMovementListPagination | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        transactions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.transactions, Unset):
            transactions = []
            for transactions_item_data in self.transactions:
                transactions_item = transactions_item_data.to_dict()
                transactions.append(transactions_item)

        pagination: dict[str, Any] | Unset = UNSET
        if not isinstance(self.pagination, Unset):
            pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if transactions is not UNSET:
            field_dict["transactions"] = transactions
        if pagination is not UNSET:
            field_dict["pagination"] = pagination

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.paginated_wallet_movement_list_pagination import (
            PaginatedWalletMovementListPagination,  # noqa: PLC0415
        )
        from ..models.wallet_movement import WalletMovement  # noqa: PLC0415

        d = dict(src_dict)
        _transactions = d.pop("transactions", UNSET)
        transactions: list[WalletMovement] | Unset = UNSET
        if _transactions is not UNSET:
            transactions = []
            for transactions_item_data in _transactions:
                transactions_item = WalletMovement.from_dict(transactions_item_data)

                transactions.append(transactions_item)

        _pagination = d.pop("pagination", UNSET)
        pagination: PaginatedWalletMovementListPagination | Unset
        if isinstance(_pagination, Unset):
            pagination = UNSET
        else:
            pagination = PaginatedWalletMovementListPagination.from_dict(_pagination)

        paginated_wallet_movement_list = cls(
            transactions=transactions,
            pagination=pagination,
        )

        paginated_wallet_movement_list.additional_properties = d
        return paginated_wallet_movement_list

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
