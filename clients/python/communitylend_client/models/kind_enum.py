from enum import StrEnum


class KindEnum(StrEnum):
    AUTOPAY = "autopay"
    MANUAL = "manual"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
