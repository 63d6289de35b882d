from enum import IntEnum


class GetLoanListTermMonths(IntEnum):
    VALUE_12 = 12
    VALUE_24 = 24
    VALUE_36 = 36
    VALUE_60 = 60

    def __str__(self) -> str:
        return str(self.value)
