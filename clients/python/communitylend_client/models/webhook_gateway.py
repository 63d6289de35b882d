from enum import StrEnum


class WebhookGateway(StrEnum):
    SANDBOX = "sandbox"

    def __str__(self) -> str:
        return str(self.value)
