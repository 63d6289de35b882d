from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Borrower")


@_attrs_define
class Borrower:
    """
    Attributes:
        id (int):
        first_name (str):
        credit_score (int | None):
        verification_status (str):
    """

    id: int
    first_name: str
    credit_score: int | None
    verification_status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        first_name = self.first_name

        credit_score: int | None
        credit_score = self.credit_score

        verification_status = self.verification_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "firstName": first_name,
                "creditScore": credit_score,
                "verificationStatus": verification_status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        first_name = d.pop("firstName")

        def _parse_credit_score(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        credit_score = _parse_credit_score(d.pop("creditScore"))

        verification_status = d.pop("verificationStatus")

        borrower = cls(
            id=id,
            first_name=first_name,
            credit_score=credit_score,
            verification_status=verification_status,
        )

        borrower.additional_properties = d
        return borrower

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
