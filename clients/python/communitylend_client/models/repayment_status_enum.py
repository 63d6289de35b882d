from enum import StrEnum


class RepaymentStatusEnum(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    FAILED = "failed"
    RETURNED = "returned"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
