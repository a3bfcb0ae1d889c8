"""The mailbox reader: IMAP folders in, triaged inquiries out; reply drafts back to the Drafts folder.

The salesperson's accounts are ``[[mailbox]]`` tables in the profile (host, user,
folders; never a password). ``fetch`` reads each folder's new messages by UID
through the same pipeline as ``triage inquiry`` and remembers, per folder, the
UIDVALIDITY and the last UID stored (``store_mailbox``), only after the batch is
committed: a run cut off half way reads the rest next time, and a message read
twice is the same inquiry (keyed by Message-ID), never a second one. When the
server's UIDVALIDITY changes, the folder is read again from the start.

The Sent folder is read (headers only) to learn which inquiries were answered and
when: a sent message whose In-Reply-To or References names a stored inquiry marks
its current step done on the day it was sent, once per Message-ID.

``save_draft`` appends a reply as a threaded draft (In-Reply-To, References, the
``\\Draft`` flag) to the Drafts folder. Nothing is ever sent.

This module and enrich are the only ones that touch the network.
"""

from __future__ import annotations

import ipaddress
import os
import ssl
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parsedate_to_datetime
from typing import Any

from triage.errors import ProfileError, TriageError

BATCH = 100  # messages fetched (and stored, and checkpointed) at a time
KEYRING_SERVICE = "triage"
DEFAULT_PASSWORD_ENV = "TRIAGE_IMAP_PASSWORD"
SECURITY_PORTS = {"tls": 993, "starttls": 143, "none": 143}
_KEYS = {"name", "host", "port", "user", "security", "ca_file", "folders", "sent", "drafts", "password_env",
         "auto_drafts", "timeout"}


class MailboxError(TriageError):
    """Raised when an IMAP account cannot be reached, logged into or read (the message says which)."""


@dataclass(frozen=True)
class Account:
    """One IMAP account of the profile's ``[[mailbox]]`` tables."""

    host: str
    user: str
    port: int = 993
    security: str = "tls"  # tls (implicit, verified), starttls (verified), none (loopback test servers only)
    ca_file: str | None = None  # trust this CA as well (a company server with its own)
    folders: tuple[str, ...] = ("INBOX",)
    sent: str | None = ""  # "" = the folder the server marks \Sent; None = do not read it
    drafts: str = ""  # "" = the folder the server marks \Drafts, else "Drafts"
    password_env: str = DEFAULT_PASSWORD_ENV
    auto_drafts: tuple[str, ...] = ()  # tiers whose genuine inquiries get a draft in Drafts on fetch
    timeout: float = 30.0
    name: str = ""

    @property
    def key(self) -> str:
        """How the store names the account: user@host."""
        return f"{self.user}@{self.host}"


# -- accounts and credentials --------------------------------------------------------------


