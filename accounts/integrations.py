"""API consumers: API keys and webhooks (API.md, "API keys and webhooks for API consumers").

API keys. ``<prefix>.<secret>``: the prefix finds the row, only the SHA-256 of the whole key is
kept (keys are 256-bit random, so a plain hash is as strong as a slow one and costs nothing per
request), and the key is shown once, when created. Scopes: ``read`` allows the API's safe
methods (GET, HEAD, OPTIONS); ``trade`` allows everything the user can do through the API except
managing credentials: API keys, webhooks, the password, logging out (``KEY_MANAGEMENT``). A key
never carries staff power (it has no second factor), and a password change or "log out
everywhere" revokes the account's keys with its tokens (whoever had the session may have made
them).

Webhooks. A user registers an endpoint (URL and events; the signing secret is shown once).
``webhook_emit``/``webhook_emit_many`` write one ``WebhookDelivery`` per subscribed endpoint in
the caller's transaction (the outbox, as for emails) and queue one delivery task each after
commit; beat's outbox sweep (``accounts.tasks.notifications_flush``) queues whatever is due
again. Each delivery POSTs ``{id, event, createdAt, data}`` signed ``X-CommunityLend-Signature:
sha256=<HMAC-SHA256 of the body with the endpoint's secret>``; a 2xx answer delivers it, anything
else is retried with exponential backoff (1, 2, 4 ... minutes, at most an hour apart) until
WEBHOOK_RETRY_WINDOW (a day) after the event, then it is failed. Every delivery is its own task
and claims its row with a compare-and-swap, so a slow or failing endpoint holds up nobody else's,
and a delivered event is never sent again.

No server-side request forgery: an endpoint's host must resolve only to public addresses (no
loopback, private, link-local, shared, multicast or reserved address), checked when the endpoint
is created and again at every delivery, and the delivery connects to the address it checked (so
a DNS answer that changes in between cannot send it inside). Production requires https;
development mode (``WEBHOOK_ALLOW_LOOPBACK``, on with DJANGO_DEBUG) also allows plain http and
loopback addresses, for testing against a local receiver. Redirects are not followed.
"""

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from communitylend.core.errors import ApplicationError, NotFound

from .models import ApiKey, ApiKeyScope, User, WebhookDelivery, WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)

KEY_PREFIX_BYTES = 6  # 12 hex characters
MAX_KEYS_PER_USER = 20
MAX_ENDPOINTS_PER_USER = 10
SIGNATURE_HEADER = "X-CommunityLend-Signature"


# --- API keys -----------------------------------------------------------------------------------


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_create(*, user: User, name: str, scope: str) -> tuple[ApiKey, str]:
    """A new key for ``user``; returns the row and the key itself (shown once, never stored)."""
    from .services import audit_record  # services imports this module

    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ApplicationError("A name of 1 to 100 characters is required", field="name")
    if scope not in ApiKeyScope.values:
        raise ApplicationError("scopes must be read or trade", field="scopes")
    with transaction.atomic(durable=True):
        User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
        if ApiKey.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_KEYS_PER_USER:
            raise ApplicationError(f"At most {MAX_KEYS_PER_USER} active keys: revoke one first",
                                   field="name")
        prefix = secrets.token_hex(KEY_PREFIX_BYTES)
        key = f"cl_{prefix}.{secrets.token_urlsafe(32)}"
        api_key = ApiKey.objects.create(user=user, name=name, scope=scope, prefix=prefix,
                                        key_hash=_key_hash(key))
        audit_record(actor=user, event="api_key.created", target=api_key,
                     new={"name": name, "scope": scope, "prefix": prefix})
    return api_key, key


def api_key_revoke(*, user: User, key_id: int) -> ApiKey:
    from .services import audit_record  # services imports this module

    with transaction.atomic(durable=True):
        api_key = ApiKey.objects.select_for_update().filter(
            pk=key_id, user=user, revoked_at__isnull=True).first()
        if api_key is None:
            raise NotFound("API key not found")
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        audit_record(actor=user, event="api_key.revoked", target=api_key,
                     new={"prefix": api_key.prefix})
    return api_key


def api_keys_revoke_all(*, user_id: int) -> int:
    """Every active key of the account (password change, "log out everywhere")."""
    return ApiKey.objects.filter(user_id=user_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now())


def api_key_find(key: str) -> ApiKey | None:
    """The active key ``key`` names, with its user; None for anything else."""
    if not key.startswith("cl_") or "." not in key:
        return None
    prefix = key[3:].split(".", 1)[0]
    api_key = ApiKey.objects.select_related("user").filter(
        prefix=prefix, revoked_at__isnull=True).first()
    if api_key is None or not constant_time_compare(api_key.key_hash, _key_hash(key)):
        return None
    now = timezone.now()
    # At most one write a minute per key, not one per request.
    if api_key.last_used_at is None or now - api_key.last_used_at > timedelta(minutes=1):
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return api_key


def api_keys_of(*, user: User):
    return ApiKey.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at", "-id")


