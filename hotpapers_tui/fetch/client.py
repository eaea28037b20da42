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
from hotpapers_tui.fetch.api import (
    SOURCES,
    Fetched,
    FetchError,
    Freshness,
    decode_json,
    giving_up_for_the_run,
    header_problem,
    param_problem,
)
from hotpapers_tui.fetch.cache import AnswerCache, CachedAnswer, CacheError
from hotpapers_tui.fetch.encoding import ACCEPT_ENCODING, BoundedDecoder, EncodingError, TooLarge, content_codings
from hotpapers_tui.textsafety import plain

T = TypeVar("T")

USER_AGENT = f"hotpapers-tui/{__version__} (terminal reader of arXiv papers ranked by social attention)"

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
Validate = Callable[[bytes], object]
"""Checks a body before it is cached; raises ValueError (with a readable message) to refuse it."""


CONNECT_TIMEOUT = 5.0
"""Seconds allowed for connecting: a host that does not answer is reported within a few seconds."""
READ_TIMEOUT = 15.0
"""Seconds allowed for each read or write once connected."""
DEADLINE = 60.0
"""Seconds one call may take in all, its tries and the waits between them included."""
GIVE_UP_AFTER = 3
"""Timeouts from one host, in a row, after which it is no longer asked."""
GIVE_UP_FOR = 300.0
"""Seconds a host stays given up on; then it is asked again, and one more timeout gives up on it again."""
MAX_REDIRECTS = 5
"""Redirects followed for one request."""

_GITHUB_HOSTS = frozenset(
    {"api.github.com", "raw.githubusercontent.com", "codeload.github.com", "objects.githubusercontent.com"}
)
REDIRECT_HOSTS: Mapping[str, frozenset[str]] = {
    "github_api": _GITHUB_HOSTS,
    "github_raw": _GITHUB_HOSTS,
    "arxiv": frozenset({"export.arxiv.org", "arxiv.org"}),
    "huggingface": frozenset({"huggingface.co"}),
    "hackernews": frozenset({"hn.algolia.com"}),
    "bluesky": frozenset({"api.bsky.app"}),
    "bluesky_auth": frozenset({"bsky.social"}),
    "x": frozenset({"api.x.com", "api.twitter.com"}),
    "x_oembed": frozenset({"publish.twitter.com", "publish.x.com"}),
}
"""Hosts a source's redirects may lead to besides the host asked (GitHub's API sends some to its raw and
download hosts). Any other host, a non-http(s) scheme or https to http is refused."""


def require_json(body: bytes) -> object:
    """A validator for ``get(validate=...)``: the body must be JSON (and not nested beyond reading)."""
    try:
        return decode_json(body)
    except ValueError as exc:
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


class _TooLarge(Exception):
    def __init__(self, codings: list[str]) -> None:
        self.codings = codings


class _Redirect(Exception):
    """A redirect that is not followed; the message says why."""


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: bytes
    headers: httpx.Headers
    crossed: bool
    """True when a redirect led to another host than the one asked."""


class _Budget:
    """What is left of one call's deadline."""

    def __init__(self, seconds: float) -> None:
        self.left = seconds


def _host(url: str) -> str:
    return _ascii_host(httpx.URL(url)) or url


def _ascii_host(url: httpx.URL) -> str:
    """The host as sent (IDNA names in their ``xn--`` form).

    ``URL.host`` decodes an ``xn--`` label and raises for one that is not valid
    punycode; a redirect from a hostile server may name such a host.
    """
    return url.raw_host.decode("ascii", "replace").lower()


async def _check_location(response: httpx.Response) -> None:
    """A response hook: a Location that is not a URL is refused here, before httpx tries to build a request on it."""
    if response.has_redirect_location:
        try:
            target = response.url.join(httpx.URL(response.headers["Location"]))
            # httpx reads the host decoded: an ``xn--`` label that is not valid punycode raises there.
            _ = target.host
        except (httpx.InvalidURL, UnicodeError):
            raise _Redirect("refused redirect to an invalid address") from None