def accounts(profile: Any) -> list[Account]:
    """The ``[[mailbox]]`` accounts of the profile file (none for the demo profile)."""
    try:
        data = tomllib.loads(profile.path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{profile.path}: {exc}") from None
    tables = data.get("mailbox", [])
    if isinstance(tables, dict):
        tables = [tables]
    return [parse_account(t, f"{profile.path}: mailbox[{n}]") for n, t in enumerate(tables)]


def parse_account(table: dict[str, Any], where: str = "mailbox") -> Account:
    """An Account from one TOML table, checked strictly (the message names the key)."""
    if "password" in table:
        raise ProfileError(f"{where}: a password never goes in the profile; set ${table.get('password_env', DEFAULT_PASSWORD_ENV)} "
                           f"or store it in the keyring (see the README)")
    unknown = set(table) - _KEYS
    if unknown:
        raise ProfileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("host", "user"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise ProfileError(f"{where}: needs {key}")
    security = table.get("security", "tls")
    if security not in SECURITY_PORTS:
        raise ProfileError(f"{where}.security: one of {', '.join(SECURITY_PORTS)}")
    if security == "none" and not _loopback(table["host"]):
        raise ProfileError(f"{where}.security = \"none\" is only for a local test server (127.0.0.1), not {table['host']}")
    folders = table.get("folders", ["INBOX"])
    if isinstance(folders, str) or not all(isinstance(f, str) and f for f in folders) or not folders:
        raise ProfileError(f"{where}.folders: a list of folder names")
    sent = table.get("sent", "")
    return Account(
        host=table["host"].strip(), user=table["user"].strip(), port=int(table.get("port", SECURITY_PORTS[security])),
        security=security, ca_file=table.get("ca_file") or None, folders=tuple(folders),
        sent=None if sent is False else str(sent), drafts=str(table.get("drafts", "")),
        password_env=str(table.get("password_env", DEFAULT_PASSWORD_ENV)),
        auto_drafts=tuple(t.upper() for t in table.get("auto_drafts", [])),
        timeout=float(table.get("timeout", 30)), name=str(table.get("name", "")),
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def password(account: Account, env: dict[str, str] | None = None) -> str:
    """The account's password: the environment variable it names, else the OS keyring
    (service "triage", user ``user@host``)."""
    env = os.environ if env is None else env
    if env.get(account.password_env):
        return env[account.password_env]
    secret = _keyring_password(account)
    if secret:
        return secret
    raise MailboxError(f"no password for {account.key}: set ${account.password_env} (an app password) or run "
                       f"`keyring set {KEYRING_SERVICE} {account.key}`")


def _keyring_password(account: Account) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, account.key)
    except KeyringError:
        return None


# -- the connection -------------------------------------------------------------------------

# What a dropped or refused connection raises: the socket's errors, and IMAPClient's abort.
def _connection_errors() -> tuple[type[BaseException], ...]:
    from imapclient.exceptions import IMAPClientAbortError, ProtocolError

    return (OSError, IMAPClientAbortError, ProtocolError, EOFError)


@contextmanager
def session(account: Account, secret: str | None = None) -> Iterator[Any]:
    """A logged-in IMAPClient; every connection failure becomes a one-line MailboxError."""
    from imapclient import IMAPClient
    from imapclient.exceptions import IMAPClientError, LoginError

    secret = secret if secret is not None else password(account)
    try:
        client = _open(IMAPClient, account)
        client.login(account.user, secret)
    except LoginError as exc:
        raise MailboxError(f"{account.key}: login refused ({_text(exc)})") from None
    except (*_connection_errors(), IMAPClientError) as exc:
        raise MailboxError(f"{account.host}:{account.port}: cannot connect ({_text(exc)})") from None
    try:
        yield client
    except _connection_errors() as exc:
        raise MailboxError(f"{account.host}:{account.port}: connection lost ({_text(exc)})") from None
    finally:
        _close(client)


def _open(cls: type, account: Account) -> Any:
    context = ssl.create_default_context(cafile=account.ca_file) if account.security != "none" else None
    client = cls(account.host, account.port, ssl=account.security == "tls", ssl_context=context,
                 timeout=account.timeout)
    if account.security == "starttls":
        client.starttls(context)
    return client


def _close(client: Any) -> None:
    try:
        client.logout()
    except Exception:  # noqa: BLE001 - the connection may be gone already
        pass


def _text(exc: BaseException) -> str:
    text = exc.args[0] if len(exc.args) == 1 else str(exc)  # an OSError's text is after its errno
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(str(text).split())[:200] or type(exc).__name__


def special_folder(client: Any, flag: bytes, fallback: str) -> str:
    from imapclient.exceptions import IMAPClientError

    try:
        return client.find_special_folder(flag) or fallback
    except IMAPClientError:
        return fallback


# -- reading folders --------------------------------------------------------------------------


@dataclass
class FolderReport:
    folder: str
    read: int = 0  # messages fetched from the server
    stored: int = 0  # new inquiries
    updated: int = 0  # already stored (same Message-ID): updated, not duplicated
    errors: list[str] = field(default_factory=list)
    restarted: bool = False  # the server's UIDVALIDITY changed: read again from the start
    answered: int = 0  # (Sent) inquiries newly known to be answered


@dataclass
class FetchReport:
    account: str
    folders: list[FolderReport] = field(default_factory=list)
    drafts: int = 0  # drafts put in the Drafts folder (auto_drafts)

    @property
    def read(self) -> int:
        return sum(f.read for f in self.folders)


def fetch(account: Account, profile: Any, store: Any, options: Any, *, batch: int = BATCH,
          secret: str | None = None) -> FetchReport:
    """Read every named folder's new mail into the store, then the Sent folder; one connection."""
    with session(account, secret) as client:
        return fetch_with(client, account, profile, store, options, batch=batch)


def fetch_with(client: Any, account: Account, profile: Any, store: Any, options: Any, *,
               batch: int = BATCH) -> FetchReport:
    report = FetchReport(account.key)
    for folder in account.folders:
        report.folders.append(_triage_folder(client, account, folder, profile, store, options, batch, report))
    if account.sent is not None:
        report.folders.append(read_sent(client, account, store, batch=batch))
    return report


def new_messages(client: Any, account: Account, folder: str, store: Any, *, batch: int = BATCH,
                 what: bytes = b"BODY.PEEK[]") -> Iterator[tuple[int, list[tuple[int, bytes]]]]:
    """The folder's messages not yet read, ``batch`` at a time, as (uidvalidity, [(uid, bytes)]).

    The caller saves the position (``store_mailbox.save_position``) once it has kept a batch;
    what it has not saved is read again next time.
    """
    from triage import store_mailbox

    info = client.select_folder(folder, readonly=True)
    validity = int(info[b"UIDVALIDITY"])
    known = store_mailbox.position(store, account.key, folder)
    last = known[1] if known and known[0] == validity else 0
    uids = sorted(u for u in client.search(["UID", f"{last + 1}:*"]) if u > last)  # n:* always holds the last one
    key = what.replace(b".PEEK", b"")
    for start in range(0, len(uids), batch):
        chunk = uids[start:start + batch]
        data = client.fetch(chunk, [what])
        yield validity, [(uid, data[uid][key]) for uid in chunk if uid in data and key in data[uid]]


def _restarted(store: Any, account: Account, folder: str, client_validity: int | None) -> bool:
    from triage import store_mailbox

    known = store_mailbox.position(store, account.key, folder)
    return bool(known and client_validity is not None and known[0] != client_validity)


def _triage_folder(client: Any, account: Account, folder: str, profile: Any, store: Any, options: Any,
                   batch: int, report: FetchReport) -> FolderReport:
    from triage import store_mailbox
    from triage.inputs import Item
    from triage.pipeline import triage_items

    out = FolderReport(folder)
    for validity, messages in new_messages(client, account, folder, store, batch=batch):
        out.restarted = out.restarted or _restarted(store, account, folder, validity)
        items = [Item(f"imap://{account.key}/{folder}/{uid}", "eml", raw=raw) for uid, raw in messages]
        done = triage_items(items, profile, options, store)
        out.read += len(messages)
        out.stored += sum(1 for r in done.results if r.created)
        out.updated += sum(1 for r in done.results if not r.created)
        out.errors += done.errors
        if account.auto_drafts:
            report.drafts += _auto_drafts(client, account, store, profile, done.results, dict(messages))
        store_mailbox.save_position(store, account.key, folder, validity, max(uid for uid, _ in messages))
    if not out.read:
        _note_empty(client, account, folder, store)
    return out


def _note_empty(client: Any, account: Account, folder: str, store: Any) -> None:
    """A folder with nothing new still records its UIDVALIDITY (a later change is then seen)."""
    from triage import store_mailbox

    info = client.select_folder(folder, readonly=True)
    validity = int(info[b"UIDVALIDITY"])
    known = store_mailbox.position(store, account.key, folder)
    if known is None or known[0] != validity:
        store_mailbox.save_position(store, account.key, folder, validity, 0)


# -- the Sent folder: what was answered, and when ------------------------------------------------------


def read_sent(client: Any, account: Account, store: Any, *, batch: int = BATCH) -> FolderReport:
    """Sent messages that answer a stored inquiry mark its current step done on their day (once each)."""
    from imapclient.imapclient import SENT

    from triage import store_mailbox

    folder = account.sent or special_folder(client, SENT, "Sent")
    out = FolderReport(folder)
    for validity, messages in new_messages(client, account, folder, store, batch=batch, what=b"BODY.PEEK[HEADER]"):
        out.restarted = out.restarted or _restarted(store, account, folder, validity)
        for _, header in messages:
            out.answered += _answered(store, account, header)
        out.read += len(messages)
        store_mailbox.save_position(store, account.key, folder, validity, max(uid for uid, _ in messages))
    return out


def _answered(store: Any, account: Account, header: bytes) -> int:
    from triage import store_followups, store_mailbox

    headers = BytesHeaderParser(policy=compat32).parsebytes(header)
    message_id = str(headers.get("Message-ID") or "").strip()
    refs = [str(headers.get("In-Reply-To") or "").strip(), *str(headers.get("References") or "").split()]
    inquiry = store.thread_of([r for r in refs if r])
    if not message_id or inquiry is None:
        return 0
    sent = _sent_day(headers.get("Date"))
    if not store_mailbox.record_sent(store, message_id, inquiry, account.key, sent.isoformat() if sent else None):
        return 0
    if store.row(inquiry)["status"] in store_followups.ACTIVE:
        store_followups.mark_done(store, inquiry, today=(sent or datetime.now(timezone.utc)).date())
    return 1


def _sent_day(value: Any) -> datetime | None:
    try:
        return parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError):
        return None


# -- drafts ----------------------------------------------------------------------------------


def draft_message(record: dict[str, Any], profile: Any, account: Account | None = None,
                  headers: Any = None, body: str | None = None, subject: str | None = None) -> Any:
    """The reply to ``record`` as a threaded EmailMessage (None when the inquiry gets no draft).
    ``subject`` and ``body`` replace the drafted ones (the salesperson's edit)."""
    from triage import draft as drafting

    result = drafting.draft_reply(record, profile)
    if result is None or drafting.warning(record):
        return None
    if body is not None:
        result.body = body
    if subject:
        result.subject = subject
    message = drafting.reply_message(record, result, profile, headers=headers)
    if account is not None and "@" in account.user and not profile.company.get("email"):
        message.replace_header("From", account.user)
    return message


def save_draft(client: Any, account: Account, store: Any, ident: int, message: Any) -> str:
    """Append ``message`` to the account's Drafts folder, flagged \\Draft (never sent); returns its Message-ID."""
    from imapclient.imapclient import DRAFT, DRAFTS

    from triage import store_mailbox

    folder = account.drafts or special_folder(client, DRAFTS, "Drafts")
    client.append(folder, bytes(message), flags=[DRAFT], msg_time=datetime.now(timezone.utc))
    store_mailbox.record_draft(store, ident, account.key, str(message["Message-ID"]))
    return folder


def draft_to_mailbox(account: Account, store: Any, ident: int, profile: Any, *, secret: str | None = None) -> str:
    """``triage draft ID --to-mailbox``: the stored inquiry's reply (the salesperson's saved edit if
    there is one) into the Drafts folder. Returns the folder's name."""
    from triage import store_mailbox

    record = stored_record(store, ident)
    edit = store_mailbox.draft_edit(store, ident) or {}
    message = draft_message(record, profile, account, body=edit.get("body"), subject=edit.get("subject"))
    if message is None:
        raise MailboxError(f"inquiry {ident} is {record.get('category')}: no reply to draft")
    with session(account, secret) as client:
        return save_draft(client, account, store, ident, message)


def stored_record(store: Any, ident: int) -> dict[str, Any]:
    """The stored record with the row's subject and body (what the draft templates read)."""
    record, row = store.get(ident), store.row(ident)
    record.setdefault("subject", row.get("subject"))
    record.setdefault("body", row.get("body"))
    return record


def _auto_drafts(client: Any, account: Account, store: Any, profile: Any, results: list[Any],
                 raw_by_uid: dict[int, bytes]) -> int:
    """The profile's switch: every new genuine inquiry of the named tiers gets its draft in Drafts."""
    from triage import store_mailbox

    saved = 0
    for result in results:
        judgment = result.inquiry.judgment
        if not (result.created and judgment and judgment.category == "genuine" and judgment.tier in account.auto_drafts):
            continue
        if store_mailbox.has_draft(store, result.id, account.key):
            continue
        uid = int(result.inquiry.message.path.rsplit("/", 1)[-1])
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw_by_uid[uid])
        message = draft_message(result.record, profile, account, headers=headers)
        if message is not None:
            save_draft(client, account, store, result.id, message)
            saved += 1
    return saved


