from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.document_type_enum import DocumentTypeEnum
from ..models.kyc_document_status_enum import KycDocumentStatusEnum

T = TypeVar("T", bound="KycDocument")


@_attrs_define
class KycDocument:
    """
    Attributes:
        id (UUID):
        document_type (DocumentTypeEnum): * `government_id` - Government ID
            * `proof_of_address` - Proof of address
            * `proof_of_income` - Proof of income
            * `other` - Other
        original_name (str):
        content_type (str):
        size (int):
        uploaded_at (datetime.datetime):
        status (KycDocumentStatusEnum): * `pending` - Pending review
            * `accepted` - Accepted
            * `rejected` - Rejected
        staff_note (str): Shown to the owner. Required when rejecting.
        reviewed_at (datetime.datetime | None):
        download_url (str):
    """

    id: UUID
    document_type: DocumentTypeEnum
    original_name: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime
    status: KycDocumentStatusEnum
    staff_note: str
    reviewed_at: datetime.datetime | None
    download_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        document_type = self.document_type.value

        original_name = self.original_name

        content_type = self.content_type

        size = self.size

        uploaded_at = self.uploaded_at.isoformat()

        status = self.status.value

        staff_note = self.staff_note

        reviewed_at: None | str
        if isinstance(self.reviewed_at, datetime.datetime):
            reviewed_at = self.reviewed_at.isoformat()
        else:
            reviewed_at = self.reviewed_at

        download_url = self.download_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "documentType": document_type,
                "originalName": original_name,
                "contentType": content_type,
                "size": size,
                "uploadedAt": uploaded_at,
                "status": status,
                "staffNote": staff_note,
                "reviewedAt": reviewed_at,
                "downloadUrl": download_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        document_type = DocumentTypeEnum(d.pop("documentType"))

        original_name = d.pop("originalName")

        content_type = d.pop("contentType")

        size = d.pop("size")

        uploaded_at = datetime.datetime.fromisoformat(d.pop("uploadedAt"))

        status = KycDocumentStatusEnum(d.pop("status"))

        staff_note = d.pop("staffNote")

        def _parse_reviewed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reviewed_at_type_0 = datetime.datetime.fromisoformat(data)

                return reviewed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        reviewed_at = _parse_reviewed_at(d.pop("reviewedAt"))

        download_url = d.pop("downloadUrl")

        kyc_document = cls(
            id=id,
            document_type=document_type,
            original_name=original_name,
            content_type=content_type,
            size=size,
            uploaded_at=uploaded_at,
            status=status,
            staff_note=staff_note,
            reviewed_at=reviewed_at,
            download_url=download_url,
        )

        kyc_document.additional_properties = d
        return kyc_document

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
