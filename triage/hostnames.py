"""Host names: the host in an address or URL, and its registrable domain under the public suffix
list (tldextract's bundled snapshot, never fetched). One tldextract instance for every stage: the
sender's domain that extract records and the one enrich looks up are the same name.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple


@cache
def _extractor():
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def host_of(value: str | None) -> str | None:
    """The host in an address, URL or bare domain: ``a@B.com`` -> ``b.com``."""
    if not value:
        return None
    text = value.strip().strip("<>").lower()
    text = text.rsplit("@", 1)[-1]
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    host = re.split(r"[/?#\s]", text, maxsplit=1)[0].rsplit(":", 1)[0].strip(".")
    return _decode_idna(host) or None


def _decode_idna(host: str) -> str:
    if "xn--" not in host:
        return host
    try:
        return host.encode("ascii").decode("idna")
    except UnicodeError:
        return host


class HostParts(NamedTuple):
    subdomain: str
    domain: str  # the label under the public suffix
    suffix: str


@lru_cache(maxsize=4096)
def split(host: str | None) -> HostParts:
    """tldextract's (subdomain, label, suffix) for ``host``, remembered: a message asks about the same
    few hosts ~8 times, and free-mail and platform domains recur across messages."""
    parts = _extractor()(host or "")
    return HostParts(parts.subdomain, parts.domain, parts.suffix)


def registrable(host: str | None) -> str | None:
    """``message.alibaba.com.cn`` -> ``alibaba.com.cn``; None for IPs and bare names.

    A name under a suffix from the list's private section is the company's own: ``elmax.lublin.pl``
    (Polish regional domains), ``acme.wixsite.com``, not ``lublin.pl`` or ``wixsite.com``."""
    if not host:
        return None
    parts = _split_private(host)
    return f"{parts.domain}.{parts.suffix}" if parts.domain and parts.suffix else None


@lru_cache(maxsize=4096)
def _split_private(host: str) -> HostParts:
    parts = _extractor()(host, include_psl_private_domains=True)
    return HostParts(parts.subdomain, parts.domain, parts.suffix)
