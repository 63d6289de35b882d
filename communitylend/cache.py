"""The Redis cache, tolerant of a Redis outage.

The cache holds only what can be lost: rate-limit counters (DRF throttles, allauth's login
limits) and memoised reads. When Redis is down those calls must not turn every request into a
500 (the site's data is in PostgreSQL, and work queued meanwhile waits in the notification
outbox), so a connection error is logged and treated as a miss: reads return the default,
writes are dropped, counters start again. Throttles fail open for the outage; they are a
courtesy limit, not a security boundary (the login lockout also fails open, which the outage
alarm on Redis covers).
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)
_WARN_EVERY_SECONDS = 60


class ResilientRedisCacheClient(RedisCacheClient):
    _last_warning = 0.0

    def _unavailable(self, operation: str, exc: Exception, fallback):
        now = time.monotonic()
        if now - ResilientRedisCacheClient._last_warning > _WARN_EVERY_SECONDS:
            ResilientRedisCacheClient._last_warning = now
            logger.warning("Redis cache unavailable (%s: %s); treating it as a miss",
                           operation, exc)
        return fallback

    def _guard(self, operation, fallback, call):
        try:
            return call()
        except (self._lib.ConnectionError, self._lib.TimeoutError) as exc:
            return self._unavailable(operation, exc, fallback)

    def add(self, key, value, timeout):
        return self._guard("add", False, lambda: super(ResilientRedisCacheClient, self)
                           .add(key, value, timeout))

    def get(self, key, default):
        return self._guard("get", default, lambda: super(ResilientRedisCacheClient, self)
                           .get(key, default))

    def set(self, key, value, timeout):
        return self._guard("set", None, lambda: super(ResilientRedisCacheClient, self)
                           .set(key, value, timeout))

    def touch(self, key, timeout):
        return self._guard("touch", False, lambda: super(ResilientRedisCacheClient, self)
                           .touch(key, timeout))

    def delete(self, key):
        return self._guard("delete", False, lambda: super(ResilientRedisCacheClient, self)
                           .delete(key))

    def get_many(self, keys):
        return self._guard("get_many", {}, lambda: super(ResilientRedisCacheClient, self)
                           .get_many(keys))

    def has_key(self, key):
        return self._guard("has_key", False, lambda: super(ResilientRedisCacheClient, self)
                           .has_key(key))

    def incr(self, key, delta):
        # As if the counter had just been created: a rate limit starts again.
        return self._guard("incr", delta, lambda: super(ResilientRedisCacheClient, self)
                           .incr(key, delta))

    def set_many(self, data, timeout):
        return self._guard("set_many", None, lambda: super(ResilientRedisCacheClient, self)
                           .set_many(data, timeout))

    def delete_many(self, keys):
        return self._guard("delete_many", None, lambda: super(ResilientRedisCacheClient, self)
                           .delete_many(keys))

    def clear(self):
        return self._guard("clear", False, lambda: super(ResilientRedisCacheClient, self)
                           .clear())


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
