"""triage fetch and draft --to-mailbox against a real dovecot on 127.0.0.1 (skipped where it cannot run)."""

from __future__ import annotations

import threading
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from click.testing import CliRunner

from triage import mailbox, store_followups, store_mailbox
from triage.cli import main
from triage.errors import ProfileError
from triage.pipeline import Options
from triage.profile import demo_profile_path, load_profile
from triage.store import Store

from dovecot import PASSWORD, Dovecot, Proxy, unavailable

EXAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "rfq-distributor.eml").read_bytes()
OFFLINE = Options(offline=True)


def inquiry(n: int, *, domain: str | None = None, subject: str | None = None) -> bytes:
    """The shipped example inquiry from buyer ``n``: its own Message-ID, address and subject."""
    domain = domain or f"buyer{n}-grossist.se"
    raw = EXAMPLE.replace(b"nordvolt-grossist.se", domain.encode())
    raw = raw.replace(b"<20261117091244.4F2A@", f"<rfq-{n}-20261117@".encode())
    if subject:
        raw = raw.replace(b"Subject: RFQ: Schuko sockets 16A and 6-way power strips for spring 2027",
                          f"Subject: {subject}".encode())
    return raw


def message_id(n: int, domain: str | None = None) -> str:
    return f"<rfq-{n}-20261117@{domain or f'buyer{n}-grossist.se'}>"


def sent_reply(n: int, day: str = "Wed, 18 Nov 2026 10:00:00 +0800", mid: str | None = None) -> bytes:
    return (f"From: Lisa Chen <sales@brightline-electrical.com>\r\nTo: h.lindqvist@buyer{n}-grossist.se\r\n"
            f"Subject: Re: RFQ\r\nDate: {day}\r\nMessage-ID: {mid or f'<reply-{n}@brightline-electrical.com>'}\r\n"
            f"In-Reply-To: {message_id(n)}\r\nReferences: {message_id(n)}\r\n\r\nDear Henrik, our offer ...\r\n").encode()


@pytest.fixture(scope="module")
def dovecot():
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    try:
        imap = Dovecot(folders=("Quotes",)).start()
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"dovecot could not be started here: {exc}")
    yield imap
    imap.stop()


@pytest.fixture
def server(dovecot, request):
    """A mailbox of the test's own on the module's server."""
    return dovecot.as_user(f"sales-{request.node.name[5:40]}@example.test")


def write_profile(home: Path, port: int, user: str, **extra) -> None:
    lines = [f'host = "127.0.0.1"', f"port = {port}", f'user = "{user}"', 'security = "none"',
             'folders = ["INBOX", "Quotes"]', "timeout = 5"]
    lines += [f"{k} = {v}" for k, v in extra.items()]
    text = demo_profile_path().read_text(encoding="utf-8") + "\n[[mailbox]]\n" + "\n".join(lines) + "\n"
    (home / "profile.toml").write_text(text, encoding="utf-8")


@pytest.fixture
def account(server, triage_home, monkeypatch):
    monkeypatch.setenv("TRIAGE_IMAP_PASSWORD", PASSWORD)
    write_profile(triage_home, server.port, server.user)
    return mailbox.accounts(load_profile())[0]


def fetch(account, **kw):
    with Store() as store:
        return mailbox.fetch(account, load_profile(), store, OFFLINE, **kw)


def stored_ids() -> list[str]:
    with Store() as store:
        return [r[0] for r in store.conn.execute("SELECT message_id FROM inquiries ORDER BY id")]


# -- the account in the profile ---------------------------------------------------------------


def test_a_password_never_goes_in_the_profile():
    with pytest.raises(ProfileError, match="never goes in the profile"):
        mailbox.parse_account({"host": "imap.exmail.qq.com", "user": "a@b.cn", "password": "x"})


