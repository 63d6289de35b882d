from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.gateway_payment import GatewayPayment
    from ..models.wallet import Wallet


T = TypeVar("T", bound="WalletMoveResponse")


@_attrs_define
class WalletMoveResponse:
    """
    Attributes:
        success (bool):
        transaction (GatewayPayment):
        wallet (Wallet):
    """

    success: bool
    transaction: GatewayPayment
    wallet: Wallet
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        transaction = self.transaction.to_dict()

        wallet = self.wallet.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "transaction": transaction,
                "wallet": wallet,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gateway_payment import GatewayPayment  # noqa: PLC0415
        from ..models.wallet import Wallet  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        transaction = GatewayPayment.from_dict(d.pop("transaction"))

        wallet = Wallet.from_dict(d.pop("wallet"))

        wallet_move_response = cls(
            success=success,
            transaction=transaction,
            wallet=wallet,
        )

        wallet_move_response.additional_properties = d
        return wallet_move_response

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
