"""Migrations: a database from every schema version the repo has shipped upgrades without losing rows;
backup and restore keep the pipeline safe."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from triage import store as store_module
from triage.cli import main
from triage.store import Store, migrations

SHIPPED = migrations()


def test_the_shipped_migrations_are_named_and_ordered():
    names = [name for name, _ in SHIPPED]
    assert names[:2] == ["0001_initial", "0002_followup_queue"]
    assert names == sorted(names) and len(set(n[:4] for n in names)) == len(names)


def old_database(path, applied: int, monkeypatch) -> None:
    """A database as a version shipping only the first ``applied`` migrations left it, with data."""
    with monkeypatch.context() as patch, _old_store(path, applied, patch) as old:
        assert old.applied_migrations() == [name for name, _ in SHIPPED[:applied]]
        for n in range(30):
            record = {"sender": {"email": f"b{n}@x{n}.com"}, "draft": {"subject": "Re", "body": f"Dear {n}"}}
            old.conn.execute(
                "INSERT INTO inquiries (dedupe_key, message_id, source_kind, triaged_at, sender_email, sender_domain,"
                " tier, category, status, body, record) VALUES (?, ?, 'eml', '2026-11-01T00:00:00', ?, ?, ?, 'genuine',"
                " 'new', ?, ?)",
                (f"mid:<{n}@x>", f"<{n}@x>", f"b{n}@x{n}.com", f"x{n}.com", "ABCD"[n % 4], f"body {n}",
                 json.dumps(record)))
            old.conn.execute("INSERT INTO followups (inquiry_id, step, due, purpose) VALUES (?, 1, '2026-11-05', 'reply')",
                             (n + 1,))
            old.conn.execute("INSERT INTO events (inquiry_id, at, kind) VALUES (?, '2026-11-01', 'triaged')", (n + 1,))
        old.conn.execute("INSERT INTO lookups VALUES ('x1.com', '2026-11-01T00:00:00', '{}')")


def _old_store(path, applied: int, patch) -> Store:
    patch.setattr(store_module, "migrations", lambda: SHIPPED[:applied])
    return Store(path)


def counts(path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("inquiries", "followups", "events", "lookups")}
    finally:
        conn.close()


@pytest.mark.parametrize("applied", range(1, len(SHIPPED)), ids=lambda n: f"from-{SHIPPED[n - 1][0]}")
def test_an_old_database_upgrades_to_the_latest_without_losing_rows(tmp_path, monkeypatch, applied):
    path = tmp_path / "old.db"
    old_database(path, applied, monkeypatch)
    before = counts(path)
    with Store(path) as store:
        assert store.applied_migrations() == [name for name, _ in SHIPPED]
        assert store.integrity() == "ok"
        assert store.get(1)["draft"]["body"] == "Dear 0"
    assert counts(path) == before == {"inquiries": 30, "followups": 30, "events": 30, "lookups": 1}
    CliRunner().invoke(main, ["queue", "--db", str(path), "--date", "2026-11-10"], catch_exceptions=False)


def test_migrate_from_a_blank_database_and_again_is_a_no_op(tmp_path):
    path = tmp_path / "new.db"
    with Store(path) as store:
        assert store.migrate() == []
        assert store.migrate(available=SHIPPED[:1]) == []
        assert store.applied_migrations() == [name for name, _ in SHIPPED]


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    old_database(path, len(SHIPPED), monkeypatch)
    broken = SHIPPED + [("9999_broken", "ALTER TABLE inquiries ADD COLUMN extra TEXT;\nCREATE TABLE inquiries (x);")]
    with Store(path) as store, pytest.raises(Exception, match="9999_broken"):
        store.migrate(available=broken)
    with Store(path) as store:
        columns = {r[1] for r in store.conn.execute("PRAGMA table_info(inquiries)")}
        assert "extra" not in columns and "9999_broken" not in store.applied_migrations()
    assert counts(path)["inquiries"] == 30


# -- backup and restore ------------------------------------------------------------------------


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_backup_then_restore_brings_the_pipeline_back(tmp_path, triage_home, monkeypatch):
    old_database(triage_home / "triage.db", len(SHIPPED), monkeypatch)
    backup = tmp_path / "pipeline-backup.db"
    result = run("backup", str(backup))
    assert result.exit_code == 0 and "30 inquiries" in result.output
    with Store() as store:
        store.conn.execute("DELETE FROM inquiries WHERE id > 5")
    result = run("restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    assert counts(triage_home / "triage.db")["inquiries"] == 30
    kept = list(triage_home.glob("triage.db.before-restore-*"))
    assert len(kept) == 1 and counts(kept[0])["inquiries"] == 5


def test_restore_asks_first_and_refuses_what_is_not_a_triage_database(tmp_path, triage_home):
    with Store() as store:
        store.count()
    result = run("restore", str(triage_home / "triage.db"), input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    for path in (junk, other):
        result = CliRunner().invoke(main, ["restore", "--yes", str(path)])
        assert result.exit_code == 1 and "not a triage database" in result.output
    assert not list(triage_home.glob("triage.db.before-restore-*"))
