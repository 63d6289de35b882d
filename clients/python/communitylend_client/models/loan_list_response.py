from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.loan import Loan
    from ..models.pagination import Pagination


T = TypeVar("T", bound="LoanListResponse")


@_attrs_define
class LoanListResponse:
    """
    Attributes:
        loans (list[Loan]):
        pagination (Pagination):
    """

    loans: list[Loan]
    pagination: Pagination
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        loans = []
        for loans_item_data in self.loans:
            loans_item = loans_item_data.to_dict()
            loans.append(loans_item)

        pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "loans": loans,
                "pagination": pagination,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.loan import Loan  # noqa: PLC0415
        from ..models.pagination import Pagination  # noqa: PLC0415

        d = dict(src_dict)
        loans = []
        _loans = d.pop("loans")
        for loans_item_data in _loans:
            loans_item = Loan.from_dict(loans_item_data)

            loans.append(loans_item)

        pagination = Pagination.from_dict(d.pop("pagination"))

        loan_list_response = cls(
            loans=loans,
            pagination=pagination,
        )

        loan_list_response.additional_properties = d
        return loan_list_response

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
