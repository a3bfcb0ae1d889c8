"""Fetching a buyer's web pages safely: the only HTTP code in triage.

Rules, each enforced for the first request and for every redirect hop:

* only ``http`` and ``https`` URLs;
* the host is resolved first and **every** address must be public: loopback,
  private, link-local, multicast, reserved and unspecified addresses are
  refused before any connection is made; the connection then goes to the
  address that was checked (no second lookup an attacker could answer
  differently);
* redirects are followed by hand, at most ``max_redirects``;
* connect/read timeouts, a total time budget per inquiry, at most ``max_bytes``
  read per response (streamed, then stopped), HTML only (checked on the
  Content-Type header), an honest User-Agent.

Proxies and CA bundles come from the environment as usual for requests
(``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``, ``REQUESTS_CA_BUNDLE``):
``trust_env`` stays on. When a proxy applies to a URL (``NO_PROXY`` honoured)
the name is **not** resolved here: the proxy resolves it (a company network
may have no outside DNS at all). A literal non-public address is still refused,
and every redirect target is checked again by name (and, without a proxy, by
address).

For tests only: ``resolve`` maps a host to ``"ip"`` or ``"ip:port"`` instead of
asking DNS, and ``allow_private`` (True, or a set of host names) lets those
hosts reach a local server. Users never need either.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

USER_AGENT = "triage/0.1 (+inquiry background check)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECTS = (301, 302, 303, 307, 308)


class FetchError(Exception):
    """A page could not be fetched; the message is the reason, fit for a report."""


@dataclass(slots=True)
class Page:
    url: str  # what was asked for
    final_url: str  # after redirects
    status: int
    content: bytes
    encoding: str | None = None
    truncated: bool = False


def is_public(address: str) -> bool:
    """True for an address on the public internet; False for loopback, private, reserved..."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)


