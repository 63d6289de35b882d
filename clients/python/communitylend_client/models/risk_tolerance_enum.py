from enum import StrEnum


class RiskToleranceEnum(StrEnum):
    AGGRESSIVE = "aggressive"
    BALANCED = "balanced"
    CONSERVATIVE = "conservative"

    def __str__(self) -> str:
        return str(self.value)
