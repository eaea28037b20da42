"""Deciding which links from untrusted posts the reader may open or copy: http(s) on expected hosts only."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from urllib.parse import urlsplit

ALLOWED_HOSTS: frozenset[str] = frozenset(
    {
        "arxiv.org",
        "www.arxiv.org",
        "export.arxiv.org",
        "twitter.com",
        "x.com",
        "t.co",
        "bsky.app",
        "news.ycombinator.com",
        "huggingface.co",
        "github.com",
    }
)
"""Hosts the reader opens links on; their subdomains are allowed too."""

SCHEMES = frozenset({"http", "https"})

# A host name in its ASCII (punycode) form. Unicode hosts are refused, so a lookalike
# such as Cyrillic "аrxiv.org" never passes for arxiv.org.
# Used with fullmatch: "$" would also accept a name ending in a newline.
_HOST_NAME = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?")
_IP_LITERAL = re.compile(r"[0-9a-f:.]+")
# Control, format (bidi, zero-width), separator and unassigned characters.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Cs", "Co", "Cn"})


def refusal(url: str, *, hosts: Collection[str] | None = None) -> str | None:
    """Why ``url`` must not be opened or copied, or None when it may be.

    ``hosts`` limits the URL to those hosts and their subdomains.
    """
    if not url:
        return "empty link"
    for char in url:
        if unicodedata.category(char) in _HIDDEN_CATEGORIES or char.isspace():
            return f"link contains a hidden or control character (U+{ord(char):04X})"
    if "\\" in url:
        return "link contains a backslash"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return "malformed link"
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        return f"only http and https links are opened, not {scheme + ':' if scheme else 'a link without a scheme'}"
    if "@" in parts.netloc:
        return "link carries a user name or password"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "link has no host"
    if not is_plain_host(host):
        return f"link host {host!r} is not a plain ASCII host name"
    if hosts is not None and not host_allowed(host, hosts):
        return f"link host {host} is not one of the expected sites"
    return None


def is_plain_host(host: str) -> bool:
    """Whether ``host`` (as ``urlsplit`` gives it, lower case) is a plain ASCII host name or an IPv6 literal."""
    return bool(_HOST_NAME.fullmatch(host) or (":" in host and _IP_LITERAL.fullmatch(host)))


def host_allowed(host: str, hosts: Collection[str]) -> bool:
    """Whether ``host`` is one of ``hosts`` or a subdomain of one (a suffix match on labels, not on text)."""
    host = host.lower().rstrip(".")
    return any(host == h or host.endswith("." + h) for h in (h.lower().rstrip(".") for h in hosts))


def safe_url(url: str, *, hosts: Collection[str] | None = None) -> str | None:
    """``url`` unchanged if it is an http(s) link that is safe to open or copy, else None.

    Safe means: scheme http or https (any case), a host, no user name or password, no
    control, whitespace, bidi or zero-width characters, and, when ``hosts`` is given, a
    host that is one of them or a subdomain of one.
    """
    return url if refusal(url, hosts=hosts) is None else None