def test_unverified_plain_imap_is_for_loopback_only():
    with pytest.raises(ProfileError, match="only for a local test server"):
        mailbox.parse_account({"host": "imap.163.com", "user": "a@163.com", "security": "none"})
    account = mailbox.parse_account({"host": "imap.exmail.qq.com", "user": "a@b.cn"})
    assert (account.security, account.port, account.folders) == ("tls", 993, ("INBOX",))


def test_the_password_comes_from_the_environment_variable_the_account_names():
    account = mailbox.parse_account({"host": "imap.163.com", "user": "a@163.com", "password_env": "MY_163"})
    assert mailbox.password(account, env={"MY_163": "app-pw"}) == "app-pw"


# -- reading folders -----------------------------------------------------------------------------


def test_a_second_fetch_reads_nothing_twice(server, account):
    server.append("INBOX", [inquiry(1), inquiry(2), inquiry(3)])
    server.append("Quotes", [inquiry(4), inquiry(5)])
    first = fetch(account)
    assert [(f.folder, f.read, f.stored) for f in first.folders[:2]] == [("INBOX", 3, 3), ("Quotes", 2, 2)]
    assert fetch(account).read == 0
    server.append("INBOX", [inquiry(6)])
    third = fetch(account)
    assert (third.folders[0].read, third.folders[0].stored) == (1, 1)
    assert sorted(stored_ids()) == sorted(message_id(n) for n in range(1, 7))
    with Store() as store:
        positions = {p["folder"]: p["last_uid"] for p in store_mailbox.positions(store)}
        row = store.row(1)
    assert positions["INBOX"] == 4 and positions["Quotes"] == 2
    assert row["source_path"].startswith(f"imap://{server.user}@127.0.0.1/")


def test_a_uidvalidity_change_reads_the_folder_again_without_duplicates(server, account):
    server.append("Quotes", [inquiry(1), inquiry(2)])
    fetch(account)
    server.renew("Quotes")  # the server renumbers the folder: UIDs start at 1 again
    server.append("Quotes", [inquiry(2), inquiry(3)])
    report = fetch(account).folders[1]
    assert report.restarted and (report.read, report.stored, report.updated) == (2, 1, 1)
    assert sorted(stored_ids()) == sorted(message_id(n) for n in (1, 2, 3))


def test_a_connection_dropped_mid_fetch_loses_nothing_and_stores_nothing_twice(server, account, triage_home):
    server.append("INBOX", [inquiry(n) for n in range(1, 9)])
    proxy = Proxy(server.port, cut_after=len(EXAMPLE) * 5)  # the first connection dies inside the 3rd batch
    write_profile(triage_home, proxy.port, server.user)
    dropped = mailbox.accounts(load_profile())[0]
    with pytest.raises(mailbox.MailboxError, match="connection lost"):
        fetch(dropped, batch=2)
    kept = stored_ids()
    assert 0 < len(kept) < 8 and proxy.dropped == 1
    fetch(dropped, batch=2)
    ids = stored_ids()
    assert sorted(ids) == sorted(message_id(n) for n in range(1, 9)) and len(set(ids)) == len(ids)
    proxy.close()


def test_watch_reconnects_after_a_drop_and_picks_up_new_mail(server, account, triage_home):
    server.append("INBOX", [inquiry(n) for n in range(1, 7)])
    proxy = Proxy(server.port, cut_after=len(EXAMPLE) * 3, cuts=2)
    write_profile(triage_home, proxy.port, server.user)
    watched = mailbox.accounts(load_profile())[0]
    errors: list[str] = []
    done = threading.Event()

    def run():
        with Store() as store:
            mailbox.watch(watched, load_profile(), store, OFFLINE, stop=done.is_set, on_error=errors.append,
                          timing=mailbox.Watch(idle=5, slice=0.2, retry_max=0.5), batch=2)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        _until(lambda: len(stored_ids()) == 6)
        server.append("INBOX", [inquiry(7)])  # arrives while it IDLEs
        _until(lambda: len(stored_ids()) == 7)
    finally:
        done.set()
        thread.join(20)
    ids = stored_ids()
    assert sorted(ids) == sorted(message_id(n) for n in range(1, 8)) and len(set(ids)) == 7
    assert len(errors) >= 2 and all("connection lost" in e or "cannot connect" in e for e in errors)
    proxy.close()


