"""Forgetting a buyer (``triage forget``): their inquiries go, every other mention is scrubbed.

Part of the store (the only code that talks to SQLite): functions over a :class:`~triage.store.Store`,
as ``store_marks`` and ``store_followups`` are.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from triage.errors import StoreError
from triage.store import Store


def forget(store: Store, who: str, *, copies: bool = True) -> Forgotten:
    """Remove everything kept about a buyer: an e-mail address, or a whole (business) domain.

    Their inquiries (the records hold the drafts), follow-ups and events go; every other inquiry,
    event and cached lookup that names them (address, domain for a whole domain, their full name,
    phone numbers, their Message-IDs in thread columns) is scrubbed to ``[forgotten]``; cached
    lookups of their domains go when nobody else uses them. The file is vacuumed and the
    write-ahead log truncated, so no free page or WAL frame keeps them. With ``copies``, the
    restore copies triage wrote beside the database (``triage.db.before-restore-*``) get the same.
    A free-mail domain (gmail.com) is no company and is refused: name the full address.
    """
    who = normalise_who(who)
    where, params = _buyer_clause(who)
    with store.transaction():
        ids = [r[0] for r in store.conn.execute(f"SELECT id FROM inquiries WHERE {where}", params)]
        traces = _traces(store, ids, who)
        gone = _delete_inquiries(store, ids, who)
        gone.mentions = _scrub_mentions(store, who, traces)
    store.compact()
    _scrub_log(store, _mention_pattern(who, traces))
    if copies:
        for copy in sorted(store.path.parent.glob(store.path.name + ".before-restore-*")):
            with Store(copy) as kept:
                forget(kept, who, copies=False)
            gone.copies += 1
            for leftover in (copy.with_name(copy.name + "-wal"), copy.with_name(copy.name + "-shm")):
                leftover.unlink(missing_ok=True)
    return gone


def _scrub_log(store: Store, pattern: re.Pattern) -> None:
    """triage.log beside the database (internal errors' tracebacks) keeps no mention either."""
    log = store.path.parent / "triage.log"
    if log.is_file():
        text = log.read_text(encoding="utf-8", errors="replace")
        if pattern.search(text):
            log.write_text(pattern.sub("[forgotten]", text), encoding="utf-8")


def forget_preview(store: Store, who: str) -> dict[str, Any]:
    """What ``forget`` would remove: the inquiries and the addresses they come from (nothing changes)."""
    who = normalise_who(who)
    where, params = _buyer_clause(who)
    rows = store.conn.execute(f"SELECT sender_email FROM inquiries WHERE {where}", params).fetchall()
    return {"who": who, "inquiries": len(rows), "addresses": sorted({r[0] for r in rows if r[0]})}


def _traces(store: Store, ids: list[int], who: str) -> list[str]:
    """What else names the buyer in other rows: their full names, phone numbers and Message-IDs."""
    traces: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for mid, sender_name, contact_name, phones in store.conn.execute(
                f"SELECT message_id, sender_name, contact_name, json_extract(record, '$.contact.phones') "
                f"FROM inquiries WHERE id IN ({marks})", chunk):
            traces.update(n.strip() for n in (sender_name, contact_name) if n and len(n.strip()) >= 5
                          and " " in n.strip())
            if mid:
                traces.add(mid.strip("<>"))
            for phone in json.loads(phones) if phones else []:
                if isinstance(phone, str) and sum(c.isdigit() for c in phone) >= 7:
                    traces.add(phone)
    return sorted(traces, key=len, reverse=True)


def _delete_inquiries(store: Store, ids: list[int], who: str) -> Forgotten:
    gone = Forgotten(who=who, inquiries=len(ids))
    domains = {who.split("@")[-1]}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        gone.followups += _count(store, f"SELECT count(*) FROM followups WHERE inquiry_id IN ({marks})", chunk)
        gone.events += _count(store, f"SELECT count(*) FROM events WHERE inquiry_id IN ({marks})", chunk)
        domains |= {d for (d,) in store.conn.execute(
            f"SELECT sender_domain FROM inquiries WHERE id IN ({marks}) AND sender_domain IS NOT NULL", chunk)}
        domains |= {_registrable(w) for (w,) in store.conn.execute(
            f"SELECT json_extract(record, '$.company.website') FROM inquiries WHERE id IN ({marks})", chunk) if w}
        store.conn.execute(f"DELETE FROM followups WHERE inquiry_id IN ({marks})", chunk)
        store.conn.execute(f"DELETE FROM events WHERE inquiry_id IN ({marks})", chunk)
        store.conn.execute(f"DELETE FROM inquiries WHERE id IN ({marks})", chunk)
    gone.lookups = _forget_lookups(store, domains - {""}, whole_domain="@" not in who and who)
    return gone


def _scrub_mentions(store: Store, who: str, traces: list[str]) -> int:
    """Other inquiries that name the buyer (history evidence, a colleague quoting them, a reply's
    In-Reply-To) keep their text with each mention replaced by [forgotten]; events' details and
    cached lookups too. Returns how many inquiries were changed."""
    pattern = _mention_pattern(who, traces)
    changed = 0
    columns = ("record", "body", "verdict", "subject", "sender_name", "contact_name", "in_reply_to")
    for ident, *texts in store.conn.execute(f"SELECT id, {', '.join(columns)} FROM inquiries").fetchall():
        new = [pattern.sub("[forgotten]", t) if t else t for t in texts]
        if new != texts:
            changed += 1
            new[-1] = None if new[-1] != texts[-1] else new[-1]  # a thread pointer to them is no pointer
            store.conn.execute(f"UPDATE inquiries SET {', '.join(c + ' = ?' for c in columns)} WHERE id = ?",
                              (*new, ident))
    for ident, detail in store.conn.execute("SELECT id, detail FROM events WHERE detail IS NOT NULL").fetchall():
        if pattern.search(detail):
            store.conn.execute("UPDATE events SET detail = ? WHERE id = ?", (pattern.sub("[forgotten]", detail), ident))
    for domain, data in store.conn.execute("SELECT domain, data FROM lookups").fetchall():
        if pattern.search(data):
            store.conn.execute("UPDATE lookups SET data = ? WHERE domain = ?", (pattern.sub("[forgotten]", data), domain))
    return changed


def _forget_lookups(store: Store, domains: set[str], whole_domain: str | bool) -> int:
    removed = 0
    if whole_domain:
        like = whole_domain.replace("_", "\\_")
        removed += store.conn.execute("DELETE FROM lookups WHERE domain = ? OR domain LIKE ? ESCAPE '\\'",
                                     (whole_domain, f"%.{like}")).rowcount
    for domain in sorted(domains):
        still_used = _count(store, "SELECT count(*) FROM inquiries WHERE sender_domain = ?", [domain])
        if not still_used:
            removed += store.conn.execute("DELETE FROM lookups WHERE domain = ?", (domain,)).rowcount
    return removed


@dataclass
class Forgotten:
    """What :func:`forget` removed."""

    who: str
    inquiries: int = 0
    followups: int = 0
    events: int = 0
    lookups: int = 0
    mentions: int = 0  # other inquiries whose text named the buyer, now scrubbed
    copies: int = 0  # restore copies triage wrote beside the database, forgotten in too


def _mention_pattern(who: str, traces: list[str] = ()) -> re.Pattern:
    """The address or domain as other texts mention it: whole, cut short by an ellipsis (evidence is
    truncated), or an address's local part with any beginning of its domain; and each trace (a full
    name, a Message-ID; a phone number with any spacing or punctuation between its digits)."""
    def beginnings(text: str, shortest: int) -> str:
        return "|".join(re.escape(text[:k]) for k in range(len(text), shortest - 1, -1))

    forms = [re.escape(who), f"(?:{beginnings(who, 4)})(?=…)"]
    if "@" in who:
        local, domain = who.split("@", 1)
        forms.append(f"{re.escape(local)}@(?:{beginnings(domain, 1)})?")
    for trace in traces:
        digits = re.sub(r"\D", "", trace)
        if len(digits) >= 7 and len(digits) >= len(trace.replace(" ", "")) - 4:  # a phone number
            national = digits[-9:]  # what any spelling of it (+7 495..., 8 (495)...) holds
            forms.append(r"[\s().+-]*".join(re.escape(d) for d in national))
        else:
            forms.append(r"\s+".join(re.escape(w) for w in trace.split()))
    return re.compile("|".join(forms), re.I)


def normalise_who(who: str) -> str:
    """The address or domain ``forget`` was given, checked: a free-mail domain is refused (gmail.com
    users are not one company), so is anything that is neither an address nor a domain."""
    who = who.strip().lower().removeprefix("mailto:").strip("<>@ ")
    if not who or any(c in who for c in " %\\\"'*?") or "." not in who.split("@")[-1]:
        raise StoreError(f"{who!r} is not an e-mail address or a domain")
    if "@" not in who:
        try:
            from triage.enrich.domains import is_free_mail
        except ImportError:
            return who
        if is_free_mail(who):
            raise StoreError(f"{who} is a free-mail provider, not one company: forget a full address "
                             f"(someone@{who}) instead")
    return who


def _buyer_clause(who: str) -> tuple[str, list[Any]]:
    """Rows of a buyer: by address (sender or the record's sender/contact e-mail), or by domain."""
    if "@" in who:
        return ("sender_email = ? OR lower(json_extract(record, '$.sender.email')) = ? "
                "OR lower(json_extract(record, '$.contact.email')) = ?"), [who, who, who]
    like = who.replace("_", "\\_")
    return ("sender_domain = ? OR sender_domain LIKE ? ESCAPE '\\' OR sender_email LIKE ? ESCAPE '\\' "
            "OR lower(json_extract(record, '$.sender.email')) LIKE ? ESCAPE '\\'"), [who, f"%.{like}", f"%@{like}", f"%@{like}"]


def _registrable(website: str) -> str:
    host = website.lower().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].removeprefix("www.")
    try:
        from triage.hostnames import registrable

        return registrable(host) or host
    except ImportError:
        return host


def _count(store: Store, sql: str, params: list[Any]) -> int:
    return store.conn.execute(sql, params).fetchone()[0]
