from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from .. import types
from ..models.document_type_enum import DocumentTypeEnum
from ..types import UNSET, File, FileTypes, Unset

T = TypeVar("T", bound="LoanDocumentAttachRequest")


@_attrs_define
class LoanDocumentAttachRequest:
    """Either a new file (multipart, with its type) or one of your documents by id.

    Attributes:
        document_id (UUID | Unset):
        document_type (DocumentTypeEnum | Unset): * `government_id` - Government ID
            * `proof_of_address` - Proof of address
            * `proof_of_income` - Proof of income
            * `other` - Other
        file (File | Unset):
    """

    document_id: UUID | Unset = UNSET
    document_type: DocumentTypeEnum | Unset = UNSET
    file: File | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        document_id: str | Unset = UNSET
        if not isinstance(self.document_id, Unset):
            document_id = str(self.document_id)

        document_type: str | Unset = UNSET
        if not isinstance(self.document_type, Unset):
            document_type = self.document_type.value

        file: FileTypes | Unset = UNSET
        if not isinstance(self.file, Unset):
            file = self.file.to_tuple()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if document_id is not UNSET:
            field_dict["documentId"] = document_id
        if document_type is not UNSET:
            field_dict["documentType"] = document_type
        if file is not UNSET:
            field_dict["file"] = file

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        if not isinstance(self.document_id, Unset):
            files.append(("documentId", (None, str(self.document_id), "text/plain")))

        if not isinstance(self.document_type, Unset):
            files.append(
                ("documentType", (None, str(self.document_type.value).encode(), "text/plain"))
            )

        if not isinstance(self.file, Unset):
            files.append(("file", self.file.to_tuple()))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _document_id = d.pop("documentId", UNSET)
        document_id: UUID | Unset
        if isinstance(_document_id, Unset):
            document_id = UNSET
        else:
            document_id = UUID(_document_id)

        _document_type = d.pop("documentType", UNSET)
        document_type: DocumentTypeEnum | Unset
        if isinstance(_document_type, Unset):
            document_type = UNSET
        else:
            document_type = DocumentTypeEnum(_document_type)

        _file = d.pop("file", UNSET)
        file: File | Unset
        if isinstance(_file, Unset):
            file = UNSET
        else:
            file = File(payload=BytesIO(_file))

        loan_document_attach_request = cls(
            document_id=document_id,
            document_type=document_type,
            file=file,
        )

        return loan_document_attach_request
