"""The pipeline: inputs -> parse -> extract -> enrich -> judge -> persona -> draft -> store.

Each stage is a function in its own module; this module only wires them and is
what the command line calls. ``triage_items`` is the one entry point for a
batch: bad inputs are collected, good ones are stored, nothing stops the batch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from triage.contract import to_contract
from triage.errors import TriageError
from triage.extract import extract
from triage.inputs import Item, items, parse_item
from triage.model import Inquiry
from triage.profile import Profile


@dataclass
class Options:
    offline: bool = False
    refresh: bool = False
    lang: str = "en"
    workers: int = 16
    today: date | None = None  # the clock, injected (follow-up due dates)
    fetcher: object | None = None  # enrich's HTTP fetcher (tests pass one bound to a local server)
    resolver: object | None = None  # enrich's DNS resolver


@dataclass
class Result:
    inquiry: Inquiry
    id: int | None = None
    created: bool = True

    @property
    def record(self) -> dict:
        return to_contract(self.inquiry)


@dataclass
class Batch:
    results: list[Result] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    read: int = 0  # items taken from the inputs (messages, files, errors)
    interrupted: bool = False  # Ctrl-C: what was stored before it is kept and counted

    def summary(self) -> str:
        """'read 200: stored 150, updated 40, skipped 10' (and what an interruption left)."""
        stored = sum(1 for r in self.results if r.id is not None and r.created)
        updated = sum(1 for r in self.results if r.id is not None and not r.created)
        unsaved = len(self.results) - stored - updated
        text = f"read {self.read}: stored {stored}, updated {updated}, skipped {len(self.errors)}"
        if unsaved:
            text += f", not stored {unsaved}"
        if self.interrupted:
            text += "; interrupted: the rest was not read (running it again is safe: stored ones are updated)"
        return text


def read_inquiry(item: Item, profile: Profile, today: date | None = None) -> Inquiry:
    """Parse and extract one item (no network, no database)."""
    return extract(parse_item(item, profile.chat_names), profile, today=today)


def read_path(path: Path | str, profile: Profile) -> list[Inquiry]:
    """Every inquiry under ``path`` (file, mbox or directory), parsed and extracted; unreadable ones skipped."""
    out = []
    for item in items([str(path)]):
        try:
            out.append(read_inquiry(item, profile))
        except TriageError:
            continue
    return out


def judge_all(inquiries: list[Inquiry], profile: Profile, options: Options, store=None,
              progress: Callable[[int, int], None] | None = None, learned=None) -> None:
    """Enrich, judge, read the writer and draft, in place (``learned``: the user's token model,
    read from the store here unless the batch read it already)."""
    enrich_all(inquiries, options, store, progress)
    stages = _Stages.load(profile)
    recent = _recent(store)
    if learned is None:
        learned = _learned(store)
    for inquiry in inquiries:
        stages.run(inquiry, profile, options, store, recent, learned)


def enrich_all(inquiries: list[Inquiry], options: Options, store=None, progress=None) -> None:
    from triage import enrich

    cache = None
    if store is not None:
        from triage.store import LookupCache

        cache = LookupCache(store)
    kwargs = dict(cache=cache, offline=options.offline, refresh=options.refresh)
    if options.fetcher is not None:
        kwargs["fetcher"] = options.fetcher
    if options.resolver is not None:
        kwargs["resolver"] = options.resolver
    results = enrich.enrich_many(inquiries, workers=options.workers, progress=progress, **kwargs)
    for inquiry, enrichment in zip(inquiries, results):
        inquiry.enrichment = enrichment


@dataclass
class _Stages:
    signals: object

    @classmethod
    def load(cls, profile: Profile) -> _Stages:
        return cls(signals=_signals(os.environ.get("TRIAGE_HOME", "")))

    def run(self, inquiry: Inquiry, profile: Profile, options: Options, store, recent=None, learned=None) -> None:
        from triage import draft, followup, persona
        from triage.judge import judge

        history = _history(inquiry, store, recent)
        inquiry.judgment = judge(inquiry, profile, signals=self.signals, history=history, today=options.today,
                                 learned=learned or None)
        if recent is not None:
            from triage.judge.history import seen_inquiry

            recent.add(seen_inquiry(inquiry, dedupe_key(inquiry)))
        genuine = inquiry.judgment.category == "genuine"
        platform_form = inquiry.message.platform not in (None, "chat", "whatsapp", "wechat", "linkedin") and len(inquiry.message.body) < 200
        inquiry.persona = persona.read_persona(inquiry.message.body or inquiry.message.new_text, inquiry.language,
                                               genuine=genuine, platform_form=platform_form)
        if store is not None:  # a later mail of a stored conversation whose headers do not say so
            from triage.thread import attach_history

            attach_history(store, inquiry.message)
        inquiry.draft = draft.draft_reply(inquiry, profile, lang=None)
        if genuine:
            start = options.today or _today()
            inquiry.followups = followup.plan_followups(inquiry, start=start)


@lru_cache(maxsize=4)
def _signals(home: str):
    """The signal set, loaded and validated once per process (and per TRIAGE_HOME)."""
    from triage.judge.signals import current_signals

    return current_signals()


def _today() -> date:
    """The day a plan starts when no clock is injected: today (the first reply is due now)."""
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).date()


def _learned(store):
    """The user's token model from the store's marks (False: none yet, so a batch asks once)."""
    if store is None:
        return False
    from triage.store_marks import load_model

    return load_model(store) or False


def _recent(store):
    """The window of latest inquiries history compares with: the store's, then each one judged in this batch."""
    if store is None:
        return None
    from triage.judge.history import Recent

    return Recent(store.recent_history())