# --- Webhook endpoints: the address rule -------------------------------------------------------


def _address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return settings.WEBHOOK_ALLOW_LOOPBACK
    return ip.is_global and not ip.is_multicast


def webhook_resolve(url: str) -> tuple[str, int, list[str]]:
    """(host, port, addresses) of an endpoint URL that may be called, or ApplicationError
    naming ``url`` with the reason."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ApplicationError("Not a valid URL", field="url") from exc
    allowed_schemes = ("https",) if not settings.WEBHOOK_ALLOW_LOOPBACK else ("https", "http")
    if parts.scheme not in allowed_schemes:
        raise ApplicationError("The URL must use https", field="url")
    if parts.username or parts.password:
        raise ApplicationError("The URL must not carry a user name or password", field="url")
    host = parts.hostname
    if not host:
        raise ApplicationError("The URL has no host", field="url")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ApplicationError(f"The host {host} does not resolve", field="url") from exc
    addresses = sorted({info[4][0] for info in infos})
    if not addresses or not all(_address_allowed(a) for a in addresses):
        raise ApplicationError(
            "The URL must resolve to public addresses only (no loopback, private or "
            "link-local address)", field="url")
    return host, port, addresses


def webhook_endpoint_create(*, user: User, url: str, events: list[str]) -> WebhookEndpoint:
    from .services import audit_record  # services imports this module

    url = (url or "").strip()
    if not url or len(url) > 500:
        raise ApplicationError("A URL of at most 500 characters is required", field="url")
    events = list(dict.fromkeys(events or []))
    if not events or any(e not in WebhookEvent.values for e in events):
        raise ApplicationError(
            f"events must be a non-empty list of {', '.join(WebhookEvent.values)}",
            field="events")
    webhook_resolve(url)
    with transaction.atomic(durable=True):
        User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
        if WebhookEndpoint.objects.filter(user=user, deleted_at__isnull=True).count() \
                >= MAX_ENDPOINTS_PER_USER:
            raise ApplicationError(f"At most {MAX_ENDPOINTS_PER_USER} webhook endpoints",
                                   field="url")
        endpoint = WebhookEndpoint.objects.create(
            user=user, url=url, events=events, secret=f"whsec_{secrets.token_urlsafe(32)}")
        audit_record(actor=user, event="webhook.created", target=endpoint,
                     new={"url": url, "events": events})
    return endpoint


def webhook_endpoint_delete(*, user: User, endpoint_id: int) -> None:
    """The endpoint stops receiving; its pending deliveries fail; the log stays readable."""
    from .services import audit_record  # services imports this module

    with transaction.atomic(durable=True):
        endpoint = WebhookEndpoint.objects.select_for_update().filter(
            pk=endpoint_id, user=user, deleted_at__isnull=True).first()
        if endpoint is None:
            raise NotFound("Webhook not found")
        endpoint.deleted_at = timezone.now()
        endpoint.save(update_fields=["deleted_at"])
        WebhookDelivery.objects.filter(endpoint=endpoint, status=WebhookDelivery.Status.PENDING) \
            .update(status=WebhookDelivery.Status.FAILED, last_error="endpoint deleted")
        audit_record(actor=user, event="webhook.deleted", target=endpoint,
                     new={"url": endpoint.url})


def webhook_endpoints_of(*, user: User):
    return WebhookEndpoint.objects.filter(user=user, deleted_at__isnull=True)


def webhook_endpoint_of(*, user: User, endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, user=user).first()
    if endpoint is None:
        raise NotFound("Webhook not found")
    return endpoint


# --- Emitting events ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WebhookDraft:
    """An event for one user: what ``webhook_emit`` takes, as a row (batches emit many)."""

    user_id: int
    event: str
    data: dict


def webhook_subscribers(user_ids, event: str) -> set[int]:
    """Which of ``user_ids`` have an endpoint for ``event`` (one indexed query): a batch asks
    first and builds the events of those users only (nearly nobody, on most days)."""
    return {user_id for user_id, events in WebhookEndpoint.objects.filter(
        user_id__in=set(user_ids), deleted_at__isnull=True).values_list("user_id", "events")
        if event in events}


def webhook_emit(*, user_id: int, event: str, data: dict) -> int:
    """Queue ``event`` for every endpoint of ``user_id`` subscribed to it, inside the caller's
    transaction; delivered after commit. Returns the number of deliveries written."""
    return webhook_emit_many([WebhookDraft(user_id, event, data)])


def webhook_emit_many(drafts: list[WebhookDraft], *, now=None) -> int:
    """The events of a batch: one query finds the subscribed endpoints of all their users, so
    a batch of users without webhooks (nearly all) costs one indexed query."""
    if not drafts:
        return 0
    for draft in drafts:
        if draft.event not in WebhookEvent.values:
            raise ValueError(f"unknown webhook event {draft.event!r}")
    user_ids = {d.user_id for d in drafts}
    endpoints: dict[int, list[tuple[int, list]]] = {}
    for pk, user_id, events in WebhookEndpoint.objects.filter(
            user_id__in=user_ids, deleted_at__isnull=True).values_list("pk", "user_id", "events"):
        endpoints.setdefault(user_id, []).append((pk, events))
    if not endpoints:
        return 0
    now = now or timezone.now()
    rows = []
    for draft in drafts:
        subscribed = [pk for pk, events in endpoints.get(draft.user_id, ()) if draft.event in events]
        if not subscribed:
            continue
        data = json.loads(json.dumps(draft.data, cls=DjangoJSONEncoder))
        event_id = secrets.token_hex(16)  # one event, however many endpoints receive it
        for endpoint_id in subscribed:
            rows.append(WebhookDelivery(
                endpoint_id=endpoint_id, event_id=event_id, event=draft.event,
                payload={"id": f"evt_{event_id}", "event": draft.event,
                         "createdAt": now.isoformat(), "data": data},
                next_attempt_at=now, created_at=now))
    if not rows:
        return 0
    WebhookDelivery.objects.bulk_create(rows)
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: _enqueue_deliveries(ids))
    return len(rows)


def _enqueue_deliveries(delivery_ids: list[int]) -> None:
    from .tasks import deliver_webhook  # tasks import this module

    for delivery_id in delivery_ids:
        try:
            deliver_webhook.delay(delivery_id)
        except Exception:  # noqa: BLE001 - any broker failure: the outbox sweep retries
            logger.warning("Could not queue webhook delivery %s; the sweep will retry",
                           delivery_id, exc_info=True)
            return


# --- Delivering ---------------------------------------------------------------------------------


def webhook_body(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def webhook_signature(secret: str, body: bytes) -> str:
    """The header's value: ``sha256=<hex HMAC-SHA256 of the body>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def retry_delay(attempts: int) -> timedelta:
    """After the n-th failed attempt: 1, 2, 4 ... minutes, at most an hour."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def _post(url: str, host: str, port: int, address: str, body: bytes, headers: dict):
    """POST to ``address`` (checked) while speaking to ``host`` (Host header, TLS name)."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timeout = urllib3.Timeout(connect=settings.WEBHOOK_TIMEOUT_SECONDS,
                              read=settings.WEBHOOK_TIMEOUT_SECONDS)
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(address, port, timeout=timeout, retries=False,
                                           server_hostname=host, assert_hostname=host,
                                           cert_reqs="CERT_REQUIRED")
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    host_header = host if port in (80, 443) else f"{host}:{port}"
    try:
        response = pool.urlopen("POST", path, body=body, headers={**headers, "Host": host_header},
                                redirect=False, retries=False, preload_content=False)
        response.read(4096, decode_content=False)
        response.release_conn()
        return response.status
    finally:
        pool.close()


