from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Error")


@_attrs_define
class Error:
    """Every API error: {"success": false, "error": "<message>", "field"?: "<name>"}

    Attributes:
        success (bool):
        error (str):
        field (str | Unset): the camelCase name of the input at fault
        errors (Any | Unset): every field's messages, for invalid input
        mfa_required (bool | Unset):
    """

    success: bool
    error: str
    field: str | Unset = UNSET
    errors: Any | Unset = UNSET
    mfa_required: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        error = self.error

        field = self.field

        errors = self.errors

        mfa_required = self.mfa_required

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "error": error,
            }
        )
        if field is not UNSET:
            field_dict["field"] = field
        if errors is not UNSET:
            field_dict["errors"] = errors
        if mfa_required is not UNSET:
            field_dict["mfaRequired"] = mfa_required

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        success = d.pop("success")

        error = d.pop("error")

        field = d.pop("field", UNSET)

        errors = d.pop("errors", UNSET)

        mfa_required = d.pop("mfaRequired", UNSET)

        error = cls(
            success=success,
            error=error,
            field=field,
            errors=errors,
            mfa_required=mfa_required,
        )

        error.additional_properties = d
        return error

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