def _history(inquiry: Inquiry, store, recent=None):
    """What the store (and this batch so far) knows of the inquiry's sender and text; None without a store."""
    if store is None:
        return None
    from triage.judge.history import build_history, candidates

    free_mail = ((inquiry.enrichment or {}).get("domain") or {}).get("free_mail")
    same_sender = store.sender_history(inquiry.sender_email, None if free_mail else inquiry.sender_domain)
    taken = _message_id_taken(inquiry, store, recent)
    return build_history(inquiry, candidates(same_sender, recent or (), exclude=dedupe_key(inquiry)), taken=taken)


def _message_id_taken(inquiry: Inquiry, store, recent=None):
    """Another message stored (or judged earlier in this batch) under the inquiry's Message-ID: the store answers."""
    from triage.judge.history import message_id_taken

    stored = store.message_id_holders(inquiry.message.message_id) if inquiry.message.kind != "text" else []
    return message_id_taken(inquiry, stored, recent or ())


def dedupe_key(inquiry: Inquiry) -> str:
    """Same Message-ID, or the same normalised content for pasted text, is the same inquiry."""
    m = inquiry.message
    if m.message_id and m.kind != "text":
        return f"mid:{m.message_id}"
    return f"sha256:{m.raw_hash}"


def store_row(inquiry: Inquiry) -> dict:
    record = to_contract(inquiry)
    judgment, persona = inquiry.judgment, inquiry.persona
    scores = judgment.scores if judgment else {}
    return {
        "dedupe_key": dedupe_key(inquiry),
        "message_id": inquiry.message.message_id,
        "in_reply_to": inquiry.message.in_reply_to,
        "source_kind": inquiry.message.kind,
        "source_path": inquiry.message.path,
        "received": inquiry.message.date.isoformat() if inquiry.message.date else None,
        "sender_name": inquiry.sender_name,
        "sender_email": inquiry.sender_email,
        "sender_domain": inquiry.sender_domain,
        "contact_name": inquiry.contact_name,
        "company_name": inquiry.company_name,
        "country": inquiry.country,
        "subject": inquiry.message.subject or None,
        "products": " ".join(p.sku for p in inquiry.products if p.sku) or None,
        "language": inquiry.language,
        "category": judgment.category if judgment else None,
        "tier": judgment.tier if judgment else None,
        "persona": persona.type if persona else None,
        "verdict": judgment.verdict if judgment else None,
        "body": inquiry.message.body or inquiry.message.new_text,
        "content_digest": inquiry.message.content_digest or None,
        "record": {k: v for k, v in record.items() if k != "id"} | _link_hosts(inquiry),
        **{k: scores.get(k) for k in ("money", "authority", "need", "authenticity")},
    }


