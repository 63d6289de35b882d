from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.api_key_create_request_scopes_type_0 import ApiKeyCreateRequestScopesType0
from ..models.api_key_create_request_scopes_type_1_item import (
    ApiKeyCreateRequestScopesType1Item,
)

T = TypeVar("T", bound="ApiKeyCreateRequest")


@_attrs_define
class ApiKeyCreateRequest:
    """
    Attributes:
        name (str):
        scopes (ApiKeyCreateRequestScopesType0 | list[ApiKeyCreateRequestScopesType1Item]):
    """

    name: str
    scopes: ApiKeyCreateRequestScopesType0 | list[ApiKeyCreateRequestScopesType1Item]

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        scopes: list[str] | str
        if isinstance(self.scopes, ApiKeyCreateRequestScopesType0):
            scopes = self.scopes.value
        else:
            scopes = []
            for scopes_type_1_item_data in self.scopes:
                scopes_type_1_item = scopes_type_1_item_data.value
                scopes.append(scopes_type_1_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "scopes": scopes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_scopes(
            data: object,
        ) -> ApiKeyCreateRequestScopesType0 | list[ApiKeyCreateRequestScopesType1Item]:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scopes_type_0 = ApiKeyCreateRequestScopesType0(data)

                return scopes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            scopes_type_1 = []
            _scopes_type_1 = data
            for scopes_type_1_item_data in _scopes_type_1:
                scopes_type_1_item = ApiKeyCreateRequestScopesType1Item(scopes_type_1_item_data)

                scopes_type_1.append(scopes_type_1_item)

            return scopes_type_1

        scopes = _parse_scopes(d.pop("scopes"))

        api_key_create_request = cls(
            name=name,
            scopes=scopes,
        )

        return api_key_create_request
