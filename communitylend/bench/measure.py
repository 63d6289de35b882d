"""Timing helpers: samples, medians, the printed table."""

import statistics
import threading
import time
from dataclasses import dataclass, field

from django.db import connection
from django.db.backends.signals import connection_created


@dataclass
class Series:
    """Samples of one figure; the table shows median, min and max."""

    name: str
    unit: str
    samples: list[float] = field(default_factory=list)
    higher_is_better: bool = False

    def add(self, value: float) -> None:
        self.samples.append(value)

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def low(self) -> float | None:
        return min(self.samples) if self.samples else None

    @property
    def high(self) -> float | None:
        return max(self.samples) if self.samples else None


class Stopwatch:
    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        return False


class QueryCounter:
    """Counts SQL statements on this thread's connection and on every connection opened while
    it is active (daily servicing runs its batches on connections of its own threads), without
    recording their text."""

    def __init__(self):
        self.count = 0
        self._lock = threading.Lock()
        self._wrapped = []

    def _wrapper(self, execute, sql, params, many, context):
        with self._lock:
            self.count += 1
        return execute(sql, params, many, context)

    def _watch(self, sender, connection, **kwargs):
        if self._wrapper not in connection.execute_wrappers:  # a reconnect: wrapped already
            connection.execute_wrappers.append(self._wrapper)
            self._wrapped.append(connection)

    def __enter__(self):
        connection.execute_wrappers.append(self._wrapper)
        self._wrapped.append(connection)
        connection_created.connect(self._watch, weak=False)
        return self

    def __exit__(self, *exc):
        connection_created.disconnect(self._watch)
        for conn in self._wrapped:
            if self._wrapper in conn.execute_wrappers:
                conn.execute_wrappers.remove(self._wrapper)
        return False


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0-100)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def table(rows: list[Series]) -> str:
    lines = [f"{'figure':<44} {'median':>12} {'min':>12} {'max':>12}  unit",
             "-" * 92]
    for s in rows:
        lines.append(f"{s.name:<44} {fmt(s.median):>12} {fmt(s.low):>12} {fmt(s.high):>12}  "
                     f"{s.unit}")
    return "\n".join(lines)