def _link_hosts(inquiry: Inquiry) -> dict:
    """The hosts of the message's links, kept in the record for the user's token model (triage mark)."""
    from triage.learning import link_hosts

    hosts = link_hosts(link.href for link in inquiry.message.links)
    return {"link_hosts": hosts} if hosts else {}


def triage_items(source: Iterable[Item], profile: Profile, options: Options, store=None,
                 progress: Callable[[int, int], None] | None = None, chunk: int = 200) -> Batch:
    """Triage every item; store each chunk as it is done so a killed batch keeps what it finished."""
    batch = Batch()
    pending: list[Inquiry] = []
    learned = _learned(store)  # the user's marks, read once a batch
    try:
        for item in source:
            batch.read += 1
            try:
                pending.append(read_inquiry(item, profile))
            except TriageError as exc:
                batch.errors.append(str(exc))
            if len(pending) >= chunk:
                _finish(pending, profile, options, store, batch, progress, learned)
                pending = []
        if pending:
            _finish(pending, profile, options, store, batch, progress, learned)
    except KeyboardInterrupt:  # the chunks committed so far stay stored; the caller says how many
        batch.interrupted = True
    return batch


def _finish(inquiries: list[Inquiry], profile: Profile, options: Options, store, batch: Batch, progress,
            learned=None) -> None:
    judge_all(inquiries, profile, options, store, progress, learned)
    if store is None:
        batch.results += [Result(i) for i in inquiries]
        return
    with store.transaction():  # the chunk's rows, threads and plans in one commit
        saved = [store.save(_identified_row(store, i)) for i in inquiries]  # one by one: a row sees those before it
        for inquiry, s in zip(inquiries, saved):
            inquiry.id = s.id
            batch.results.append(Result(inquiry, s.id, s.created))
            _link_thread(store, inquiry)
        _keep_marks(store, [s.id for s, r in zip(saved, inquiries) if not s.created])
        _save_plans(store, batch.results[-len(inquiries):])


def _identified_row(store, inquiry: Inquiry) -> dict:
    """The row to store. A different message under a Message-ID already stored gets its own row and a
    parse note saying so (triage.identity); the same message again keeps its row."""
    row = store_row(inquiry)
    first = store.identify(row)
    if first is None:
        return row
    from triage.identity import reused_note

    inquiry.message.notes.append(reused_note(first["id"], first["sender_email"]))
    return {**store_row(inquiry), "dedupe_key": row["dedupe_key"]}


def _keep_marks(store, ids: list[int]) -> None:
    """Inquiries triaged again keep the user's verdict (triage mark)."""
    if ids:
        from triage.store_marks import keep_marks

        keep_marks(store, ids)


def _link_thread(store, inquiry: Inquiry) -> None:
    """A reply to a stored inquiry (In-Reply-To, References) joins that inquiry's conversation."""
    message = inquiry.message
    thread = store.thread_of([message.in_reply_to, *message.references])
    if thread is None:  # no threading headers: the same address and subject, or the history it quotes
        from triage.thread import conversation_of

        thread = conversation_of(store, message, inquiry.id)
    if thread is not None:
        store.link_thread(inquiry.id, thread)


def _save_plans(store, results: list[Result]) -> None:
    from triage import store_followups

    for result in results:  # a re-imported inquiry keeps the plan it has
        if result.inquiry.followups and (result.created or not store_followups.plan(store, result.id)):
            store_followups.save_plan(store, result.id, result.inquiry.followups, new=result.created)


def triage_paths(paths: Iterable[str], *, profile: Profile, options: Options | None = None, store=None,
                 stdin=None, progress=None) -> Batch:
    return triage_items(items(paths, stdin=stdin), profile, options or Options(), store, progress)
