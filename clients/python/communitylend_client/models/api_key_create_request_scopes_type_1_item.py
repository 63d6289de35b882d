from enum import StrEnum


class ApiKeyCreateRequestScopesType1Item(StrEnum):
    READ = "read"
    TRADE = "trade"

    def __str__(self) -> str:
        return str(self.value)