class HttpFetcher:
    """The project's Fetcher (see ``fetch.api.Fetcher``) over httpx and the disk cache."""

    def __init__(
        self,
        *,
        base_urls: Mapping[str, str] | None = None,
        cache: AnswerCache | None = None,
        offline: bool = False,
        timeout: float = READ_TIMEOUT,
        connect_timeout: float = CONNECT_TIMEOUT,
        deadline: float = DEADLINE,
        give_up_after: int = GIVE_UP_AFTER,
        give_up_for: float | None = GIVE_UP_FOR,
        max_redirects: int = MAX_REDIRECTS,
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
        """Seconds allowed for each read or write once connected."""
        self.connect_timeout = connect_timeout
        """Seconds allowed for connecting, kept short so that a host that does not answer is reported soon."""
        self.deadline = deadline
        """Seconds one call may take in all (its tries and the waits between them, not the time spent queued for
        a connection slot), so a server dripping bytes cannot hold a call for long."""
        self.give_up_after = give_up_after
        """Timeouts from one host (in a row, without a complete answer between) after which it is given up on."""
        self.give_up_for = give_up_for
        """Seconds a host stays given up on (by ``clock``); None for as long as the fetcher lives."""
        self.max_redirects = max_redirects
        self.retry = retry or RetryPolicy()
        self.ttl = {Freshness.LISTING: listing_ttl, Freshness.LIVE: live_ttl}
        self.max_body_bytes = max_body_bytes
        """The most bytes an answer may have, counted as it is decoded and at every layer of its encoding."""
        self.connections_per_host = connections_per_host
        self._transport = transport
        self._paces: dict[str, Pace] = {"arxiv": ARXIV_PACE, **(paces or {})}
        self._host_paces: dict[str, Pace] = {}
        self._clock = clock
        self._sleep: Sleep = sleep or asyncio.sleep
        self._now = now or (lambda: datetime.now(UTC))
        self._client: httpx.AsyncClient | None = None
        self._timeouts: dict[str, int] = {}
        self._gave_up_at: dict[str, float] = {}

    @property
    def given_up(self) -> frozenset[str]:
        """The hosts that kept timing out and are no longer asked."""
        return frozenset(h for h, n in self._timeouts.items() if n >= self.give_up_after)

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
        base_url: str | None = None,
    ) -> Fetched:
        """GET ``path`` on ``source``'s base URL, through the cache; see ``fetch.api.Fetcher.get``.

        ``validate`` checks a body before it is cached or returned: a ValueError from it
        turns the answer into a FetchError (a stale copy is served if there is one).
        An answer that a redirect brought from another host is used but never cached
        under the URL asked for.
        ``base_url`` replaces the configured base URL for this call.
        """
        url = self._url(source, path, params, base_url)
        _check_headers(source, url, headers)
        key = f"GET {url}"
        cached = self._cache_get(key) if freshness is not Freshness.NONE else None
        if cached is not None and not refresh and self._fresh(cached):
            return self._from_cache(cached, stale=False)
        if self.offline:
            if cached is not None:
                return self._from_cache(cached, stale=not self._fresh(cached))
            raise FetchError(f"offline: {url} is not in the cache", url=url, offline=True)
        try:
            answer, crossed = await self._request(
                source, "GET", url, headers=headers, json_body=None, validate=validate
            )
        except (FetchError, _Unusable) as exc:
            error = exc.error if isinstance(exc, _Unusable) else exc
            if cached is not None and (isinstance(exc, _Unusable) or _network_failure(error)):
                return self._from_cache(cached, stale=True)
            raise error from None
        if freshness is not Freshness.NONE and not crossed:
            self._cache_put(key, CachedAnswer(url, answer.status, answer.fetched_at, freshness, answer.body))
        return answer

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
        url = self._url(source, path, None, base_url)
        _check_headers(source, url, headers)
        _check_json_body(source, url, json_body)
        if self.offline:
            raise FetchError(f"offline: not sending {url}", url=url, offline=True)
        try:
            answer, _ = await self._request(source, "POST", url, headers=headers, json_body=json_body, validate=None)
        except _Unusable as exc:
            raise exc.error from None
        return answer

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self.cache is not None:
            self.cache.close()

    # -- inside ----------------------------------------------------------------

    def _url(self, source: str, path: str, params: Mapping[str, str] | None, base_url: str | None = None) -> str:
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        if not path.startswith("/"):
            raise ValueError(f"path must start with '/': {path!r}")
        try:
            url = httpx.URL((base_url.rstrip("/") if base_url else self.base_urls[source]) + path)
            # httpx reads the host decoded when it sends: an ``xn--`` label that is not punycode raises there.
            _ = url.host
        except (httpx.InvalidURL, UnicodeError) as exc:
            # A base URL from the config or an answer (a PDS) that is not one (a port out of range, a broken
            # IPv6 address, a bad punycode label), or a path from an answer that cannot be encoded.
            raise FetchError(
                f"{source}: invalid address {plain(base_url or self.base_urls[source])!r} ({exc})"
            ) from None
        if params:
            for name, value in params.items():
                problem = param_problem(value)
                if problem is not None:
                    # From an answer (a cursor): a request that cannot be encoded is not made.
                    raise FetchError(f"{source}: not sent: the {name!r} parameter holds {problem}", url=str(url))
            url = url.copy_merge_params(sorted(params.items()))
        return str(url)

    def _client_now(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(self.timeout, connect=self.connect_timeout),
                # Only the codings decoded here (with bounded memory) are asked for.
                headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
                # Redirects are followed by hand, one hop at a time, under the redirect policy.
                follow_redirects=False,
                event_hooks={"response": [_check_location]},
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

    def _gave_up(self, host: str, url: str) -> FetchError:
        return FetchError(f"gave up on {host} after {self.give_up_after} timeouts", url=url, host=host, gave_up=True)

    def _check_host(self, host: str, url: str) -> None:
        """Raises the give-up error for a host given up on, until its time is over."""
        if self._timeouts.get(host, 0) < self.give_up_after:
            return
        since = self._gave_up_at.get(host)
        window_over = self.give_up_for is not None and since is not None and self._clock() - since >= self.give_up_for
        if window_over and not giving_up_for_the_run():
            # Asked again; one more timeout is enough to give up again.
            self._timeouts[host] = self.give_up_after - 1
            del self._gave_up_at[host]
            return
        raise self._gave_up(host, url)

    def _timed_out(self, host: str, url: str, error: FetchError) -> FetchError:
        """Counts a timeout against ``host``: the error to report, the give-up once there are enough."""
        self._timeouts[host] = self._timeouts.get(host, 0) + 1
        if self._timeouts[host] < self.give_up_after:
            return error
        self._gave_up_at.setdefault(host, self._clock())
        return self._gave_up(host, url)

    async def _request(
        self,
        source: str,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None,
        json_body: Any,
        validate: Validate | None,
    ) -> tuple[Fetched, bool]:
        pace = self._pace(source, url)
        client = self._client_now()
        host = _host(url)
        budget = _Budget(self.deadline)
        last: FetchError | None = None
        for attempt in range(self.retry.attempts):
            self._check_host(host, url)
            wait: float | None = None
            try:
                answer = await pace.run(lambda: self._attempt(client, source, method, url, headers, json_body, budget))
            except httpx.ConnectTimeout:
                error = FetchError(
                    f"cannot reach {host} (no connection within {self.connect_timeout:g} s)",
                    url=url,
                    offline=True,
                    host=host,
                )
                last = self._timed_out(host, url, error)
            except httpx.TimeoutException:
                error = FetchError(f"{host}: no answer within {self.timeout:g} s", url=url, host=host)
                last = self._timed_out(host, url, error)
            except TimeoutError:
                error = FetchError(f"{host}: answer not complete within {self.deadline:g} s", url=url, host=host)
                last = self._timed_out(host, url, error)
            except (httpx.ConnectError, httpx.ProxyError) as exc:
                last = FetchError(f"cannot reach {host} ({_reason(exc)})", url=url, offline=True, host=host)
            except httpx.UnsupportedProtocol as exc:
                raise FetchError(f"{host}: cannot fetch {url} ({_reason(exc)})", url=url, host=host) from None
            except httpx.TransportError as exc:
                # A dropped connection or a truncated body: never a usable answer.
                last = FetchError(f"{host}: the answer was cut off ({_reason(exc)})", url=url, host=host)
            except httpx.HTTPError as exc:
                last = FetchError(f"{host}: the request failed ({_reason(exc)})", url=url, host=host)
            except _TooLarge as exc:
                how = f" once decoded ({', '.join(exc.codings)})" if exc.codings else ""
                message = f"{host}: answer larger than {_size(self.max_body_bytes)}{how} refused"
                raise _Unusable(FetchError(message, url=url, host=host)) from None
            except EncodingError as exc:
                raise _Unusable(FetchError(f"{host}: {exc}", url=url, host=host)) from None
            except _Redirect as exc:
                raise _Unusable(FetchError(f"{host}: {exc}", url=url, host=host)) from None
            else:
                if self._timeouts.get(host, 0) < self.give_up_after:
                    self._timeouts.pop(host, None)  # it answers: only timeouts in a row count
                status = answer.status
                if 200 <= status < 300:
                    if validate is not None:
                        try:
                            validate(answer.body)
                        except ValueError as exc:
                            problem = FetchError(f"{url}: unusable answer: {exc}", url=url, status=status, host=host)
                            raise _Unusable(problem) from None
                    return Fetched(answer.body, status, url, self._now()), answer.crossed
                last = FetchError(
                    f"{host} answered HTTP {status} for {url}", url=url, status=status, host=host, body=answer.body
                )
                answer_headers = answer.headers
                retry_after = answer_headers.get("Retry-After")
                # GitHub signals its hourly limit with 403 and a zero remaining count, not 429.
                spent = status == 403 and answer_headers.get("X-RateLimit-Remaining") == "0"
                if spent and retry_after is None:
                    message = f"{host}: rate limit reached{_reset_time(answer_headers)}"
                    raise _Unusable(FetchError(message, url=url, status=status, host=host))
                if status != 429 and status < 500 and not (status == 403 and retry_after is not None):
                    raise last
                wait = retry_after_seconds(retry_after, self._now())
                if wait is not None and wait > self.retry.max_retry_after:
                    raise FetchError(
                        f"{host} asks to wait {wait:.0f} s (HTTP {status}); try again later",
                        url=url,
                        status=status,
                        host=host,
                    )
            if last.gave_up or attempt + 1 >= self.retry.attempts:
                break
            pause = wait if wait is not None else self.retry.delay(attempt)
            if pause >= budget.left:
                break  # no time left for another try
            await self._sleep(pause)
            budget.left -= pause
        assert last is not None
        raise last

    async def _attempt(
        self,
        client: httpx.AsyncClient,
        source: str,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        json_body: Any,
        budget: _Budget,
    ) -> _Answer:
        """One try, within what is left of the call's deadline (the time queued for a slot is not counted)."""
        # Calls queued behind a host's slots when it was given up on fail here, without asking it.
        self._check_host(_host(url), url)
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            async with asyncio.timeout(budget.left):
                return await self._send(client, source, method, url, headers, json_body)
        finally:
            budget.left -= loop.time() - started

    async def _send(
        self,
        client: httpx.AsyncClient,
        source: str,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        json_body: Any,
    ) -> _Answer:
        request = client.build_request(method, url, headers=headers, json=json_body)
        origin = request.url
        visited = {str(origin)}
        crossed = False
        for _ in range(self.max_redirects + 1):
            response = await client.send(request, stream=True)
            try:
                following = response.next_request
                if following is None:
                    body = await self._read_body(response)
                    return _Answer(response.status_code, body, response.headers, crossed)
                target = _redirect_target(response)
                self._check_redirect(source, request.url, target, response.headers["Location"])
                if str(target) in visited:
                    raise _Redirect(f"redirect loop (back to {_shown(str(target))})")
            finally:
                await response.aclose()
            visited.add(str(target))
            crossed = crossed or _ascii_host(target) != _ascii_host(origin)
            request = following
        raise _Redirect(f"more than {self.max_redirects} redirects")

    def _check_redirect(self, source: str, current: httpx.URL, target: httpx.URL, location: str) -> None:
        """Raises _Redirect unless the redirect policy allows going from ``current`` to ``target``."""
        if target.scheme not in ("http", "https"):
            raise _Redirect(f"refused redirect to {_shown(location)} (only http and https are followed)")
        if current.scheme == "https" and target.scheme == "http":
            raise _Redirect(f"refused redirect to {_shown(str(target))} (from https to plain http)")
        host = _ascii_host(target)
        if host != _ascii_host(current) and host not in REDIRECT_HOSTS.get(source, frozenset()):
            raise _Redirect(f"refused redirect to {_shown(host) or _shown(location)}")

    async def _read_body(self, response: httpx.Response) -> bytes:
        """The decoded body, counted as it is decoded: refused once past the limit at any layer of its encoding."""
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
            raise _TooLarge([])
        if response.is_stream_consumed:
            # Built in memory with its content (as mock transports do): already whole and decoded.
            if len(response.content) > self.max_body_bytes:
                raise _TooLarge([])
            return response.content
        decoder = BoundedDecoder(content_codings(response.headers.get_list("Content-Encoding")), self.max_body_bytes)
        chunks: list[bytes] = []
        try:
            async for raw in response.aiter_raw():
                chunks.extend(decoder.feed(raw))
            decoder.finish()
        except TooLarge:
            raise _TooLarge(decoder.codings) from None
        return b"".join(chunks)


def _check_headers(source: str, url: str, headers: Mapping[str, str] | None) -> None:
    """FetchError (nothing sent) for a header value httpx would refuse or a server would misread.

    The values come from the config, the keyring or a service's answer (a session
    token): a bad one must be an error the source reports, never an exception from httpx
    (UnicodeEncodeError) or a line break that ends the header early.
    """
    for name, value in (headers or {}).items():
        problem = header_problem(value)
        if problem is not None:
            # The value is never shown: it is usually a credential.
            raise FetchError(f"{source}: not sent: the {name} header holds {problem}", url=url)


def _check_json_body(source: str, url: str, body: Any) -> None:
    """FetchError (nothing sent) for a JSON body that cannot be encoded as httpx would encode it."""
    if body is None:
        return
    try:
        json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError is a ValueError
        raise FetchError(
            f"{source}: not sent: the request body cannot be encoded ({type(exc).__name__})", url=url
        ) from None


def _redirect_target(response: httpx.Response) -> httpx.URL:
    """Where a redirect leads, resolved against the URL that answered it (as the Location was given)."""
    return response.url.join(httpx.URL(response.headers["Location"]))


def _shown(text: str) -> str:
    """Text from an answer, fit for a one-line message."""
    text = plain(text)
    return text if len(text) <= 100 else text[:99] + "…"


def _reset_time(headers: httpx.Headers) -> str:
    reset = headers.get("X-RateLimit-Reset", "")
    if not reset.isdigit():
        return "; try again later"
    return f"; it resets at {datetime.fromtimestamp(int(reset), UTC):%H:%M} UTC"


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _reason(exc: Exception) -> str:
    text = plain(str(exc).strip())
    return text.splitlines()[0][:120] if text else type(exc).__name__


def _network_failure(error: FetchError) -> bool:
    """A failure a stale copy may stand in for: no answer, a 429 or a server error."""
    return error.status is None or error.status == 429 or error.status >= 500


def open_fetcher(
    config: Config,
    *,
    offline: bool = False,
    cache: AnswerCache | None = None,
    connect_timeout: float | None = None,
    deadline: float | None = None,
) -> HttpFetcher:
    """The fetcher the settings describe, caching in ``paths.cache_dir()`` unless given a cache.

    ``connect_timeout`` and ``deadline`` replace ``CONNECT_TIMEOUT`` and ``DEADLINE``
    (a caller that must report a silent host quickly asks for a shorter connect).
    """
    return HttpFetcher(
        base_urls=config.base_urls,
        cache=cache if cache is not None else AnswerCache(paths.cache_dir()),
        offline=offline,
        timeout=READ_TIMEOUT,
        connect_timeout=CONNECT_TIMEOUT if connect_timeout is None else connect_timeout,
        deadline=DEADLINE if deadline is None else deadline,
        give_up_after=GIVE_UP_AFTER,
        give_up_for=GIVE_UP_FOR,
        listing_ttl=timedelta(hours=config.freshness.listing_hours),
        live_ttl=timedelta(minutes=config.freshness.live_minutes),
    )
