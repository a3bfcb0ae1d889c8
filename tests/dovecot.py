"""A real IMAP server for the tests and the mailbox benchmark: Debian's dovecot in a scratch directory.

``Dovecot.start()`` writes a config (plain IMAP on 127.0.0.1 at a free port, one user
with a password file, Maildir), starts dovecot's master in the foreground of its own
process and waits until it greets. ``unavailable()`` says why it cannot run here
(not installed, ...), for a skip reason. ``Proxy`` sits between a client and the
server and can cut a connection after N bytes (a connection dropped mid-fetch).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

USER, PASSWORD = "sales@example.test", "app-password-1"  # any user name logs in with PASSWORD
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def unavailable() -> str | None:
    """Why a dovecot cannot be started here, or None."""
    if not Path(DOVECOT).exists():
        return "dovecot is not installed (apt-get install dovecot-imapd)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("dovecot"), pwd.getpwnam("dovenull")
        except KeyError:
            return "running as root without the dovecot/dovenull users dovecot-imapd creates"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dovecot:
    def __init__(self, folders: tuple[str, ...] = ("Quotes",)):
        self.dir = Path(tempfile.mkdtemp(prefix="triage-dovecot-"))
        self.dir.chmod(0o755)
        self.port = _free_port()
        self.folders = folders
        self.process: subprocess.Popen | None = None

    # -- lifecycle --------------------------------------------------------------------

    def start(self, timeout: float = 15.0) -> Dovecot:
        for name in ("run", "state", "home"):
            (self.dir / name).mkdir(exist_ok=True)
        mail_uid, mail_gid, internal, login = self._users()
        if os.geteuid() == 0:
            os.chown(self.dir / "home", mail_uid, mail_gid)
        (self.dir / "dovecot.conf").write_text(self._config(mail_uid, mail_gid, internal, login))
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(self.dir / "dovecot.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait_greeting(timeout)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)

    def _users(self) -> tuple[int, int, str, str]:
        if os.geteuid() == 0:  # dovecot refuses root for mail and login processes
            mail = pwd.getpwnam("dovecot")
            return mail.pw_uid, mail.pw_gid, "dovecot", "dovenull"
        me = pwd.getpwuid(os.geteuid()).pw_name
        return os.geteuid(), os.getegid(), me, me

    def _config(self, uid: int, gid: int, internal: str, login: str) -> str:
        d = self.dir
        folders = "".join(f"  mailbox \"{f}\" {{\n    auto = create\n  }}\n" for f in self.folders)
        return f"""
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/log
instance_name = triage-test-{self.port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
first_valid_uid = 1
default_internal_user = {internal}
default_login_user = {login}
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/home/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = create
  }}
{folders}}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service auth {{
  chroot =
}}
"""

    def _wait_greeting(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.process.stderr.read().decode(errors='replace')[:500]} "
                                   f"{self.log()[-500:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    if s.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"dovecot did not answer on 127.0.0.1:{self.port}: {self.log()[-500:]}")

    def log(self) -> str:
        path = self.dir / "log"
        return path.read_text(errors="replace") if path.exists() else ""

    # -- the test's side of the mailbox -------------------------------------------------------

    def as_user(self, user: str) -> Mailbox:
        """One user's mailbox on this server (each test takes a user of its own)."""
        return Mailbox(self, user)


class Mailbox:
    """What a test does to one user's mailbox, through IMAP (or its Maildir for bulk)."""

    def __init__(self, server: Dovecot, user: str = USER):
        self.server, self.user, self.port = server, user, server.port

    def client(self):
        from imapclient import IMAPClient

        client = IMAPClient("127.0.0.1", self.port, ssl=False, timeout=10)
        client.login(self.user, PASSWORD)
        return client

    def append(self, folder: str, messages: list[bytes], flags: tuple = ()) -> None:
        client = self.client()
        try:
            for raw in messages:
                client.append(folder, raw, flags=flags)
        finally:
            client.logout()

    def renew(self, folder: str) -> None:
        """Delete the folder and make it again: the server gives it a new UIDVALIDITY (UIDs start over)."""
        client = self.client()
        try:
            client.delete_folder(folder)
            client.create_folder(folder)
        finally:
            client.logout()

    def maildir_put(self, folder: str, messages: list[bytes]) -> None:
        """Many messages at once, written as Maildir files (dovecot indexes them when the folder is opened)."""
        self.client().logout()  # dovecot makes the user's Maildir and folders on the first login
        base = self.server.dir / "home" / self.user / "Maildir"
        target = base / (f".{folder}" if folder != "INBOX" else "") / "new"
        target.mkdir(parents=True, exist_ok=True)
        stamp = int(time.time())
        for n, raw in enumerate(messages):
            (target / f"{stamp}.M{n}P{os.getpid()}.triage-test").write_bytes(raw)
        if os.geteuid() == 0:
            mail = pwd.getpwnam("dovecot")
            for path in [base, *base.rglob("*")]:
                os.chown(path, mail.pw_uid, mail.pw_gid)


class Proxy:
    """A TCP relay to ``port``; ``cut_after`` bytes from the server, the first ``cuts`` connections are closed."""

    def __init__(self, port: int, cut_after: int | None = None, cuts: int = 1):
        self.target, self.cut_after, self.cuts = port, cut_after, cuts
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.dropped = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            limit = self.cut_after if self.connections <= self.cuts else None
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, server, None), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, limit), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, limit: int | None) -> None:
        sent = 0
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if limit is not None and sent + len(data) >= limit:
                    dst.sendall(data[: max(limit - sent, 0)])
                    self.dropped += 1
                    break
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self) -> None:
        self.listener.close()
