from enum import StrEnum


class GetLoanListSortBy(StrEnum):
    AMOUNT = "amount"
    CREATEDAT = "createdAt"
    INTERESTRATE = "interestRate"

    def __str__(self) -> str:
        return str(self.value)
