from enum import StrEnum


class MarketListingsSortBy(StrEnum):
    CREATEDAT = "createdAt"
    PRICE = "price"
    YIELD = "yield"

    def __str__(self) -> str:
        return str(self.value)