# -- watching -----------------------------------------------------------------------------


@dataclass
class Watch:
    """How ``watch`` waits: IDLE slices where the server offers it, else polls that back off while
    nothing comes (``poll`` doubling to ``poll_max``); reconnects back off from 1 s to ``retry_max``."""

    idle: float = 300.0  # longest IDLE before reading again (servers drop IDLE after ~30 min)
    poll: float = 30.0
    poll_max: float = 600.0
    retry_max: float = 300.0
    slice: float = 1.0  # how often a wait looks at ``stop``
    use_idle: bool = True  # False: poll even where the server offers IDLE


def watch(account: Account, profile: Any, store: Any, options: Any, *, stop: Callable[[], bool] = lambda: False,
          on_report: Callable[[FetchReport], None] = lambda r: None, on_error: Callable[[str], None] = lambda m: None,
          timing: Watch | None = None, sleep: Callable[[float], None] = time.sleep, batch: int = BATCH,
          secret: str | None = None) -> None:
    """Fetch, wait for new mail, fetch again, until ``stop()``; a dropped connection is reopened.

    Nothing is lost or read twice across a drop: positions are saved only after a batch is stored.
    A refused login ends the watch (MailboxError); connection trouble never does.
    """
    timing = timing or Watch()
    retry = 1.0
    secret = secret if secret is not None else password(account)
    while not stop():
        try:
            with session(account, secret) as client:
                _watch_session(client, account, profile, store, options, stop, on_report, timing, sleep, batch)
        except MailboxError as exc:
            if "login refused" in str(exc):
                raise
            on_error(f"{exc}; trying again in {retry:.0f} s")
            _wait(retry, stop, sleep, timing.slice)
            retry = min(retry * 2, timing.retry_max)


