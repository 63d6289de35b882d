from enum import StrEnum


class BidStatusEnum(StrEnum):
    LOST = "lost"
    OPEN = "open"
    PARTLY_WON = "partly_won"
    WITHDRAWN = "withdrawn"
    WON = "won"

    def __str__(self) -> str:
        return str(self.value)
