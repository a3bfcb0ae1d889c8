"""Build inquiries and route fake domains to a local pytest-httpserver."""

from __future__ import annotations

from pathlib import Path

from triage.enrich import Fetcher
from triage.model import Inquiry, Message

SITES = Path(__file__).resolve().parent


def page(name: str) -> bytes:
    return (SITES / name).read_bytes()


def inquiry(from_email: str, *, name: str = "", website: str | None = None, company: str | None = None,
            reply_to: list[str] | None = None, return_path: str | None = None) -> Inquiry:
    message = Message(kind="eml", from_name=name, from_email=from_email, reply_to=reply_to or [],
                      return_path=return_path)
    domain = from_email.rsplit("@", 1)[-1].lower()
    return Inquiry(message=message, sender_email=from_email, sender_domain=domain, website=website,
                   company_name=company)


def serve(server, host: str, path: str, body: bytes | str = b"", *, status: int = 200,
          content_type: str = "text/html; charset=utf-8", headers: dict | None = None) -> None:
    """Answer ``GET http://host/path`` on the local server (the Host header picks the site)."""
    server.expect_request(path, headers={"Host": host}).respond_with_data(
        body, status=status, content_type=content_type, headers=headers or {})


def redirect(server, host: str, path: str, location: str, status: int = 302) -> None:
    serve(server, host, path, b"", status=status, headers={"Location": location})


def local_fetcher(server, *hosts: str, **options) -> Fetcher:
    """A Fetcher that routes ``hosts`` to the local server and may reach it (test-only options)."""
    options.setdefault("allow_private", set(hosts))
    options.setdefault("schemes", ("http",))
    address = f"127.0.0.1:{server.port}"
    return Fetcher(resolve={h: address for h in hosts}, **options)


def requested(server, path: str | None = None) -> list[str]:
    """The ``host path`` of every request the server received (optionally only ``path``)."""
    seen = [f"{r.headers.get('Host')} {r.path}" for r, _ in server.log]
    return [s for s in seen if path is None or s.endswith(" " + path)]


class FakeResolver:
    """dnspython's ``resolve(name, "MX")`` with canned answers; counts its calls."""

    def __init__(self, answers: dict[str, list[tuple[int, str]] | Exception] | None = None):
        self.answers, self.calls = answers or {}, []

    def resolve(self, name, rdtype, lifetime=None):
        self.calls.append((name, rdtype))
        answer = self.answers.get(name, [(10, f"mx.{name}.")])
        if isinstance(answer, Exception):
            raise answer
        return [_Mx(pref, host) for pref, host in answer]


class _Mx:
    def __init__(self, preference: int, exchange: str):
        self.preference, self.exchange = preference, exchange
