from enum import StrEnum


class SourceEnum(StrEnum):
    BORROWER = "borrower"
    DEBT_SALE = "debt_sale"

    def __str__(self) -> str:
        return str(self.value)
