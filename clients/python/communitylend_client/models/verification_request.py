from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.verification_decision_enum import VerificationDecisionEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="VerificationRequest")


@_attrs_define
class VerificationRequest:
    """
    Attributes:
        status (VerificationDecisionEnum): * `verified` - Verified
            * `rejected` - Rejected
        note (str | Unset):  Default: ''.
    """

    status: VerificationDecisionEnum
    note: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = VerificationDecisionEnum(d.pop("status"))

        note = d.pop("note", UNSET)

        verification_request = cls(
            status=status,
            note=note,
        )

        return verification_request
