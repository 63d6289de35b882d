from enum import StrEnum


class ApplyToEnum(StrEnum):
    INSTALLMENT = "installment"
    PRINCIPAL = "principal"

    def __str__(self) -> str:
        return str(self.value)