def webhook_deliver(*, delivery_id: int) -> bool:
    """One attempt at one delivery, claimed first (compare-and-swap), so two workers never send
    it twice and a delivered one is never sent again. Returns True if it was delivered now."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now,
        endpoint__deleted_at__isnull=True,
    ).update(status=WebhookDelivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return False
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    body = webhook_body(delivery.payload)
    headers = {"Content-Type": "application/json", "User-Agent": "CommunityLend-Webhooks/1",
               "X-CommunityLend-Event": delivery.event,
               "X-CommunityLend-Delivery": delivery.payload["id"],
               SIGNATURE_HEADER: webhook_signature(endpoint.secret, body)}
    status_code, error = None, ""
    try:
        host, port, addresses = webhook_resolve(endpoint.url)
        status_code = _post(endpoint.url, host, port, addresses[0], body, headers)
    except ApplicationError as exc:
        error = exc.message
    except Exception as exc:  # noqa: BLE001 - any network failure is a failed attempt
        error = f"{type(exc).__name__}: {exc}"
    finished = timezone.now()
    if status_code is not None and 200 <= status_code < 300:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.DELIVERED, delivered_at=finished,
            last_status_code=status_code, last_error="")
        return True
    if status_code is not None:
        error = f"HTTP {status_code}"
    next_at = finished + retry_delay(delivery.attempts)
    gave_up = next_at > delivery.created_at + settings.WEBHOOK_RETRY_WINDOW
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        status=WebhookDelivery.Status.FAILED if gave_up else WebhookDelivery.Status.PENDING,
        next_attempt_at=next_at, last_status_code=status_code, last_error=error[:300])
    logger.info("Webhook delivery %s to %s failed (attempt %s): %s", delivery_id, endpoint.url,
                delivery.attempts, error)
    return False


def webhooks_due(*, now=None, limit: int = 500) -> list[int]:
    """Deliveries to attempt now: pending and due, or stuck in 'sending' (a worker died) for
    longer than NOTIFICATION_RETRY_AFTER (put back to pending first)."""
    now = now or timezone.now()
    WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.SENDING,
        claimed_at__lt=now - settings.NOTIFICATION_RETRY_AFTER,
    ).update(status=WebhookDelivery.Status.PENDING)
    return list(WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now,
    ).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def webhook_deliveries_of(*, endpoint: WebhookEndpoint):
    return WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-id")
