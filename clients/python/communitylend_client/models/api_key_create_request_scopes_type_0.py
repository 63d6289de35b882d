from enum import StrEnum


class ApiKeyCreateRequestScopesType0(StrEnum):
    READ = "read"
    TRADE = "trade"

    def __str__(self) -> str:
        return str(self.value)
