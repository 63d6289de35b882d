from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agreement_terms import AgreementTerms


T = TypeVar("T", bound="Agreement")


@_attrs_define
class Agreement:
    """
    Attributes:
        agreement_version (int):
        title (str):
        text (str):
        terms (AgreementTerms):
    """

    agreement_version: int
    title: str
    text: str
    terms: AgreementTerms
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agreement_version = self.agreement_version

        title = self.title

        text = self.text

        terms = self.terms.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agreementVersion": agreement_version,
                "title": title,
                "text": text,
                "terms": terms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agreement_terms import AgreementTerms  # noqa: PLC0415

        d = dict(src_dict)
        agreement_version = d.pop("agreementVersion")

        title = d.pop("title")

        text = d.pop("text")

        terms = AgreementTerms.from_dict(d.pop("terms"))

        agreement = cls(
            agreement_version=agreement_version,
            title=title,
            text=text,
            terms=terms,
        )

        agreement.additional_properties = d
        return agreement

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
