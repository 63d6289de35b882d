"""Logs and error tracking (README, "Operations: logs and errors").

- Every log line carries the request id, the user id and, in a Celery task, the task's id and
  name (``ContextFilter``, from ``communitylend.core.context``). ``LOG_FORMAT=json`` writes one
  JSON object per line (python-json-logger), ``plain`` one readable line.
- ``RequestContextMiddleware`` (communitylend/middleware.py) logs one line per request: method,
  path, status, duration, user id, request id.
- A task queued during a request carries the request's id in its message headers
  (``request_id``), and every line the task logs has it: the signal handlers below.
- ``sentry_init`` turns on Sentry (Django, Celery and logging integrations) when ``SENTRY_DSN``
  is set, with personal data left out and scrubbed (``scrub_event``).
"""

import logging
import time

from celery.signals import before_task_publish, task_postrun, task_prerun
from pythonjsonlogger.json import JsonFormatter

from communitylend.core import context

REQUEST_ID_HEADER = "request_id"  # the Celery message header


class ContextFilter(logging.Filter):
    """Adds the current request's (or task's) ids to every record, for both formats."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = context.current()
        for name, value in (("request_id", current.request_id), ("user_id", current.user_id),
                            ("task_id", current.task_id), ("task_name", current.task_name)):
            if not hasattr(record, name):
                setattr(record, name, value if value is not None else "")
        return True


class JsonLogFormatter(JsonFormatter):
    """One JSON object per line: time, level, logger, message, request_id, user_id, task_id,
    task_name, and whatever the call passed as ``extra`` (method, path, status, duration_ms)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level",
                                            "name": "logger"})
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_record):
        # Empty ids are noise in every line outside a request or a task.
        for name in ("request_id", "user_id", "task_id", "task_name"):
            if log_record.get(name) in ("", None):
                log_record.pop(name, None)
        return super().process_log_record(log_record)


PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


# --- Celery: the request id travels with the task ----------------------------------------------

@before_task_publish.connect
def _add_request_id_header(headers=None, **_kwargs) -> None:
    request_id = context.current().request_id
    if headers is not None and request_id and REQUEST_ID_HEADER not in headers:
        headers[REQUEST_ID_HEADER] = request_id


_task_tokens: dict[str, tuple[object, float]] = {}
task_logger = logging.getLogger("communitylend.task")


def _queued_by(task) -> str:
    request = task.request
    # A worker exposes the message's custom headers as attributes of the request; an eager call
    # (tests, CELERY_TASK_ALWAYS_EAGER) runs in the caller's thread, whose context still holds
    # the request's id.
    return (getattr(request, REQUEST_ID_HEADER, None)
            or (getattr(request, "headers", None) or {}).get(REQUEST_ID_HEADER)
            or context.current().request_id)


@task_prerun.connect
def _bind_task_context(task_id=None, task=None, **_kwargs) -> None:
    bound = context.RequestContext(request_id=_queued_by(task) or "", task_id=task_id or "",
                                   task_name=task.name,
                                   user_id=context.current().user_id)
    token = context._current.set(bound)
    _task_tokens[task_id] = (token, time.monotonic())


@task_postrun.connect
def _unbind_task_context(task_id=None, task=None, state=None, **_kwargs) -> None:
    token, started = _task_tokens.pop(task_id, (None, None))
    if started is not None:
        task_logger.info("task %s", state or "done", extra={
            "duration_ms": round((time.monotonic() - started) * 1000, 1), "state": state})
    if token is not None:
        context._current.reset(token)


# --- Sentry -------------------------------------------------------------------------------------

SCRUBBED = "[scrubbed]"
_SENSITIVE_HEADERS = {"authorization", "cookie", "x-csrftoken", "x-forwarded-for", "x-real-ip",
                      "x-communitylend-signature"}


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Personal data never leaves: no cookies, auth headers, request bodies or query strings, no
    user beyond the id; the request id is added as a tag to find the log lines."""
    request = event.get("request") or {}
    for key in ("cookies", "data", "query_string", "env"):
        if key in request:
            request[key] = SCRUBBED
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in _SENSITIVE_HEADERS:
            headers[name] = SCRUBBED
    user = event.get("user")
    if user:
        event["user"] = {"id": user["id"]} if user.get("id") else {}
    current = context.current()
    if current.request_id:
        event.setdefault("tags", {})["request_id"] = current.request_id
    if current.user_id and not event.get("user"):
        event["user"] = {"id": str(current.user_id)}
    return event


def sentry_init(*, dsn: str, environment: str, release: str | None = None,
                traces_sample_rate: float = 0.0) -> bool:
    """Sentry with the Django, Celery and logging integrations; nothing without a DSN."""
    if not dsn:
        return False
    # Imported only when configured: the integrations patch Django and Celery when loaded.
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration  # (see above)
    from sentry_sdk.integrations.django import DjangoIntegration  # (see above)
    from sentry_sdk.integrations.logging import LoggingIntegration  # (see above)

    sentry_sdk.init(
        dsn=dsn, environment=environment, release=release,
        integrations=[DjangoIntegration(), CeleryIntegration(),
                      LoggingIntegration(level=logging.INFO, event_level=logging.ERROR)],
        # No user details, cookies, bodies, query strings or IP addresses, no local variables
        # (a frame's request or form holds what the user typed): sentry-sdk's data_collection,
        # which replaces send_default_pii=False (deprecated in 2.7x) and says it field by field.
        # scrub_event removes whatever an integration still adds.
        data_collection={
            "user_info": False, "cookies": {"mode": "off"}, "http_bodies": [],
            "url_query_params": {"mode": "off"}, "stack_frame_variables": False,
            "database_query_data": False,
            "http_headers": {"request": {"mode": "denylist",
                                         "terms": sorted(_SENSITIVE_HEADERS)}}},
        max_request_body_size="never", include_local_variables=False,
        before_send=scrub_event, traces_sample_rate=traces_sample_rate,
    )
    return True
