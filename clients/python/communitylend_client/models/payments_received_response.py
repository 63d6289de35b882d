from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.payment_received import PaymentReceived


T = TypeVar("T", bound="PaymentsReceivedResponse")


@_attrs_define
class PaymentsReceivedResponse:
    """
    Attributes:
        year (int | None):
        payments (list[PaymentReceived]):
    """

    year: int | None
    payments: list[PaymentReceived]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        year: int | None
        year = self.year

        payments = []
        for payments_item_data in self.payments:
            payments_item = payments_item_data.to_dict()
            payments.append(payments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "year": year,
                "payments": payments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.payment_received import PaymentReceived  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_year(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        year = _parse_year(d.pop("year"))

        payments = []
        _payments = d.pop("payments")
        for payments_item_data in _payments:
            payments_item = PaymentReceived.from_dict(payments_item_data)

            payments.append(payments_item)

        payments_received_response = cls(
            year=year,
            payments=payments,
        )

        payments_received_response.additional_properties = d
        return payments_received_response

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
