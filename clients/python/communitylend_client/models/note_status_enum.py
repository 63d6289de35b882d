from enum import StrEnum


class NoteStatusEnum(StrEnum):
    ACTIVE = "active"
    CHARGED_OFF = "charged_off"
    REPAID = "repaid"
    SOLD = "sold"

    def __str__(self) -> str:
        return str(self.value)
