"""The store: the only module that talks to SQLite (through sqlite-utils).

The database lives at ``$TRIAGE_HOME/triage.db``. Opening it applies the named,
append-only migrations in ``db/`` (``NNNN_name.sql``), each in its own
transaction, recorded in the ``_migrations`` table. WAL mode and a busy timeout
let several triage processes share it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from triage.errors import NotFound, StoreError
from triage.paths import database_path, shipped

BUSY_TIMEOUT_MS = 10_000

# Columns kept beside the JSON record, for filtering, sorting and the queue.
_COLUMNS = (
    "dedupe_key message_id in_reply_to source_kind source_path received triaged_at sender_name "
    "sender_email sender_domain contact_name company_name country subject products language "
    "category tier persona money authority need authenticity verdict body record"
).split()
_UPDATABLE = [c for c in _COLUMNS if c not in ("dedupe_key", "triaged_at")]
_UPSERT = (
    f"INSERT INTO inquiries ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)}) "
    f"ON CONFLICT(dedupe_key) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in _UPDATABLE)} "
    "RETURNING id"
)


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def migrations() -> list[tuple[str, str]]:
    """The shipped migrations, (name, sql), in order."""
    files = sorted(shipped("db").glob("[0-9][0-9][0-9][0-9]_*.sql"))
    return [(f.stem, f.read_text(encoding="utf-8")) for f in files]


@dataclass(slots=True)
class Saved:
    id: int
    created: bool


class Store:
    """A connection to the triage database, migrated on open."""

    def __init__(self, path: Path | str | None = None):
        import sqlite_utils

        self.path = Path(path) if path else database_path()
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from None
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.migrate()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- migrations ---------------------------------------------------------

    def applied_migrations(self) -> list[str]:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        return [r[0] for r in self.conn.execute("SELECT name FROM _migrations ORDER BY name")]

    def migrate(self, available: list[tuple[str, str]] | None = None) -> list[str]:
        """Apply every migration not yet recorded; returns the names applied now."""
        done = set(self.applied_migrations())
        applied = []
        for name, sql in available if available is not None else migrations():
            if name not in done:
                self._apply(name, sql)
                applied.append(name)
        return applied

    def _apply(self, name: str, sql: str) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            if name in {r[0] for r in self.conn.execute("SELECT name FROM _migrations")}:
                self.conn.execute("ROLLBACK")  # another process applied it meanwhile
                return
            for statement in _statements(sql):
                self.conn.execute(statement)
            self.conn.execute("INSERT INTO _migrations VALUES (?, ?)", (name, utcnow()))
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise StoreError(f"migration {name} failed: {exc}") from None

    # -- inquiries ------------------------------------------------------------

    def save(self, row: dict[str, Any]) -> Saved:
        """Insert or update one inquiry row (keyed by ``dedupe_key``)."""
        return self.save_many([row])[0]

    def save_many(self, rows: Iterable[dict[str, Any]]) -> list[Saved]:
        """Insert or update many inquiry rows in one transaction."""
        saved: list[Saved] = []
        with self.transaction():
            for row in rows:
                saved.append(self._upsert(row))
        return saved

    def _upsert(self, row: dict[str, Any]) -> Saved:
        stamp = utcnow()
        created = self.find(dedupe_key=row["dedupe_key"]) is None
        values = [stamp if c == "triaged_at" else _cell(row.get(c)) for c in _COLUMNS]
        (ident,) = self.conn.execute(_UPSERT, values).fetchone()
        self.__dict__.get("_body_cache", {}).pop(ident, None)
        self.add_event(ident, "triaged" if created else "retriaged", at=stamp)
        return Saved(ident, created)

    def transaction(self) -> _Transaction:
        return _Transaction(self.conn)

    def get(self, ident: int) -> dict[str, Any]:
        row = self.conn.execute("SELECT id, record FROM inquiries WHERE id = ?", (ident,)).fetchone()
        if row is None:
            raise NotFound(f"no inquiry with id {ident}")
        return _record(row)

    def row(self, ident: int) -> dict[str, Any]:
        rows = list(self.db.query("SELECT * FROM inquiries WHERE id = ?", [ident]))
        if not rows:
            raise NotFound(f"no inquiry with id {ident}")
        return rows[0]

    def update_record(self, ident: int, record: dict[str, Any], **columns: Any) -> None:
        record = {k: v for k, v in record.items() if k != "id"}
        sets = ", ".join(f"{k} = ?" for k in ["record", *columns])
        values = [json.dumps(record, ensure_ascii=False), *map(_cell, columns.values()), ident]
        with self.transaction():
            self.conn.execute(f"UPDATE inquiries SET {sets} WHERE id = ?", values)

    def set_status(self, ident: int, status: str, reason: str | None = None) -> None:
        self.row(ident)
        with self.transaction():
            self.conn.execute(
                "UPDATE inquiries SET status = ?, status_reason = ? WHERE id = ?", (status, reason, ident)
            )
            self.add_event(ident, status, detail=reason)

    def add_event(self, ident: int, kind: str, *, detail: str | None = None, at: str | None = None) -> None:
        self.conn.execute(
            "INSERT INTO events (inquiry_id, at, kind, detail) VALUES (?, ?, ?, ?)",
            (ident, at or utcnow(), kind, detail),
        )

    def events(self, ident: int) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM events WHERE inquiry_id = ? ORDER BY at, id", [ident]))

    def find(self, *, message_id: str | None = None, dedupe_key: str | None = None) -> int | None:
        column, value = ("message_id", message_id) if message_id else ("dedupe_key", dedupe_key)
        row = self.conn.execute(f"SELECT id FROM inquiries WHERE {column} = ? LIMIT 1", (value,)).fetchone()
        return row[0] if row else None

    def query(self, filters: Filters | None = None) -> list[dict[str, Any]]:
        """Rows (without the record) matching ``filters``, newest first."""
        where, params = (filters or Filters()).sql()
        limit = f" LIMIT {int(filters.limit)}" if filters and filters.limit else ""
        sql = f"SELECT * FROM inquiries{where} ORDER BY received DESC, id DESC{limit}"
        return [{k: v for k, v in r.items() if k != "record"} for r in self.db.query(sql, params)]

    def records(self, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
        where, params = (filters or Filters()).sql()
        sql = f"SELECT id, record FROM inquiries{where} ORDER BY received DESC, id DESC"
        for row in self.conn.execute(sql, params):
            yield _record(row)

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM inquiries").fetchone()[0]

    def history_candidates(self, sender_email: str | None, sender_domain: str | None, *, exclude: str = "",
                           limit: int = 60) -> list[dict[str, Any]]:
        """Stored inquiries a new one may repeat: same sender or domain, and the 60 most recent others.

        Texts are compared on their first 600 characters: enough to see a mass RFQ or a scam wave,
        cheap enough to run on every inquiry of a large batch.
        """
        sql = (
            "SELECT id, sender_email, sender_domain, company_name, message_id, subject "
            "FROM inquiries WHERE dedupe_key != ? AND (sender_email = ? OR sender_domain = ? OR id IN "
            "(SELECT id FROM inquiries ORDER BY id DESC LIMIT ?))"
        )
        keys = ("id", "sender_email", "sender_domain", "company_name", "message_id", "subject")
        rows = [dict(zip(keys, row)) for row in self.conn.execute(sql, [exclude, sender_email or "", sender_domain or "", limit])]
        bodies = self._bodies([r["id"] for r in rows])
        for r in rows:
            r["body"] = bodies.get(r["id"], "")
        return rows

    def _bodies(self, ids: list[int]) -> dict[int, str]:
        """Stored texts by id, read once per process (history compares each new inquiry with many)."""
        cache = self.__dict__.setdefault("_body_cache", {})
        missing = [i for i in ids if i not in cache]
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for ident, body in self.conn.execute(f"SELECT id, substr(body, 1, 600) FROM inquiries WHERE id IN ({marks})", chunk):
                cache[ident] = body or ""
        return {i: cache.get(i, "") for i in ids}

    # -- lookups cache -----------------------------------------------------------

    def lookup_get(self, domain: str) -> tuple[dict[str, Any], datetime] | None:
        row = self.conn.execute("SELECT data, fetched_at FROM lookups WHERE domain = ?", (domain,)).fetchone()
        if row is None:
            return None
        return json.loads(row[0]), datetime.fromisoformat(row[1])

    def lookup_put(self, domain: str, data: dict[str, Any]) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO lookups (domain, fetched_at, data) VALUES (?, ?, ?)",
                (domain, utcnow(), json.dumps(data, ensure_ascii=False)),
            )


class LookupCache:
    """The enrich stage's cache protocol (get/put per domain) over the store; safe across lookup threads."""

    def __init__(self, store: Store):
        import threading

        self.store = store
        self.lock = threading.Lock()

    def get(self, domain: str) -> tuple[dict[str, Any], datetime] | None:
        with self.lock:
            return self.store.lookup_get(domain)

    def put(self, domain: str, data: dict[str, Any]) -> None:
        with self.lock:
            self.store.lookup_put(domain, data)


