from enum import StrEnum


class AssessRiskHomeOwnershipEnum(StrEnum):
    MORTGAGE = "MORTGAGE"
    OTHER = "OTHER"
    OWN = "OWN"
    RENT = "RENT"

    def __str__(self) -> str:
        return str(self.value)
