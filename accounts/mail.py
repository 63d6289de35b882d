"""EMAIL_BACKEND: every email goes to the outbox (accounts.models.OutboundEmail) instead of the
mail server; accounts.tasks delivers it after commit through EMAIL_DELIVERY_BACKEND."""

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

from . import services


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            services.outbound_email_queue(message=message)
        return len(email_messages)


def delivery_connection(**kwargs):
    """A connection to the real mail server (or the console in development)."""
    return get_connection(settings.EMAIL_DELIVERY_BACKEND, **kwargs)
