from enum import StrEnum


class InstallmentStatusEnum(StrEnum):
    DEFERRED = "deferred"
    DUE = "due"
    LATE = "late"
    PAID = "paid"
    PARTIAL = "partial"
    WAIVED = "waived"

    def __str__(self) -> str:
        return str(self.value)
