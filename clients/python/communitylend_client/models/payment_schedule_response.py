from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.repayment import Repayment


T = TypeVar("T", bound="PaymentScheduleResponse")


@_attrs_define
class PaymentScheduleResponse:
    """
    Attributes:
        success (bool):
        payment (Repayment):
    """

    success: bool
    payment: Repayment
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        payment = self.payment.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "payment": payment,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.repayment import Repayment  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        payment = Repayment.from_dict(d.pop("payment"))

        payment_schedule_response = cls(
            success=success,
            payment=payment,
        )

        payment_schedule_response.additional_properties = d
        return payment_schedule_response

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
