from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.document_type_enum import DocumentTypeEnum
from ..types import File

T = TypeVar("T", bound="KycDocumentRequest")


@_attrs_define
class KycDocumentRequest:
    """
    Attributes:
        document_type (DocumentTypeEnum): * `government_id` - Government ID
            * `proof_of_address` - Proof of address
            * `proof_of_income` - Proof of income
            * `other` - Other
        file (File):
    """

    document_type: DocumentTypeEnum
    file: File
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        document_type = self.document_type.value

        file = self.file.to_tuple()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "documentType": document_type,
                "file": file,
            }
        )

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("documentType", (None, str(self.document_type.value).encode(), "text/plain")))

        files.append(("file", self.file.to_tuple()))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        document_type = DocumentTypeEnum(d.pop("documentType"))

        file = File(payload=BytesIO(d.pop("file")))

        kyc_document_request = cls(
            document_type=document_type,
            file=file,
        )

        kyc_document_request.additional_properties = d
        return kyc_document_request

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
