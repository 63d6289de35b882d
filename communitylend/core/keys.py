"""FIELD_ENCRYPTION_KEYS checked as the settings load (no Django model machinery imported
here: settings import it before Django is set up)."""

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured


def validate_keys(keys: list[str]) -> list[str]:
    """The keys, each checked to be a Fernet key; ImproperlyConfigured naming the bad one."""
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS: key {position} is not a Fernet key (32 url-safe "
                f"base64-encoded bytes; make one with `python -c \"from cryptography.fernet "
                f"import Fernet; print(Fernet.generate_key().decode())\"`)") from exc
    return keys
