"""Payment gateways. ``get_gateway()`` returns the one the PAYMENT_GATEWAY setting names."""

from django.conf import settings

from .base import (
    FAILED,
    RETURNED,
    SIGNATURE_HEADER,
    SUCCEEDED,
    Gateway,
    GatewayEventData,
    GatewayResult,
    GatewayUnavailable,
    SignatureError,
)
from .sandbox import SandboxGateway

GATEWAYS: dict[str, type[Gateway]] = {"sandbox": SandboxGateway}


def get_gateway(name: str | None = None) -> Gateway:
    name = name or getattr(settings, "PAYMENT_GATEWAY", "sandbox") or "sandbox"
    try:
        return GATEWAYS[name]()
    except KeyError as exc:
        raise LookupError(f"Unknown payment gateway {name!r}") from exc


def is_test_money(name: str) -> bool:
    gateway = GATEWAYS.get(name)
    return gateway is not None and gateway.is_test_money


__all__ = ["FAILED", "GATEWAYS", "RETURNED", "SIGNATURE_HEADER", "SUCCEEDED", "Gateway", "GatewayEventData",
           "GatewayResult", "GatewayUnavailable", "SignatureError", "get_gateway",
           "is_test_money"]
