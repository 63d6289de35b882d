"""What is known about the request (or the Celery task) being served, for whoever writes a log
line or an audit row during it: the request id, the client's IP address and user agent, the
user. Context variables, so each thread (gunicorn gthread) and each task sees its own.

Set by ``communitylend.middleware.RequestContextMiddleware`` for a request and by the Celery
signals in ``communitylend.observability`` for a task (which carries the id of the request that
queued it); read by the log formatter and by ``accounts.services.audit_entry``."""

import re
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class RequestContext:
    request_id: str = ""
    client_ip: str | None = None
    user_agent: str = ""
    user_id: int | None = None
    # The task being run, when the context is a Celery task's (its own id, and its name).
    task_id: str = ""
    task_name: str = ""


EMPTY = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("communitylend_request_context", default=EMPTY)

# A request id from the caller (a proxy's X-Request-ID) is kept only when it is a short token:
# letters, digits and - _ . : (a UUID, a hex string, an nginx $request_id, "req-42"), at most 64
# characters. Anything else (spaces, quotes, newlines, a kilobyte) is replaced by our own, so a
# caller cannot write into the logs what a log reader would take for another field.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
USER_AGENT_MAX = 256


def new_request_id() -> str:
    return secrets.token_hex(16)


def clean_request_id(value: str | None) -> str:
    """The caller's request id if it is a short token, else a new one."""
    if value and REQUEST_ID_PATTERN.fullmatch(value):
        return value
    return new_request_id()


def current() -> RequestContext:
    return _current.get()


@contextmanager
def bound(context: RequestContext):
    """Make ``context`` the current one inside the block (a request, a task)."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def set_user(user_id: int | None) -> None:
    """The user became known part-way (authentication runs inside the request)."""
    _current.set(replace(_current.get(), user_id=user_id))
