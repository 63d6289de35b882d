from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.kyc_document import KycDocument


T = TypeVar("T", bound="LoanDocumentAttached")


@_attrs_define
class LoanDocumentAttached:
    """
    Attributes:
        success (bool):
        document (KycDocument):
    """

    success: bool
    document: KycDocument
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        document = self.document.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "document": document,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.kyc_document import KycDocument  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        document = KycDocument.from_dict(d.pop("document"))

        loan_document_attached = cls(
            success=success,
            document=document,
        )

        loan_document_attached.additional_properties = d
        return loan_document_attached

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
