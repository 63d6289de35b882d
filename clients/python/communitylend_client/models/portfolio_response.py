from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.note import Note
    from ..models.summary import Summary


T = TypeVar("T", bound="PortfolioResponse")


@_attrs_define
class PortfolioResponse:
    """
    Attributes:
        investments (list[Note]):
        summary (Summary):
    """

    investments: list[Note]
    summary: Summary
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        investments = []
        for investments_item_data in self.investments:
            investments_item = investments_item_data.to_dict()
            investments.append(investments_item)

        summary = self.summary.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "investments": investments,
                "summary": summary,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.note import Note  # noqa: PLC0415
        from ..models.summary import Summary  # noqa: PLC0415

        d = dict(src_dict)
        investments = []
        _investments = d.pop("investments")
        for investments_item_data in _investments:
            investments_item = Note.from_dict(investments_item_data)

            investments.append(investments_item)

        summary = Summary.from_dict(d.pop("summary"))

        portfolio_response = cls(
            investments=investments,
            summary=summary,
        )

        portfolio_response.additional_properties = d
        return portfolio_response

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
