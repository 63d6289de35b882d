from enum import StrEnum


class ListingStatusEnum(StrEnum):
    CANCELLED = "cancelled"
    LISTED = "listed"
    SOLD = "sold"
    SUSPENDED = "suspended"

    def __str__(self) -> str:
        return str(self.value)
