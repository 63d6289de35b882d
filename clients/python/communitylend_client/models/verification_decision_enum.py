from enum import StrEnum


class VerificationDecisionEnum(StrEnum):
    REJECTED = "rejected"
    VERIFIED = "verified"

    def __str__(self) -> str:
        return str(self.value)