def _watch_session(client: Any, account: Account, profile: Any, store: Any, options: Any, stop, on_report,
                   timing: Watch, sleep, batch: int) -> None:
    interval = timing.poll
    idle = timing.use_idle and client.has_capability("IDLE")
    while not stop():
        report = fetch_with(client, account, profile, store, options, batch=batch)
        on_report(report)
        if stop():
            return
        if idle:
            _idle(client, account.folders[0], timing, stop)
            continue
        interval = timing.poll if report.read else min(interval * 2, timing.poll_max)
        _wait(interval, stop, sleep, timing.slice)


def _idle(client: Any, folder: str, timing: Watch, stop: Callable[[], bool]) -> None:
    """IDLE on the first folder until the server reports something, ``timing.idle`` passes, or stop."""
    client.select_folder(folder, readonly=True)
    client.idle()
    try:
        waited = 0.0
        while waited < timing.idle and not stop():
            if client.idle_check(timeout=timing.slice):
                break
            waited += timing.slice
    finally:
        client.idle_done()


def _wait(seconds: float, stop: Callable[[], bool], sleep: Callable[[float], None], step: float) -> None:
    waited = 0.0
    while waited < seconds and not stop():
        sleep(min(step, seconds - waited))
        waited += step


def today() -> date:
    return datetime.now(timezone.utc).date()
