from enum import StrEnum


class GetLoanListStatus(StrEnum):
    ACTIVE = "active"
    ALL = "all"
    CANCELLED = "cancelled"
    CHARGED_OFF = "charged_off"
    DEFAULT = "default"
    EXPIRED = "expired"
    FUNDED = "funded"
    LATE = "late"
    LISTED = "listed"
    PARTIALLY_FUNDED = "partially_funded"
    REPAID = "repaid"

    def __str__(self) -> str:
        return str(self.value)