def test_without_idle_watch_polls_backing_off_while_nothing_comes(server, account):
    server.append("INBOX", [inquiry(1), inquiry(2)])
    waits: list[float] = []
    stopped = threading.Event()

    def sleep(seconds):  # the clock, injected: one call per wait (slice > every interval)
        waits.append(seconds)
        if len(waits) == 3:
            server.append("INBOX", [inquiry(3)])
        if len(waits) == 4:
            stopped.set()

    with Store() as store:
        mailbox.watch(account, load_profile(), store, OFFLINE, stop=stopped.is_set, sleep=sleep,
                      timing=mailbox.Watch(poll=1, poll_max=8, slice=100, use_idle=False))
    assert waits == [1, 2, 4, 1]  # mail came, then nothing twice (doubling), then mail again (back to 1)
    assert sorted(stored_ids()) == sorted(message_id(n) for n in (1, 2, 3))


def _until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not _holds(condition):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _holds(condition) -> bool:
    """The condition, read again later when the watcher's write keeps the database busy."""
    from triage.errors import StoreError
    try:
        return condition()
    except StoreError:
        return False


# -- the Sent folder -----------------------------------------------------------------------------


def test_a_reply_in_sent_marks_the_inquiry_answered_on_its_day_once(server, account):
    server.append("INBOX", [inquiry(1), inquiry(2)])
    fetch(account)
    server.append("Sent", [sent_reply(1), b"From: a@b.c\r\nSubject: lunch\r\nMessage-ID: <x@b.c>\r\n\r\nhi\r\n"])
    report = fetch(account)
    sent = report.folders[-1]
    assert (sent.folder, sent.read, sent.answered) == ("Sent", 2, 1)
    with Store() as store:
        ident = store.thread_of([message_id(1)])
        other = store.thread_of([message_id(2)])
        assert store.row(ident)["status"] == "open" and store.row(other)["status"] == "new"
        reply_step = store_followups.plan(store, ident)[0]
        assert (reply_step["status"], reply_step["done_at"]) == ("done", "2026-11-18")
        assert store_mailbox.last_sent(store, ident).startswith("2026-11-18")
    server.renew("Sent")
    server.append("Sent", [sent_reply(1)])
    again = fetch(account).folders[-1]
    assert again.restarted and again.read == 1 and again.answered == 0  # the same reply is not counted twice
    with Store() as store:
        assert [s["status"] for s in store_followups.plan(store, ident)].count("done") == 1


# -- drafts in the Drafts folder -----------------------------------------------------------------


def test_draft_to_mailbox_appends_a_threaded_draft_and_sends_nothing(server, account):
    server.append("INBOX", [inquiry(1)])
    fetch(account)
    result = CliRunner().invoke(main, ["draft", "1", "--to-mailbox"])
    assert result.exit_code == 0, result.output
    assert "draft saved to" in result.output
    client = server.client()
    try:
        client.select_folder("Drafts")
        uids = client.search("ALL")
        data = client.fetch(uids, ["FLAGS", "BODY.PEEK[]"])
        assert client.select_folder("Sent")[b"EXISTS"] == 0
    finally:
        client.logout()
    assert len(uids) == 1 and b"\\Draft" in data[uids[0]][b"FLAGS"]
    draft = message_from_bytes(data[uids[0]][b"BODY[]"])
    assert draft["In-Reply-To"] == message_id(1) and message_id(1) in draft["References"]
    assert draft["To"] == "h.lindqvist@buyer1-grossist.se" and draft["Subject"].startswith("Re:")


