from enum import StrEnum


class RepaymentStatusEnum(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    FAILED = "failed"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