@dataclass
class Filters:
    """What ``triage list`` and ``triage export`` may filter on."""

    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    tier: str | None = None
    category: str | None = None
    country: str | None = None
    status: str | None = None
    text: str | None = None
    limit: int | None = None

    def sql(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column, op, value in self._conditions():
            if value not in (None, ""):
                clauses.append(f"{column} {op} ?")
                params.append(value)
        if self.text:
            clauses.append("(subject LIKE ? OR body LIKE ? OR company_name LIKE ? OR sender_email LIKE ?)")
            params += [f"%{self.text}%"] * 4
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def _conditions(self) -> list[tuple[str, str, Any]]:
        return [
            ("substr(received, 1, 10)", ">=", self.since),
            ("substr(received, 1, 10)", "<=", self.until),
            ("tier", "=", self.tier and self.tier.upper()),
            ("category", "=", self.category),
            ("country", "=", self.country and self.country.upper()),
            ("status", "=", self.status),
        ]


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        self.outer = not self.conn.in_transaction
        if self.outer:
            self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if not self.outer:
            return
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _record(row: tuple[int, str]) -> dict[str, Any]:
    return {"id": row[0], **json.loads(row[1])}


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement keeps triggers whole)."""
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip() and not current.strip().startswith("--"):
        statements.append(current.strip())
    return [s for s in statements if s.strip(" ;\n")]


def open_store(path: Path | str | None = None) -> Store:
    return Store(path)