def test_the_profile_switch_drafts_every_genuine_a_b_c_on_fetch(server, triage_home, monkeypatch):
    monkeypatch.setenv("TRIAGE_IMAP_PASSWORD", PASSWORD)
    write_profile(triage_home, server.port, server.user, auto_drafts='["A", "B", "C"]')
    account = mailbox.accounts(load_profile())[0]
    server.append("INBOX", [inquiry(1), inquiry(2), b"From: promo@deals.example\r\nSubject: SEO services\r\n"
                            b"Message-ID: <seo@deals.example>\r\n\r\nWe rank your website first on Google.\r\n"])
    report = fetch(account)
    with Store() as store:
        genuine = [r for r in store.query() if r["category"] == "genuine" and r["tier"] in "ABC"]
    assert report.drafts == len(genuine) >= 1
    assert fetch(account).drafts == 0
    client = server.client()
    try:
        assert client.select_folder("Drafts")[b"EXISTS"] == len(genuine)
    finally:
        client.logout()


def test_fetch_command_prints_each_folder(server, account):
    server.append("INBOX", [inquiry(1)])
    result = CliRunner().invoke(main, ["fetch", "--offline"])
    assert result.exit_code == 0, result.output
    assert f"{server.user}@127.0.0.1 INBOX: 1 read, 1 new, 0 already stored" in result.output


@pytest.mark.slow
def test_a_5000_message_folder_is_read_once_in_uid_order(server, account):
    server.maildir_put("Quotes", [inquiry(n) for n in range(5000)])
    client = server.client()
    seen: list[int] = []
    try:
        with Store() as store:
            for validity, batch in mailbox.new_messages(client, account, "Quotes", store, batch=500):
                assert all(raw.startswith(b"Return-Path:") for _, raw in batch)
                seen += [uid for uid, _ in batch]
                store_mailbox.save_position(store, account.key, "Quotes", validity, seen[-1])
            assert list(mailbox.new_messages(client, account, "Quotes", store)) == []
    finally:
        client.logout()
    assert seen == sorted(seen) and len(set(seen)) == 5000


# last: dovecot slows the next logins from an address after a refused one
def test_a_refused_login_is_one_line(server, account, monkeypatch):
    monkeypatch.setenv("TRIAGE_IMAP_PASSWORD", "wrong")
    result = CliRunner().invoke(main, ["fetch", "--offline"])
    assert result.exit_code == 1 and "login refused" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


# -- TLS is verified ------------------------------------------------------------------------------


def _tls_server(tmp_path):
    """A TLS server on 127.0.0.1 with a self-signed certificate that greets like IMAP and refuses logins."""
    import shutil
    import socket
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed (needed to make a test certificate)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            try:
                with context.wrap_socket(conn, server_side=True) as tls:
                    tls.sendall(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] test server ready\r\n")
                    for line in tls.makefile("rb"):
                        tag = line.split(b" ", 1)[0]
                        if b"CAPABILITY" in line.upper():
                            tls.sendall(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK done\r\n")
                        else:
                            tls.sendall(tag + b" NO [AUTHENTICATIONFAILED] nope\r\n")
            except (OSError, ssl.SSLError):
                continue

    threading.Thread(target=serve, daemon=True).start()
    return listener, cert


def test_tls_is_verified_by_default_and_a_company_ca_can_be_trusted(tmp_path):
    listener, cert = _tls_server(tmp_path)
    port = listener.getsockname()[1]
    plain = mailbox.parse_account({"host": "127.0.0.1", "port": port, "user": "a@b.c", "timeout": 5})
    with pytest.raises(mailbox.MailboxError, match="certificate verify failed"):
        with mailbox.session(plain, "pw"):
            pass
    trusted = mailbox.parse_account({"host": "127.0.0.1", "port": port, "user": "a@b.c", "timeout": 5,
                                     "ca_file": str(cert)})
    with pytest.raises(mailbox.MailboxError, match="login refused"):  # past TLS: the server says no
        with mailbox.session(trusted, "pw"):
            pass
    listener.close()
