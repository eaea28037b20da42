"""The HTTP Fetcher: one reused httpx client, timeouts, retries, per-host pacing and the disk cache."""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx

from hotpapers_tui import __version__, paths
from hotpapers_tui.config import DEFAULT_BASE_URLS, Config
from hotpapers_tui.fetch.api import SOURCES, Fetched, FetchError, Freshness
from hotpapers_tui.fetch.cache import AnswerCache, CachedAnswer, CacheError

T = TypeVar("T")

USER_AGENT = f"hotpapers-tui/{__version__} (terminal reader of arXiv papers ranked by social attention)"

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
Validate = Callable[[bytes], object]
"""Checks a body before it is cached; raises ValueError (with a readable message) to refuse it."""


def require_json(body: bytes) -> object:
    """A validator for ``get(validate=...)``: the body must be JSON."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"invalid JSON ({exc})") from None


class Pace:
    """Spacing and concurrency for the requests to one host.

    Request starts are at least ``interval`` seconds apart and at most
    ``connections`` run at once. The clock and sleep can be replaced so that tests
    check the spacing without waiting.
    """

    def __init__(
        self, *, interval: float = 0.0, connections: int = 8, clock: Clock = time.monotonic, sleep: Sleep | None = None
    ) -> None:
        self.interval = interval
        self.connections = connections
        self.clock = clock
        self.sleep: Sleep = sleep or asyncio.sleep
        self._next = float("-inf")
        # asyncio primitives belong to one event loop; a process may run several in turn.
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._slots is None or self._loop is not loop:
            self._slots, self._loop = asyncio.Semaphore(self.connections), loop
        return self._slots

    async def run(self, request: Callable[[], Awaitable[T]]) -> T:
        """Make one request when its turn comes, holding a connection slot while it runs."""
        async with self._semaphore():
            now = self.clock()
            start = max(now, self._next)
            self._next = start + self.interval
            if start > now:
                await self.sleep(start - now)
            return await request()


ARXIV_PACE = Pace(interval=3.0, connections=1)
"""arXiv's terms: one connection at a time and 3 s between requests, for the whole process."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When and how long to wait before asking again."""

    attempts: int = 3
    """Tries in all, the first included."""
    backoff: float = 0.5
    """The first wait; each next wait doubles."""
    max_backoff: float = 8.0
    """No computed wait is longer."""
    max_retry_after: float = 60.0
    """A server asking to wait longer than this is not waited for: the call fails (or serves stale)."""

    def delay(self, attempt: int) -> float:
        return float(min(self.backoff * 2**attempt, self.max_backoff))


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """A ``Retry-After`` header as seconds from now: delta seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class _Unusable(Exception):
    """An answer that arrived but cannot be used; may fall back to a stale copy."""

    def __init__(self, error: FetchError) -> None:
        self.error = error


def _host(url: str) -> str:
    return httpx.URL(url).host or url


class HttpFetcher:
    """The project's Fetcher (see ``fetch.api.Fetcher``) over httpx and the disk cache."""

    def __init__(
        self,
        *,
        base_urls: Mapping[str, str] | None = None,
        cache: AnswerCache | None = None,
        offline: bool = False,
        timeout: float = 15.0,
        connect_timeout: float = 5.0,
        deadline: float = 60.0,
        retry: RetryPolicy | None = None,
        listing_ttl: timedelta = timedelta(hours=24),
        live_ttl: timedelta = timedelta(minutes=30),
        max_body_bytes: int = 32 * 1024 * 1024,
        connections_per_host: int = 8,
        transport: httpx.AsyncBaseTransport | None = None,
        paces: Mapping[str, Pace] | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.offline = offline
        """True when the network must not be touched (``--offline``)."""
        self.base_urls = {**DEFAULT_BASE_URLS, **(base_urls or {})}
        self.cache = cache
        """The disk cache, or None for no caching."""
        self.timeout = timeout
        """Seconds allowed for each read or write."""
        self.connect_timeout = connect_timeout
        """Seconds allowed for connecting: short, so that a host out of reach is known as such soon."""
        self.deadline = deadline
        """Seconds allowed for one whole attempt, so a server dripping bytes cannot hold a call forever."""
        self.retry = retry or RetryPolicy()
        self.ttl = {Freshness.LISTING: listing_ttl, Freshness.LIVE: live_ttl}
        self.max_body_bytes = max_body_bytes
        self.connections_per_host = connections_per_host
        self._transport = transport
        self._paces: dict[str, Pace] = {"arxiv": ARXIV_PACE, **(paces or {})}
        self._host_paces: dict[str, Pace] = {}
        self._clock = clock
        self._sleep: Sleep = sleep or asyncio.sleep
        self._now = now or (lambda: datetime.now(UTC))
        self._client: httpx.AsyncClient | None = None

    # -- the Fetcher interface -------------------------------------------------

    async def get(
        self,
        source: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        freshness: Freshness,
        refresh: bool = False,
        validate: Validate | None = None,
    ) -> Fetched:
        """GET ``path`` on ``source``'s base URL, through the cache; see ``fetch.api.Fetcher.get``.

        ``validate`` checks a body before it is cached or returned: a ValueError from it
        turns the answer into a FetchError (a stale copy is served if there is one).
        """
        url = self._url(source, path, params)
        key = f"GET {url}"
        cached = self._cache_get(key) if freshness is not Freshness.NONE else None
        if cached is not None and not refresh and self._fresh(cached):
            return self._from_cache(cached, stale=False)
        if self.offline:
            if cached is not None:
                return self._from_cache(cached, stale=not self._fresh(cached))
            raise FetchError(f"offline: {url} is not in the cache", url=url, offline=True)
        try:
            answer = await self._request(source, "GET", url, headers=headers, json_body=None, validate=validate)
        except (FetchError, _Unusable) as exc:
            error = exc.error if isinstance(exc, _Unusable) else exc
            if cached is not None and (isinstance(exc, _Unusable) or _network_failure(error)):
                return self._from_cache(cached, stale=True)
            raise error from None
        if freshness is not Freshness.NONE:
            self._cache_put(key, CachedAnswer(url, answer.status, answer.fetched_at, freshness, answer.body))
        return answer

    async def post(
        self,
        source: str,
        path: str,
        *,
        json_body: Any,
        headers: Mapping[str, str] | None = None,
    ) -> Fetched:
        """POST a JSON body; never cached. Raises FetchError."""
        url = self._url(source, path, None)
        if self.offline:
            raise FetchError(f"offline: not sending {url}", url=url, offline=True)
        try:
            return await self._request(source, "POST", url, headers=headers, json_body=json_body, validate=None)
        except _Unusable as exc:
            raise exc.error from None

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self.cache is not None:
            self.cache.close()

    # -- inside ----------------------------------------------------------------

    def _url(self, source: str, path: str, params: Mapping[str, str] | None) -> str:
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        if not path.startswith("/"):
            raise ValueError(f"path must start with '/': {path!r}")
        url = httpx.URL(self.base_urls[source] + path)
        if params:
            url = url.copy_merge_params(sorted(params.items()))
        return str(url)

    def _client_now(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(self.timeout, connect=self.connect_timeout),
                headers={"User-Agent": USER_AGENT},
                follow_redirects=True,
                transport=self._transport,
                limits=httpx.Limits(max_connections=None, max_keepalive_connections=32),
            )
        return self._client

    def _pace(self, source: str, url: str) -> Pace:
        if source in self._paces:
            return self._paces[source]
        host = _host(url)
        if host not in self._host_paces:
            self._host_paces[host] = Pace(connections=self.connections_per_host, clock=self._clock, sleep=self._sleep)
        return self._host_paces[host]

    def _fresh(self, cached: CachedAnswer) -> bool:
        if cached.kind is Freshness.FOREVER:
            return True
        ttl = self.ttl.get(cached.kind)
        return ttl is not None and self._now() - cached.fetched_at < ttl

    def _from_cache(self, cached: CachedAnswer, *, stale: bool) -> Fetched:
        return Fetched(cached.body, cached.status, cached.url, cached.fetched_at, from_cache=True, stale=stale)

    def _cache_get(self, key: str) -> CachedAnswer | None:
        if self.cache is None:
            return None
        try:
            return self.cache.get(key)
        except CacheError:
            # A broken cache folder must not stop reading: go to the network instead.
            return None

    def _cache_put(self, key: str, answer: CachedAnswer) -> None:
        if self.cache is None:
            return
        # An answer that cannot be kept is still an answer.
        with contextlib.suppress(CacheError):
            self.cache.put(key, answer)

    async def _request(
        self,
        source: str,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None,
        json_body: Any,
        validate: Validate | None,
    ) -> Fetched:
        pace = self._pace(source, url)
        client = self._client_now()
        host = _host(url)
        last: FetchError | None = None
        for attempt in range(self.retry.attempts):
            wait: float | None = None
            try:
                status, body, answer_headers = await pace.run(
                    lambda: self._send(client, method, url, headers, json_body)
                )
            except httpx.ConnectTimeout:
                limit = f"{self.connect_timeout:g}"
                last = FetchError(f"cannot reach {host} (no connection within {limit} s)", url=url, offline=True)
            except httpx.TimeoutException:
                last = FetchError(f"{host}: no answer within {self.timeout:g} s", url=url, offline=False)
            except TimeoutError:
                last = FetchError(f"{host}: answer not complete within {self.deadline:g} s", url=url, offline=False)
            except (httpx.ConnectError, httpx.ProxyError) as exc:
                last = FetchError(f"cannot reach {host} ({_reason(exc)})", url=url, offline=True)
            except httpx.TransportError as exc:
                # A dropped connection or a truncated body: never a usable answer.
                last = FetchError(f"{host}: the answer was cut off ({_reason(exc)})", url=url)
            except _TooLarge:
                raise _Unusable(
                    FetchError(f"{host}: answer larger than {_size(self.max_body_bytes)} refused", url=url)
                ) from None
            else:
                if 200 <= status < 300:
                    if validate is not None:
                        try:
                            validate(body)
                        except ValueError as exc:
                            problem = FetchError(f"{url}: unusable answer: {exc}", url=url, status=status)
                            raise _Unusable(problem) from None
                    return Fetched(body, status, url, self._now())
                last = FetchError(f"{host} answered HTTP {status} for {url}", url=url, status=status)
                retry_after = answer_headers.get("Retry-After")
                # GitHub signals its hourly limit with 403 and a zero remaining count, not 429.
                spent = status == 403 and answer_headers.get("X-RateLimit-Remaining") == "0"
                if spent and retry_after is None:
                    raise _Unusable(
                        FetchError(f"{host}: rate limit reached{_reset_time(answer_headers)}", url=url, status=status)
                    )
                if status != 429 and status < 500 and not (status == 403 and retry_after is not None):
                    raise last
                wait = retry_after_seconds(retry_after, self._now())
                if wait is not None and wait > self.retry.max_retry_after:
                    raise FetchError(
                        f"{host} asks to wait {wait:.0f} s (HTTP {status}); try again later", url=url, status=status
                    )
            if attempt + 1 < self.retry.attempts:
                await self._sleep(wait if wait is not None else self.retry.delay(attempt))
        assert last is not None
        raise last

    async def _send(
        self, client: httpx.AsyncClient, method: str, url: str, headers: Mapping[str, str] | None, json_body: Any
    ) -> tuple[int, bytes, httpx.Headers]:
        async with asyncio.timeout(self.deadline):
            return await self._send_within(client, method, url, headers, json_body)

    async def _send_within(
        self, client: httpx.AsyncClient, method: str, url: str, headers: Mapping[str, str] | None, json_body: Any
    ) -> tuple[int, bytes, httpx.Headers]:
        request = client.build_request(method, url, headers=headers, json=json_body)
        response = await client.send(request, stream=True)
        try:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
                raise _TooLarge
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self.max_body_bytes:
                    raise _TooLarge
                chunks.append(chunk)
            return response.status_code, b"".join(chunks), response.headers
        finally:
            await response.aclose()


class _TooLarge(Exception):
    pass


def _reset_time(headers: httpx.Headers) -> str:
    reset = headers.get("X-RateLimit-Reset", "")
    if not reset.isdigit():
        return "; try again later"
    return f"; it resets at {datetime.fromtimestamp(int(reset), UTC):%H:%M} UTC"


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:120] if text else type(exc).__name__


def _network_failure(error: FetchError) -> bool:
    """A failure a stale copy may stand in for: no answer, a 429 or a server error."""
    return error.status is None or error.status == 429 or error.status >= 500


def open_fetcher(config: Config, *, offline: bool = False, cache: AnswerCache | None = None) -> HttpFetcher:
    """The fetcher the settings describe, caching in ``paths.cache_dir()`` unless given a cache."""
    return HttpFetcher(
        base_urls=config.base_urls,
        cache=cache if cache is not None else AnswerCache(paths.cache_dir()),
        offline=offline,
        listing_ttl=timedelta(hours=config.freshness.listing_hours),
        live_ttl=timedelta(minutes=config.freshness.live_minutes),
    )
