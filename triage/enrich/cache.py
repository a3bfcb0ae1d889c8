"""The per-domain lookup cache: a tiny protocol, and an in-memory one for tests.

Any object with ``get(domain) -> (data, fetched_at) | None`` and
``put(domain, data) -> None`` will do; the SQLite store provides the real one.
"""

from __future__ import annotations

import copy
import threading
from datetime import datetime, timedelta, timezone
from typing import Callable, Protocol

TTL = timedelta(days=14)
# Failures worth retrying soon: such lookups are not cached.
TRANSIENT = ("timeout", "connection failed", "TLS error", "proxy error", "HTTP 5", "dns: ", "lookup failed")
DEFINITIVE = ("does not exist",)


class Cache(Protocol):
    def get(self, domain: str) -> tuple[dict, datetime] | None: ...

    def put(self, domain: str, data: dict) -> None: ...


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class DictCache:
    """An in-memory cache; ``clock`` gives the ``fetched_at`` of each put."""

    def __init__(self, clock: Callable[[], datetime] = utcnow):
        self.clock = clock
        self.rows: dict[str, tuple[dict, datetime]] = {}
        self._lock = threading.Lock()

    def get(self, domain: str) -> tuple[dict, datetime] | None:
        with self._lock:
            row = self.rows.get(domain)
        return (copy.deepcopy(row[0]), row[1]) if row else None

    def put(self, domain: str, data: dict) -> None:
        with self._lock:
            self.rows[domain] = (copy.deepcopy(data), self.clock())


def age(fetched_at: datetime, now: datetime) -> timedelta:
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now - fetched_at


def worth_caching(data: dict) -> bool:
    """False when a lookup failed in a way that may pass (timeouts, DNS trouble, 5xx)."""
    return not any(_transient(e) for e in data.get("errors", []))


def _transient(error: str) -> bool:
    """A failure of the whole lookup (not of one extra page) that may pass on its own."""
    whole = error.startswith(("site unreachable", "dns", "lookup failed"))
    return whole and any(t in error for t in TRANSIENT) and not any(d in error for d in DEFINITIVE)
