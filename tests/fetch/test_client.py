"""The HTTP fetcher: retries, Retry-After, timeouts, bad bodies, offline and stale answers, arXiv pacing."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from hotpapers_tui.fetch.api import FetchError, Freshness
from hotpapers_tui.fetch.cache import AnswerCache
from hotpapers_tui.fetch.client import (
    ARXIV_PACE,
    USER_AGENT,
    HttpFetcher,
    Pace,
    RetryPolicy,
    require_json,
    retry_after_seconds,
)
from tests.fetch.conftest import PostServer, Reply, refused_url, stop

BASE = {"github_api": "https://api.test", "github_raw": "https://raw.test", "arxiv": "https://arxiv.test"}


class FakeTime:
    """A clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def scripted(*replies: httpx.Response | Exception) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering in order (the last reply repeats)."""
    seen: list[httpx.Request] = []
    queue = list(replies)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(reply, Exception):
            raise reply
        return reply

    return httpx.MockTransport(handler), seen


def fetcher(tmp_path: Path, transport: httpx.AsyncBaseTransport | None = None, **kw: object) -> HttpFetcher:
    fake = kw.pop("fake", None) or FakeTime()
    assert isinstance(fake, FakeTime)
    return HttpFetcher(
        base_urls=kw.pop("base_urls", BASE),  # type: ignore[arg-type]
        cache=AnswerCache(tmp_path / "cache"),
        transport=transport,
        clock=fake.clock,
        sleep=fake.sleep,
        **kw,  # type: ignore[arg-type]
    )


async def test_request_carries_user_agent_and_is_cached(tmp_path: Path) -> None:
    transport, seen = scripted(httpx.Response(200, json=[1, 2]))
    f = fetcher(tmp_path, transport)
    first = await f.get("github_api", "/x", params={"ref": "main"}, freshness=Freshness.LISTING)
    second = await f.get("github_api", "/x", params={"ref": "main"}, freshness=Freshness.LISTING)
    await f.aclose()
    assert first.json() == [1, 2] and not first.from_cache
    assert second.from_cache and not second.stale and second.body == first.body
    assert len(seen) == 1
    assert seen[0].headers["User-Agent"] == USER_AGENT and USER_AGENT.startswith("hotpapers-tui/")
    assert str(seen[0].url) == "https://api.test/x?ref=main"


async def test_500_then_success_retries_with_backoff(tmp_path: Path) -> None:
    fake = FakeTime()
    transport, seen = scripted(httpx.Response(500), httpx.Response(503), httpx.Response(200, text="ok"))
    f = fetcher(tmp_path, transport, fake=fake)
    got = await f.get("github_raw", "/p", freshness=Freshness.FOREVER)
    await f.aclose()
    assert got.text() == "ok" and len(seen) == 3
    assert fake.sleeps == [0.5, 1.0]


async def test_429_honours_retry_after_seconds_and_date(tmp_path: Path) -> None:
    fake = FakeTime()
    now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    later = "Sun, 01 Mar 2026 12:00:07 GMT"
    transport, seen = scripted(
        httpx.Response(429, headers={"Retry-After": "4"}),
        httpx.Response(429, headers={"Retry-After": later}),
        httpx.Response(200, text="ok"),
    )
    f = fetcher(tmp_path, transport, fake=fake, now=lambda: now)
    got = await f.get("github_raw", "/p", freshness=Freshness.FOREVER)
    await f.aclose()
    assert got.text() == "ok" and len(seen) == 3
    assert fake.sleeps == [4.0, 7.0]


def test_retry_after_parsing() -> None:
    now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds("Sun, 01 Mar 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


async def test_retry_after_beyond_cap_fails_at_once(tmp_path: Path) -> None:
    fake = FakeTime()
    transport, seen = scripted(httpx.Response(429, headers={"Retry-After": "3600"}))
    f = fetcher(tmp_path, transport, fake=fake)
    with pytest.raises(FetchError, match="asks to wait 3600 s") as caught:
        await f.get("github_api", "/x", freshness=Freshness.LISTING)
    await f.aclose()
    assert caught.value.status == 429 and len(seen) == 1 and fake.sleeps == []


async def test_github_hourly_limit_is_not_retried_and_serves_stale(tmp_path: Path) -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    reset = str(int(datetime(2026, 1, 3, 14, 5, tzinfo=UTC).timestamp()))
    limited = httpx.Response(403, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset})
    transport, seen = scripted(httpx.Response(200, json=["kept"]), limited)
    f = fetcher(tmp_path, transport, now=lambda: now[0])
    await f.get("github_api", "/x", freshness=Freshness.LISTING)
    now[0] += timedelta(days=2)
    got = await f.get("github_api", "/x", freshness=Freshness.LISTING)
    assert got.stale and got.json() == ["kept"]
    with pytest.raises(FetchError, match="rate limit reached; it resets at 14:05 UTC") as caught:
        await f.get("github_api", "/y", freshness=Freshness.LISTING)
    await f.aclose()
    assert caught.value.status == 403 and len(seen) == 3


async def test_plain_403_is_not_retried(tmp_path: Path) -> None:
    transport, seen = scripted(httpx.Response(403))
    f = fetcher(tmp_path, transport)
    with pytest.raises(FetchError, match="HTTP 403"):
        await f.get("github_api", "/x", freshness=Freshness.LISTING)
    await f.aclose()
    assert len(seen) == 1


async def test_retries_are_capped(tmp_path: Path) -> None:
    fake = FakeTime()
    transport, seen = scripted(httpx.Response(502))
    f = fetcher(tmp_path, transport, fake=fake, retry=RetryPolicy(attempts=3))
    with pytest.raises(FetchError, match="HTTP 502") as caught:
        await f.get("github_api", "/x", freshness=Freshness.LISTING)
    await f.aclose()
    assert caught.value.status == 502 and len(seen) == 3 and len(fake.sleeps) == 2


async def test_404_is_not_retried_and_not_cached(tmp_path: Path) -> None:
    transport, seen = scripted(httpx.Response(404), httpx.Response(200, text="now here"))
    f = fetcher(tmp_path, transport)
    with pytest.raises(FetchError) as caught:
        await f.get("github_raw", "/p", freshness=Freshness.FOREVER)
    assert caught.value.status == 404 and len(seen) == 1
    assert (await f.get("github_raw", "/p", freshness=Freshness.FOREVER)).text() == "now here"
    await f.aclose()


async def test_invalid_json_is_a_clear_error_and_never_cached(tmp_path: Path) -> None:
    transport, seen = scripted(httpx.Response(200, text='[{"name": "trunc'), httpx.Response(200, json=[]))
    f = fetcher(tmp_path, transport)
    with pytest.raises(FetchError, match="unusable answer: invalid JSON"):
        await f.get("github_api", "/x", freshness=Freshness.LISTING, validate=require_json)
    assert (await f.get("github_api", "/x", freshness=Freshness.LISTING, validate=require_json)).json() == []
    await f.aclose()
    assert len(seen) == 2


async def test_invalid_json_falls_back_to_the_cached_copy(tmp_path: Path) -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    transport, _ = scripted(httpx.Response(200, json=["old"]), httpx.Response(200, text="<html>oops"))
    f = fetcher(tmp_path, transport, now=lambda: now[0])
    await f.get("github_api", "/x", freshness=Freshness.LISTING, validate=require_json)
    now[0] += timedelta(days=2)
    got = await f.get("github_api", "/x", freshness=Freshness.LISTING, validate=require_json)
    await f.aclose()
    assert got.json() == ["old"] and got.stale and got.fetched_at == datetime(2026, 1, 1, tzinfo=UTC)


async def test_huge_response_is_refused_and_the_cache_kept(tmp_path: Path) -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    transport, _ = scripted(httpx.Response(200, text="small"), httpx.Response(200, content=b"x" * 5000))
    f = fetcher(tmp_path, transport, max_body_bytes=1000, now=lambda: now[0])
    await f.get("github_api", "/x", freshness=Freshness.LISTING)
    now[0] += timedelta(days=2)
    got = await f.get("github_api", "/x", freshness=Freshness.LISTING)
    await f.aclose()
    assert got.text() == "small" and got.stale


async def test_huge_streamed_response_without_length_is_refused(tmp_path: Path) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b"y" * 100

    transport, _ = scripted(httpx.Response(200, content=chunks()))
    f = fetcher(tmp_path, transport, max_body_bytes=1000)
    with pytest.raises(FetchError, match="larger than"):
        await f.get("github_raw", "/huge", freshness=Freshness.FOREVER)
    await f.aclose()


async def test_freshness_by_meaning(tmp_path: Path) -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    transport, seen = scripted(httpx.Response(200, text="v"))
    f = fetcher(tmp_path, transport, now=lambda: now[0], live_ttl=timedelta(minutes=10))
    for path, kind in [("/f", Freshness.FOREVER), ("/l", Freshness.LISTING), ("/v", Freshness.LIVE)]:
        await f.get("github_raw", path, freshness=kind)
    await f.get("github_raw", "/n", freshness=Freshness.NONE)
    await f.get("github_raw", "/n", freshness=Freshness.NONE)
    assert len(seen) == 5  # NONE is never cached
    now[0] += timedelta(minutes=11)
    for path, kind in [("/f", Freshness.FOREVER), ("/l", Freshness.LISTING), ("/v", Freshness.LIVE)]:
        await f.get("github_raw", path, freshness=kind)
    assert [r.url.path for r in seen[5:]] == ["/v"]
    now[0] += timedelta(days=1)
    for path, kind in [("/f", Freshness.FOREVER), ("/l", Freshness.LISTING)]:
        await f.get("github_raw", path, freshness=kind)
    assert [r.url.path for r in seen[6:]] == ["/l"]
    await f.get("github_raw", "/f", freshness=Freshness.FOREVER, refresh=True)
    assert [r.url.path for r in seen[7:]] == ["/f"]
    await f.aclose()


async def test_offline_never_touches_the_network(tmp_path: Path) -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    transport, seen = scripted(httpx.Response(200, text="kept"))
    online = fetcher(tmp_path, transport, now=lambda: now[0])
    await online.get("github_api", "/x", freshness=Freshness.LISTING)
    await online.aclose()
    now[0] += timedelta(days=3)
    offline = fetcher(tmp_path, transport, offline=True, now=lambda: now[0])
    got = await offline.get("github_api", "/x", freshness=Freshness.LISTING)
    assert got.text() == "kept" and got.from_cache and got.stale
    with pytest.raises(FetchError, match="offline") as caught:
        await offline.get("github_api", "/other", freshness=Freshness.LISTING)
    assert caught.value.offline
    with pytest.raises(FetchError, match="offline"):
        await offline.post("bluesky_auth", "/xrpc/s", json_body={})
    await offline.aclose()
    assert len(seen) == 1


async def test_connection_refused_is_offline_and_serves_stale(tmp_path: Path, serve: Callable[..., PostServer]) -> None:
    fake = FakeTime()
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    server = serve([])
    server.faults["/x"] = [Reply(body=b"cached once")]
    up = fetcher(tmp_path, base_urls={"github_api": server.base_url}, now=lambda: now[0])
    await up.get("github_api", "/x", freshness=Freshness.LISTING)
    await up.aclose()
    stop(server)
    now[0] += timedelta(days=2)
    down = fetcher(tmp_path, base_urls={"github_api": server.base_url}, now=lambda: now[0], fake=fake)
    got = await down.get("github_api", "/x", freshness=Freshness.LISTING)
    assert got.stale and got.text() == "cached once"
    assert got.fetched_at == datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(FetchError, match=r"cannot reach 127\.0\.0\.1") as caught:
        await down.get("github_api", "/never", freshness=Freshness.LISTING)
    await down.aclose()
    assert caught.value.offline and caught.value.status is None
    assert fake.sleeps == [0.5, 1.0] * 2  # retried, within the cap, for each call


async def test_connection_refused_without_cache_is_one_clear_error(tmp_path: Path) -> None:
    f = fetcher(tmp_path, base_urls={"github_raw": refused_url()})
    with pytest.raises(FetchError, match=r"^cannot reach 127\.0\.0\.1 \(") as caught:
        await f.get("github_raw", "/p", freshness=Freshness.FOREVER)
    await f.aclose()
    assert caught.value.offline


async def test_timeout_ends_within_the_configured_time(tmp_path: Path, serve: Callable[..., PostServer]) -> None:
    server = serve([])
    server.faults["/slow"] = [Reply(body=b"late", delay=10.0)] * 3
    f = HttpFetcher(
        base_urls={"github_raw": server.base_url},
        cache=AnswerCache(tmp_path / "cache"),
        timeout=0.2,
        retry=RetryPolicy(attempts=2, backoff=0.01),
    )
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"no answer within 0\.2 s"):
        await f.get("github_raw", "/slow", freshness=Freshness.FOREVER)
    elapsed = time.monotonic() - started
    await f.aclose()
    assert elapsed < 5  # two tries of 0.2 s and a short pause, far below the server's 10 s delay


async def test_dripping_server_is_cut_at_the_deadline(tmp_path: Path) -> None:
    async def drip():  # type: ignore[no-untyped-def]
        for _ in range(1000):
            await asyncio.sleep(0.02)
            yield b"."

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=drip())

    f = fetcher(tmp_path, httpx.MockTransport(handler), deadline=0.15, retry=RetryPolicy(attempts=2))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"answer not complete within 0\.15 s"):
        await f.get("github_raw", "/drip", freshness=Freshness.FOREVER)
    await f.aclose()
    assert len(seen) == 1  # the deadline is for the whole call: the first try used it all
    assert time.monotonic() - started < 10  # cut at 0.15 s; the body would take 20 s


async def test_truncated_body_is_never_cached(tmp_path: Path, serve: Callable[..., PostServer]) -> None:
    server = serve([])
    body = b"A" * 5000
    server.faults["/t"] = [Reply(body=body, truncate_to=100)] * 3 + [Reply(body=body)]
    f = HttpFetcher(
        base_urls={"github_raw": server.base_url},
        cache=AnswerCache(tmp_path / "cache"),
        timeout=2,
        retry=RetryPolicy(attempts=3, backoff=0.01),
    )
    with pytest.raises(FetchError, match="cut off"):
        await f.get("github_raw", "/t", freshness=Freshness.FOREVER)
    got = await f.get("github_raw", "/t", freshness=Freshness.FOREVER)
    assert got.body == body and not got.from_cache
    again = await f.get("github_raw", "/t", freshness=Freshness.FOREVER)
    await f.aclose()
    assert again.from_cache and again.body == body


async def test_two_arxiv_requests_are_never_closer_than_3_seconds(tmp_path: Path) -> None:
    fake = FakeTime()
    starts: list[float] = []
    active = 0
    most_active = 0
    failed_once = False

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal active, most_active, failed_once
        starts.append(fake.clock())
        active += 1
        most_active = max(most_active, active)
        await asyncio.sleep(0)  # let others try to start meanwhile
        active -= 1
        if request.url.params.get("id_list") == "2" and not failed_once:
            failed_once = True
            return httpx.Response(503)  # a retry counts as a request too, and is paced like one
        return httpx.Response(200, text="<feed/>")

    pace = Pace(interval=3.0, connections=1, clock=fake.clock, sleep=fake.sleep)
    f = fetcher(
        tmp_path,
        httpx.MockTransport(handler),
        fake=fake,
        paces={"arxiv": pace},
        retry=RetryPolicy(attempts=3, backoff=0.1),
    )
    await asyncio.gather(
        *(f.get("arxiv", "/api/query", params={"id_list": str(i)}, freshness=Freshness.FOREVER) for i in range(5))
    )
    await f.aclose()
    assert len(starts) == 6
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 3.0
    assert most_active == 1


async def test_other_hosts_run_concurrently(tmp_path: Path) -> None:
    active = 0
    most_active = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal active, most_active
        active += 1
        most_active = max(most_active, active)
        await asyncio.sleep(0.01)
        active -= 1
        return httpx.Response(200, text="x")

    f = fetcher(tmp_path, httpx.MockTransport(handler), connections_per_host=4)
    await asyncio.gather(*(f.get("github_raw", f"/{i}", freshness=Freshness.FOREVER) for i in range(12)))
    await f.aclose()
    assert most_active == 4


async def test_unknown_source_and_bad_path_are_programming_errors(tmp_path: Path) -> None:
    f = fetcher(tmp_path, scripted(httpx.Response(200))[0])
    with pytest.raises(ValueError, match="unknown source"):
        await f.get("nowhere", "/x", freshness=Freshness.NONE)
    with pytest.raises(ValueError, match="must start with"):
        await f.get("arxiv", "api", freshness=Freshness.NONE)
    await f.aclose()


async def test_arxiv_pace_holds_across_fetchers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeTime()
    monkeypatch.setattr(ARXIV_PACE, "clock", fake.clock)
    monkeypatch.setattr(ARXIV_PACE, "sleep", fake.sleep)
    monkeypatch.setattr(ARXIV_PACE, "_next", float("-inf"))
    starts: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        starts.append(fake.clock())
        return httpx.Response(200, text="<feed/>")

    one = fetcher(tmp_path / "a", httpx.MockTransport(handler), fake=fake)
    two = fetcher(tmp_path / "b", httpx.MockTransport(handler), fake=fake)
    await asyncio.gather(
        *(
            f.get("arxiv", "/api/query", params={"id_list": f"{i}"}, freshness=Freshness.NONE)
            for i, f in enumerate([one, two, one, two])
        )
    )
    await one.aclose()
    await two.aclose()
    assert len(starts) == 4
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 3.0


SECRET = "s3cr\u00e9t-Tq19"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (f"Bearer {SECRET}", "a character that is not ASCII"),
        ("Bearer abc\r\nX-Injected: 1", "a line break"),
        ("Bearer abc\n", "a line break"),
        ("Bearer a\x00c", "a control character"),
        ("Bearer a\x7fc", "a control character"),
        (" Bearer abc", "leading or trailing white space"),
    ],
)
async def test_a_header_value_that_cannot_be_sent_is_a_fetch_error_before_sending(
    tmp_path: Path, value: str, problem: str
) -> None:
    transport, seen = scripted(httpx.Response(200, text="ok"))
    f = fetcher(tmp_path, transport)
    try:
        with pytest.raises(FetchError) as get_error:
            await f.get("github_api", "/x", headers={"Authorization": value}, freshness=Freshness.NONE)
        with pytest.raises(FetchError) as post_error:
            await f.post("github_api", "/x", json_body={}, headers={"Authorization": value})
    finally:
        await f.aclose()
    assert seen == []
    for error in (get_error.value, post_error.value):
        assert str(error) == f"github_api: not sent: the Authorization header holds {problem}"
        assert not error.offline and error.status is None and not error.gave_up
        assert SECRET not in str(error) and "abc" not in str(error)
    assert f.given_up == frozenset()  # a bad header is no sign of a bad host


async def test_a_param_or_body_that_cannot_be_encoded_is_a_fetch_error_before_sending(tmp_path: Path) -> None:
    transport, seen = scripted(httpx.Response(200, text="ok"))
    f = fetcher(tmp_path, transport)
    try:
        with pytest.raises(
            FetchError,
            match=r"^github_api: not sent: the 'cursor' parameter holds a lone surrogate, which no URL can hold$",
        ):
            await f.get("github_api", "/x", params={"cursor": "ab\ud800"}, freshness=Freshness.LISTING)
        with pytest.raises(FetchError, match=r"^github_api: not sent: the request body cannot be encoded"):
            await f.post("github_api", "/x", json_body={"identifier": "me\udcff"})
        with pytest.raises(FetchError, match=r"^github_api: not sent: the request body cannot be encoded"):
            await f.post("github_api", "/x", json_body={"n": float("nan")})
        # Plain text, line breaks and NULs in a param are percent-encoded, as they should be.
        await f.get("github_api", "/x", params={"q": "a\nb\x00 é"}, freshness=Freshness.NONE)
    finally:
        await f.aclose()
    assert [str(r.url) for r in seen] == ["https://api.test/x?q=a%0Ab%00+%C3%A9"]
