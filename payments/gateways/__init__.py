"""Payment gateways. ``get_gateway()`` returns the one PAYMENT_GATEWAY names."""

from django.conf import settings

from .base import Gateway, GatewayEventData, SignatureError
from .sandbox import SandboxGateway

GATEWAYS: dict[str, type[Gateway]] = {"sandbox": SandboxGateway}


def get_gateway(name: str | None = None) -> Gateway:
    name = name or settings.PAYMENT_GATEWAY
    try:
        return GATEWAYS[name]()
    except KeyError as exc:
        raise LookupError(f"Unknown payment gateway {name!r}") from exc


__all__ = ["GATEWAYS", "Gateway", "GatewayEventData", "SignatureError", "get_gateway"]
