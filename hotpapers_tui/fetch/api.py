"""The fetch layer's interface: what feeds and sources ask of it, whatever implements it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Protocol

SOURCES = (
    "github_api",
    "github_raw",
    "arxiv",
    "huggingface",
    "hackernews",
    "bluesky",
    "bluesky_auth",
    "x",
    "x_oembed",
)
"""The remote endpoints, by the name their ``[sources.NAME]`` config table uses."""


class Freshness(Enum):
    """How long a cached answer stays good, by what it means."""

    FOREVER = "forever"
    """A published post or a paper's metadata: never changes."""
    LISTING = "listing"
    """A listing of posts or a day's papers: refetch after a day."""
    LIVE = "live"
    """Attention still gathering: minutes to hours (configurable)."""
    NONE = "none"
    """Never cached (session creation, anything carrying secrets in its answer)."""


class FetchError(Exception):
    """A remote call failed with nothing cached to fall back on; the message is for the user."""

    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        status: int | None = None,
        offline: bool = False,
        host: str = "",
        gave_up: bool = False,
        body: bytes = b"",
    ) -> None:
        super().__init__(message)
        self.url = url
        """The URL asked for (never with secrets)."""
        self.status = status
        """The HTTP status, when the server answered."""
        self.offline = offline
        """True when the network could not be reached at all, or --offline forbade it."""
        self.body = body
        """The body of a refusal (HTTP 4xx/5xx), empty otherwise: XRPC services name the error there."""
        self.host = host
        """The host that failed, when one did (empty for --offline)."""
        self.gave_up = gave_up
        """True when the host kept timing out and is no longer asked (every later call fails at once)."""


_GIVE_UP_FOR_THE_RUN: ContextVar[bool] = ContextVar("give_up_for_the_run", default=False)


@contextmanager
def give_up_for_the_run() -> Iterator[None]:
    """Within this block (and the tasks started in it), a host the fetch layer gave up on stays given up.

    For a one-shot command that may run for long (``export --all``): a host that kept
    timing out is then never asked again in the run, where the reader, which runs for
    hours, asks it again after a while (``HttpFetcher.give_up_for``) in case it is back.
    Every later call to it fails at once with the same give-up message.
    """
    token = _GIVE_UP_FOR_THE_RUN.set(True)
    try:
        yield
    finally:
        _GIVE_UP_FOR_THE_RUN.reset(token)


def giving_up_for_the_run() -> bool:
    """True inside :func:`give_up_for_the_run`."""
    return _GIVE_UP_FOR_THE_RUN.get()


def header_problem(value: str) -> str | None:
    """Why ``value`` cannot be sent as an HTTP header value, or None when it can.

    A field value is visible ASCII with inner spaces or tabs (RFC 9110, 5.5; the obsolete
    8-bit form is not sent: httpx encodes headers as ASCII and raises on anything else). A
    line break would end the header early, a NUL is refused by every server. The value
    itself is never part of the answer: it is usually a secret.
    """
    if value != value.strip(" \t"):
        return "leading or trailing white space"
    for char in value:
        if char == "\t" or " " <= char <= "~":
            continue
        if char in "\r\n":
            return "a line break"
        if not char.isascii():
            return "a character that is not ASCII"
        return "a control character"
    return None


def param_problem(value: str) -> str | None:
    """Why ``value`` cannot go into a URL's query, or None: it must encode as UTF-8 (a lone surrogate cannot)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "a lone surrogate, which no URL can hold"
    return None


def decode_json(body: bytes) -> Any:
    """JSON from an answer's bytes; ValueError (never RecursionError) for anything unreadable.

    Python's decoder recurses once per level of nesting: a body nested hundreds of
    thousands of levels deep would otherwise end in a RecursionError, which no caller
    expects from bad data.
    """
    try:
        return json.loads(body)
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None


@dataclass(frozen=True, slots=True)
class Fetched:
    """An answer, fresh or from the cache."""

    body: bytes
    """The response body."""
    status: int
    """The HTTP status of the answer as it was received."""
    url: str
    """The URL asked for."""
    fetched_at: datetime
    """When the answer was received from the network (UTC)."""
    from_cache: bool = False
    """True when served from the disk cache."""
    stale: bool = False
    """True when the network failed and an expired cached answer was served instead."""

    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        """The body as JSON; ValueError (UnicodeDecodeError and JSONDecodeError are ones) if it is not."""
        return decode_json(self.body)


class Fetcher(Protocol):
    """Every remote call of the project goes through one of these."""

    offline: bool
    """True when the network must not be touched (``--offline``)."""

    async def get(
        self,
        source: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        freshness: Freshness,
        refresh: bool = False,
        validate: Callable[[bytes], object] | None = None,
        base_url: str | None = None,
    ) -> Fetched:
        """GET ``path`` (with its leading ``/``) on the base URL configured for ``source``.

        ``base_url`` replaces the configured one for this call: a service named at run
        time (the Bluesky PDS a session's DID document points to).

        Cached by method, URL and params (never by auth headers) with the given
        freshness; ``refresh`` ignores freshness. A header value that cannot be sent (see
        ``header_problem``) or a param that cannot be encoded is a FetchError, before
        anything is sent. ``validate`` checks a 2xx body before
        it is cached: a ValueError from it makes the answer unusable (a stale cached
        copy is served if there is one, else FetchError). Raises FetchError when nothing
        usable can be had.
        """
        ...

    async def post(
        self,
        source: str,
        path: str,
        *,
        json_body: Any,
        headers: Mapping[str, str] | None = None,
        base_url: str | None = None,
    ) -> Fetched:
        """POST a JSON body; never cached. ``base_url`` as for ``get``. Raises FetchError."""
        ...

    async def aclose(self) -> None:
        """Close the HTTP client."""
        ...
