from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.listing import Listing
    from ..models.market_listings_pagination import MarketListingsPagination


T = TypeVar("T", bound="MarketListings")


@_attrs_define
class MarketListings:
    """
    Attributes:
        listings (list[Listing]):
        pagination (MarketListingsPagination):
    """

    listings: list[Listing]
    pagination: MarketListingsPagination
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        listings = []
        for listings_item_data in self.listings:
            listings_item = listings_item_data.to_dict()
            listings.append(listings_item)

        pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "listings": listings,
                "pagination": pagination,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.listing import Listing  # noqa: PLC0415
        from ..models.market_listings_pagination import MarketListingsPagination  # noqa: PLC0415

        d = dict(src_dict)
        listings = []
        _listings = d.pop("listings")
        for listings_item_data in _listings:
            listings_item = Listing.from_dict(listings_item_data)

            listings.append(listings_item)

        pagination = MarketListingsPagination.from_dict(d.pop("pagination"))

        market_listings = cls(
            listings=listings,
            pagination=pagination,
        )

        market_listings.additional_properties = d
        return market_listings

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
