from enum import StrEnum


class MethodEnum(StrEnum):
    BANK_DEBIT = "bank_debit"
    WALLET = "wallet"

    def __str__(self) -> str:
        return str(self.value)