class Fetcher:
    """Fetches HTML pages under the safety rules above. Thread-safe: one session per thread."""

    def __init__(
        self,
        *,
        allow_private: bool | Iterable[str] = False,
        resolve: dict[str, str] | None = None,
        connect_timeout: float = 3.0,
        read_timeout: float = 4.0,
        budget: float = 6.0,
        max_pages: int = 4,
        max_bytes: int = 1_000_000,
        max_redirects: int = 3,
        user_agent: str = USER_AGENT,
        schemes: tuple[str, ...] = ("https", "http"),
        session_factory: Callable | None = None,
        getaddrinfo: Callable = socket.getaddrinfo,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.allow_private = allow_private if isinstance(allow_private, bool) else {h.lower() for h in allow_private}
        self.resolve = {k.lower(): v for k, v in (resolve or {}).items()}
        self.connect_timeout, self.read_timeout, self.budget = connect_timeout, read_timeout, budget
        self.max_pages, self.max_bytes, self.max_redirects = max_pages, max_bytes, max_redirects
        self.user_agent, self.schemes = user_agent, schemes
        self.session_factory = session_factory or _new_session
        self.getaddrinfo, self.clock = getaddrinfo, clock
        self._local = threading.local()
        self._any_proxy: bool | None = None

    def deadline(self) -> float:
        """The end of a new time budget, on this fetcher's clock."""
        return self.clock() + self.budget

    def get(self, url: str, deadline: float | None = None) -> Page:
        """The HTML page at ``url``, following at most ``max_redirects`` checked redirects."""
        deadline = deadline if deadline is not None else self.deadline()
        current = url
        for _ in range(self.max_redirects + 1):
            response = self._send(current, deadline)
            if response.status_code not in REDIRECTS or "location" not in response.headers:
                return self._read(url, current, response, deadline)
            response.close()
            current = urljoin(current, response.headers["location"])
        raise FetchError(f"more than {self.max_redirects} redirects")

    # --- one hop -----------------------------------------------------------

    def _send(self, url: str, deadline: float):
        import requests

        target, host_header = self._target(url)
        timeout = self._timeouts(deadline)
        headers = {"User-Agent": self.user_agent, "Accept": "text/html,application/xhtml+xml", "Host": host_header}
        try:
            return self._session().get(target, headers=headers, timeout=timeout, stream=True, allow_redirects=False)
        except requests.RequestException as exc:
            raise FetchError(_reason(exc)) from exc

    def _target(self, url: str) -> tuple[str, str]:
        """The URL to connect to (host replaced by its checked address) and the Host header."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"refused: {parts.scheme or 'no'} scheme in {url[:80]}")
        host = (parts.hostname or "").lower()
        if not host:
            raise FetchError(f"refused: no host in {url[:80]}")
        default = 443 if parts.scheme == "https" else 80
        host_header = host if (parts.port or default) == default else f"{host}:{parts.port}"
        if self._proxied(url):
            self._check_literal(host)  # the proxy resolves the name: no lookup here
            return url, host_header
        ip, port = self._address(host, parts.port or default)
        netloc = f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"
        return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), host_header

    def _address(self, host: str, port: int) -> tuple[str, int]:
        """The checked address to connect to; FetchError if any address is not public."""
        addresses = self._lookup(host, port)
        allowed = self._allowed(host)
        bad = [ip for ip, _ in addresses if not is_public(ip)]
        if bad and not allowed:
            raise FetchError(f"refused: {host} resolves to non-public address {bad[0]}")
        return addresses[0]

    def _allowed(self, host: str) -> bool:
        return self.allow_private is True or (not isinstance(self.allow_private, bool) and host in self.allow_private)

    def _check_literal(self, host: str) -> None:
        """Through a proxy: a literal address (or a test mapping) must still be public."""
        literal = self.resolve.get(host)
        literal = _split_address(literal, 0)[0] if literal else host.strip("[]")
        try:
            ipaddress.ip_address(literal)
        except ValueError:
            return
        if not is_public(literal) and not self._allowed(host):
            raise FetchError(f"refused: {host} is the non-public address {literal}")

    def _lookup(self, host: str, port: int) -> list[tuple[str, int]]:
        if host in self.resolve:
            return [_split_address(self.resolve[host], port)]
        try:
            ipaddress.ip_address(host.strip("[]"))
            return [(host.strip("[]"), port)]
        except ValueError:
            pass
        try:
            infos = self.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"dns: {host} not found") from exc
        return [(info[4][0], port) for info in infos] or _no_address(host)

    def _proxied(self, url: str) -> bool:
        import requests.utils

        if not self._session().trust_env or not self._proxies_set():
            return False
        return bool(requests.utils.get_environ_proxies(url, no_proxy=None))

    def _proxies_set(self) -> bool:
        """Whether any proxy variable is set; read once per Fetcher (it is slow to ask)."""
        if self._any_proxy is None:
            import urllib.request

            self._any_proxy = bool(urllib.request.getproxies())
        return self._any_proxy

    def _timeouts(self, deadline: float) -> tuple[float, float]:
        left = deadline - self.clock()
        if left <= 0:
            raise FetchError("timeout (time budget spent)")
        return min(self.connect_timeout, left), min(self.read_timeout, left)

    def _read(self, url: str, final_url: str, response, deadline: float) -> Page:
        with response:
            _check_response(response)
            content, truncated = self._body(response, deadline)
        encoding = response.encoding if "charset" in response.headers.get("content-type", "").lower() else None
        return Page(url, final_url, response.status_code, content, encoding, truncated)

    def _body(self, response, deadline: float) -> tuple[bytes, bool]:
        import requests

        chunks, size = [], 0
        try:
            # read1: at most one socket read per call, so a site trickling bytes meets the deadline
            # within one read timeout (iter_content would wait for a whole chunk).
            while chunk := response.raw.read1(16384, decode_content=True):
                chunks.append(chunk)
                size += len(chunk)
                if size >= self.max_bytes:
                    return b"".join(chunks)[: self.max_bytes], True
                if self.clock() > deadline:
                    raise FetchError("timeout (time budget spent)")
        except (requests.RequestException, OSError, urllib3_errors()) as exc:
            raise FetchError(_reason(exc)) from exc
        return b"".join(chunks), False

    def _session(self):
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self.session_factory()
        return session


def _check_response(response) -> None:
    if response.status_code >= 400:
        raise FetchError(f"HTTP {response.status_code}")
    kind = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind not in HTML_TYPES:
        raise FetchError(f"not an HTML page ({kind or 'no content type'})")
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > 50_000_000:
        raise FetchError(f"refused: {int(length) // 1_000_000} MB response")


def urllib3_errors():
    import urllib3.exceptions

    return urllib3.exceptions.HTTPError


def _split_address(value: str, port: int) -> tuple[str, int]:
    """``"127.0.0.1:8080"`` -> ``("127.0.0.1", 8080)``; ``"[::1]:80"`` and bare addresses too."""
    if value.startswith("["):
        ip, _, rest = value[1:].partition("]")
        return ip, int(rest.lstrip(":") or port)
    if value.count(":") == 1:
        ip, _, number = value.partition(":")
        return ip, int(number)
    return value, port


def _no_address(host: str):
    raise FetchError(f"dns: {host} has no address")


def _reason(exc: Exception) -> str:
    import requests

    for kind, reason in (
        (requests.exceptions.SSLError, "TLS error"),
        (requests.exceptions.Timeout, "timeout"),
        (requests.exceptions.ProxyError, "proxy error"),
        (requests.exceptions.ConnectionError, "connection failed"),
    ):
        if isinstance(exc, kind):
            return reason
    if isinstance(exc, TimeoutError) or "Timeout" in type(exc).__name__:
        return "timeout"
    return f"request failed ({type(exc).__name__})"


def _new_session():
    import requests

    session = requests.Session()
    session.trust_env = True  # HTTPS_PROXY, HTTP_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE
    adapter = _pinned_adapter()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def _pinned_adapter():
    """An HTTPAdapter that, connecting to an address, checks TLS against the Host header's name."""
    from requests.adapters import HTTPAdapter

    class PinnedAdapter(HTTPAdapter):
        def build_connection_pool_key_attributes(self, request, verify, cert=None):
            host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
            name = (request.headers.get("Host") or "").rsplit(":", 1)[0]
            if host_params.get("scheme") == "https" and name and name != host_params.get("host"):
                pool_kwargs["server_hostname"] = name
                pool_kwargs["assert_hostname"] = name
            return host_params, pool_kwargs

    return PinnedAdapter(pool_connections=4, pool_maxsize=4, max_retries=0)
