"""Hostile servers on 127.0.0.1: compression bombs, slow drips, hosts that never answer, redirects, deep JSON."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from hotpapers_tui.config import Config
from hotpapers_tui.fetch.api import Fetched, FetchError, Freshness, give_up_for_the_run, giving_up_for_the_run
from hotpapers_tui.fetch.cache import AnswerCache
from hotpapers_tui.fetch.client import (
    CONNECT_TIMEOUT,
    READ_TIMEOUT,
    HttpFetcher,
    RetryPolicy,
    open_fetcher,
    require_json,
)
from tests.fetch.conftest import PostServer, Reply, layered_bomb

MB = 1024 * 1024


def at(server: PostServer, tmp_path: Path, **kw: object) -> HttpFetcher:
    """A fetcher whose GitHub sources point at ``server``, with short pauses between tries."""
    kw.setdefault("retry", RetryPolicy(attempts=3, backoff=0.01))
    return HttpFetcher(
        base_urls={"github_api": server.base_url, "github_raw": server.base_url},
        cache=AnswerCache(tmp_path / "cache"),
        **kw,  # type: ignore[arg-type]
    )


def deflate(data: bytes, wbits: int) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return c.compress(data) + c.flush()


# -- point 1: the size limit holds on decoded bytes, whatever the encoding chain ----------------------------------


async def test_layered_gzip_bomb_is_refused_at_the_limit(tmp_path: Path, serve: Callable[..., PostServer]) -> None:
    server = serve([])
    bomb = layered_bomb(1024)  # 1 GiB of zeros in about 2.5 kB
    assert len(bomb) < 4000
    server.faults["/bomb"] = [Reply(body=bomb, headers={"Content-Encoding": "gzip, gzip"})]
    f = at(server, tmp_path, max_body_bytes=2 * MB)
    with pytest.raises(FetchError) as caught:
        await f.get("github_raw", "/bomb", freshness=Freshness.FOREVER)
    await f.aclose()
    assert str(caught.value) == "127.0.0.1: answer larger than 2 MB once decoded (gzip, gzip) refused"
    assert server.paths_seen() == ["/bomb"]  # refused, not retried


async def test_a_bomb_keeps_the_cached_copy(tmp_path: Path, serve: Callable[..., PostServer]) -> None:
    server = serve([])
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    server.faults["/list"] = [
        Reply(body=b"[1]"),
        Reply(body=layered_bomb(64), headers={"Content-Encoding": "gzip, gzip"}),
    ]
    f = at(server, tmp_path, max_body_bytes=MB, now=lambda: now[0])
    await f.get("github_api", "/list", freshness=Freshness.LISTING)
    now[0] += timedelta(days=2)
    got = await f.get("github_api", "/list", freshness=Freshness.LISTING)
    await f.aclose()
    assert got.stale and got.body == b"[1]"


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", lambda b: deflate(b, zlib.MAX_WBITS)),
        ("deflate", lambda b: deflate(b, -zlib.MAX_WBITS)),  # raw deflate, as some servers send it
        ("gzip, gzip", lambda b: gzip.compress(gzip.compress(b))),
        ("deflate, gzip", lambda b: gzip.compress(deflate(b, zlib.MAX_WBITS))),
        ("identity", lambda b: b),
    ],
)
async def test_encoded_answers_are_decoded(
    tmp_path: Path, serve: Callable[..., PostServer], encoding: str, encode: Callable[[bytes], bytes]
) -> None:
    server = serve([])
    content = os.urandom(200_000) + b"text " * 100_000  # some incompressible, some not: many decode steps
    server.faults["/p"] = [Reply(body=encode(content), headers={"Content-Encoding": encoding})]
    f = at(server, tmp_path)
    got = await f.get("github_raw", "/p", freshness=Freshness.FOREVER)
    await f.aclose()
    assert got.body == content


async def test_only_decodable_encodings_are_asked_for(tmp_path: Path, serve: Callable[..., PostServer]) -> None:
    server = serve([])
    server.faults["/p"] = [Reply(body=b"x")]
    f = at(server, tmp_path)
    await f.get("github_raw", "/p", freshness=Freshness.NONE)
    await f.aclose()
    headers = {k.lower(): v for k, v in server.seen[0][1].items()}
    assert headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize(
    ("encoding", "body", "message"),
    [
        ("br", b"\x1b\x00\x00", "127.0.0.1: unsupported Content-Encoding 'br'"),
        ("gzip", b"this is not gzip", "127.0.0.1: invalid gzip data ("),
        ("gzip", gzip.compress(b"x" * 5000)[:-12], "127.0.0.1: the gzip data ends early"),
        ("gzip, gzip, gzip, gzip, gzip", b"", "127.0.0.1: 5 layers of Content-Encoding (at most 4 are undone)"),
    ],
)
async def test_undecodable_answers_are_one_clear_error(
    tmp_path: Path, serve: Callable[..., PostServer], encoding: str, body: bytes, message: str
) -> None:
    server = serve([])
    server.faults["/p"] = [Reply(body=body, headers={"Content-Encoding": encoding})]
    f = at(server, tmp_path)
    with pytest.raises(FetchError) as caught:
        await f.get("github_raw", "/p", freshness=Freshness.FOREVER)
    await f.aclose()
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


_MEMORY_PROBE = textwrap.dedent(
    """
    import asyncio, json, resource, sys
    from hotpapers_tui.fetch.api import FetchError, Freshness
    from hotpapers_tui.fetch.client import HttpFetcher

    def status(field):
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))

    # A decoder that inflates the bomb whole fails fast here instead of taking the machine's memory.
    limit = status("VmSize") * 1024 + (1 << 30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    async def main(base):
        f = HttpFetcher(base_urls={"github_raw": base}, cache=None)
        # Warm up on an ordinary gzip answer: imports, the client and zlib are part of the baseline.
        await f.get("github_raw", "/small", freshness=Freshness.NONE)
        # Reset the high-water mark (Linux's clear_refs "5") so the peak is the request's own,
        # not one left from start-up; where that is refused, the lifetime peak is an upper bound.
        try:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")
            reset = True
        except OSError:
            reset = False
        baseline = status("VmRSS")
        try:
            await f.get("github_raw", "/bomb", freshness=Freshness.NONE)
            outcome = "accepted"
        except FetchError as exc:
            outcome = str(exc)
        peak = status("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        await f.aclose()
        print(json.dumps({"baseline_kb": baseline, "peak_kb": peak, "outcome": outcome}))

    asyncio.run(main(sys.argv[1]))
    """
)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmRSS and VmSize from /proc")
def test_layered_4gb_bomb_is_refused_in_bounded_memory(serve: Callable[..., PostServer]) -> None:
    """The issue's case: ``gzip, gzip`` inflating to 4 GiB, with the default 32 MB limit.

    Measured in a child process as its peak resident set (``VmHWM``, the high-water mark,
    reset just before the request) above its resident set at that moment: everything the process holds,
    zlib's buffers and allocator slack included, which tracemalloc (Python allocations
    only, and slowing the decoding several times) would not show.
    """
    server = serve([])
    bomb = layered_bomb(4096)
    server.faults["/small"] = [Reply(body=gzip.compress(b"ok" * 1000), headers={"Content-Encoding": "gzip"})]
    server.faults["/bomb"] = [Reply(body=bomb, headers={"Content-Encoding": "gzip, gzip"})]
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, server.base_url],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    grown_mb = (result["peak_kb"] - result["baseline_kb"]) / 1024
    print(f"{len(bomb)}-byte body inflating to 4 GiB: refused with peak RSS {grown_mb:.1f} MB above the baseline")
    assert result["outcome"] == "127.0.0.1: answer larger than 32 MB once decoded (gzip, gzip) refused"
    assert grown_mb < 100


# -- point 6: a total deadline, a short connect timeout, giving up on a host -----------------------------------------


async def test_slow_drip_is_cut_at_the_total_deadline(tmp_path: Path, serve: Callable[..., PostServer]) -> None:
    server = serve([])
    # One byte every 50 ms: each read is quick, so only a deadline on the whole call ends it.
    server.faults["/drip"] = [Reply(body=b"." * 2000, drip=0.05)] * 3
    f = at(server, tmp_path, timeout=5, deadline=0.6)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        await f.get("github_raw", "/drip", freshness=Freshness.FOREVER)
    elapsed = time.monotonic() - started
    await f.aclose()
    assert str(caught.value) == "127.0.0.1: answer not complete within 0.6 s"
    assert caught.value.host == "127.0.0.1" and not caught.value.gave_up
    # The deadline covers every try: the first used it all, so there was no second one.
    assert server.paths_seen() == ["/drip"]
    assert elapsed < 1.8  # three tries of 0.6 s would take longer


async def test_retries_share_the_deadline(tmp_path: Path, serve: Callable[..., PostServer]) -> None:
    server = serve([])
    server.faults["/slow"] = [Reply(body=b"late", delay=5.0)] * 5
    f = at(server, tmp_path, timeout=0.3, deadline=0.8, give_up_after=10, retry=RetryPolicy(attempts=5, backoff=0.05))
    with pytest.raises(FetchError, match=r"no answer within 0\.3 s|answer not complete within 0\.8 s"):
        await f.get("github_raw", "/slow", freshness=Freshness.FOREVER)
    await f.aclose()
    # 0.3 s per try and short pauses: the 0.8 s deadline leaves room for three tries of the five allowed.
    assert 2 <= len(server.paths_seen()) <= 3


async def test_a_host_that_keeps_timing_out_is_given_up(tmp_path: Path, serve: Callable[..., PostServer]) -> None:
    server = serve([])
    for path in ("/a", "/b", "/c"):
        server.faults[path] = [Reply(body=b"late", delay=3.0)] * 3
    f = at(server, tmp_path, timeout=0.2, give_up_after=3, retry=RetryPolicy(attempts=2, backoff=0.01))
    with pytest.raises(FetchError, match=r"^127\.0\.0\.1: no answer within 0\.2 s$") as first:
        await f.get("github_raw", "/a", freshness=Freshness.FOREVER)
    assert not first.value.gave_up
    with pytest.raises(FetchError) as second:
        await f.get("github_raw", "/b", freshness=Freshness.FOREVER)
    assert str(second.value) == "gave up on 127.0.0.1 after 3 timeouts"
    assert second.value.gave_up and second.value.host == "127.0.0.1" and second.value.status is None
    asked = len(server.seen)
    with pytest.raises(FetchError, match=r"^gave up on 127\.0\.0\.1 after 3 timeouts$") as third:
        await f.get("github_api", "/c", freshness=Freshness.LISTING)
    assert len(server.seen) == asked  # failed at once, without asking
    assert third.value.gave_up and f.given_up == {"127.0.0.1"}
    await f.aclose()


async def test_an_answer_between_timeouts_starts_the_count_again(
    tmp_path: Path, serve: Callable[..., PostServer]
) -> None:
    server = serve([])
    late = Reply(body=b"late", delay=3.0)
    server.faults["/p"] = [late, late, Reply(body=b"ok"), late, late, Reply(body=b"ok")]
    f = at(server, tmp_path, timeout=0.2, give_up_after=3, retry=RetryPolicy(attempts=3, backoff=0.01))
    first = await f.get("github_raw", "/p", freshness=Freshness.NONE)
    second = await f.get("github_raw", "/p", freshness=Freshness.NONE)
    await f.aclose()
    assert first.body == second.body == b"ok" and f.given_up == frozenset()


async def test_a_host_given_up_on_still_serves_the_cache(tmp_path: Path, serve: Callable[..., PostServer]) -> None:
    server = serve([])
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    server.faults["/list"] = [Reply(body=b"[1]")] + [Reply(body=b"late", delay=3.0)] * 3
    f = at(
        server, tmp_path, timeout=0.2, give_up_after=2, retry=RetryPolicy(attempts=3, backoff=0.01), now=lambda: now[0]
    )
    await f.get("github_api", "/list", freshness=Freshness.LISTING)
    now[0] += timedelta(days=2)
    got = await f.get("github_api", "/list", freshness=Freshness.LISTING)
    again = await f.get("github_api", "/list", freshness=Freshness.LISTING)
    await f.aclose()
    assert got.stale and again.stale and got.body == again.body == b"[1]"
    assert f.given_up == {"127.0.0.1"}


async def test_a_host_given_up_on_is_asked_again_after_a_while(tmp_path: Path) -> None:
    clock = [1000.0]
    answers: list[httpx.Response | Exception] = [httpx.ReadTimeout("slow")] * 3 + [httpx.Response(200, text="back")]
    asked: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(clock[0])
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def no_wait(seconds: float) -> None:
        pass

    f = HttpFetcher(
        cache=AnswerCache(tmp_path / "cache"),
        transport=httpx.MockTransport(handler),
        give_up_after=2,
        give_up_for=60.0,
        clock=lambda: clock[0],
        sleep=no_wait,
    )
    with pytest.raises(FetchError, match=r"^gave up on raw\.githubusercontent\.com after 2 timeouts$"):
        await f.get("github_raw", "/p", freshness=Freshness.NONE)
    clock[0] += 59
    with pytest.raises(FetchError, match=r"^gave up on"):
        await f.get("github_raw", "/p", freshness=Freshness.NONE)
    assert asked == [1000.0, 1000.0]  # not asked within the minute
    clock[0] += 1
    with pytest.raises(FetchError, match=r"^gave up on"):
        await f.get("github_raw", "/p", freshness=Freshness.NONE)
    assert asked == [1000.0, 1000.0, 1060.0]  # asked once more; one timeout gave up again
    clock[0] += 60
    got = await f.get("github_raw", "/p", freshness=Freshness.NONE)
    await f.aclose()
    assert got.text() == "back" and f.given_up == frozenset()


async def test_within_a_one_shot_run_a_host_given_up_on_stays_given_up(tmp_path: Path) -> None:
    clock = [1000.0]
    asked: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(clock[0])
        raise httpx.ReadTimeout("slow")

    async def no_wait(seconds: float) -> None:
        pass

    f = HttpFetcher(
        cache=AnswerCache(tmp_path / "cache"),
        transport=httpx.MockTransport(handler),
        give_up_after=2,
        give_up_for=60.0,
        clock=lambda: clock[0],
        sleep=no_wait,
    )

    async def in_another_task() -> None:
        # A build runs its sources in tasks of their own: they are part of the run too.
        with pytest.raises(FetchError, match=r"^gave up on raw\.githubusercontent\.com after 2 timeouts$"):
            await f.get("github_raw", "/q", freshness=Freshness.NONE)

    with give_up_for_the_run():
        with pytest.raises(FetchError, match=r"^gave up on raw\.githubusercontent\.com after 2 timeouts$"):
            await f.get("github_raw", "/p", freshness=Freshness.NONE)
        for _ in range(3):
            clock[0] += 3600  # hours later, still the same run
            await asyncio.gather(in_another_task())
        assert asked == [1000.0, 1000.0]
        assert giving_up_for_the_run()
    assert not giving_up_for_the_run()
    # Outside the run (the reader), the window applies again.
    with pytest.raises(FetchError, match=r"^gave up on"):
        await f.get("github_raw", "/p", freshness=Freshness.NONE)
    await f.aclose()
    assert asked == [1000.0, 1000.0, clock[0]]


async def test_a_base_url_whose_host_is_not_punycode_is_a_fetch_error(tmp_path: Path) -> None:
    # A PDS named by a session's DID document, or a base URL the config let through.
    seen: list[httpx.Request] = []
    f = HttpFetcher(
        cache=AnswerCache(tmp_path / "cache"),
        transport=httpx.MockTransport(lambda request: seen.append(request) or httpx.Response(200)),
    )
    with pytest.raises(FetchError, match=r"^bluesky: invalid address 'https://xn--zz\.test' \("):
        await f.get("bluesky", "/xrpc/x", freshness=Freshness.NONE, base_url="https://xn--zz.test")
    with pytest.raises(FetchError, match=r"^bluesky: invalid address 'https://xn--zz\.test' \("):
        await f.post("bluesky", "/xrpc/x", json_body={}, base_url="https://xn--zz.test")
    await f.aclose()
    assert seen == []


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port on 127.0.0.1 whose connection queue is full: connecting hangs, as with a host that drops packets."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(2):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    probe = socket.socket()
    probe.settimeout(0.3)
    try:
        probe.connect(("127.0.0.1", port))
        pytest.skip("this system accepts connections beyond a full queue, so connecting never hangs")
    except TimeoutError:
        pass
    finally:
        probe.close()
    yield port
    for s in [*fillers, listener]:
        s.close()


async def test_connect_timeout_is_short_and_separate_from_the_read_timeout(tmp_path: Path, silent_port: int) -> None:
    f = HttpFetcher(
        base_urls={"github_raw": f"http://127.0.0.1:{silent_port}"},
        cache=AnswerCache(tmp_path / "cache"),
        connect_timeout=0.3,
        timeout=30,
        retry=RetryPolicy(attempts=1),
    )
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        await f.get("github_raw", "/p", freshness=Freshness.FOREVER)
    elapsed = time.monotonic() - started
    await f.aclose()
    assert str(caught.value) == "cannot reach 127.0.0.1 (no connection within 0.3 s)"
    assert caught.value.offline
    assert elapsed < 5  # the 30 s read timeout played no part


def test_open_fetcher_exposes_the_connect_timeout_and_the_deadline(tmp_path: Path) -> None:
    config = Config()
    default = open_fetcher(config, cache=AnswerCache(tmp_path / "a"))
    quick = open_fetcher(config, cache=AnswerCache(tmp_path / "b"), connect_timeout=2.0, deadline=20.0)
    assert (default.connect_timeout, default.timeout) == (CONNECT_TIMEOUT, READ_TIMEOUT)
    assert CONNECT_TIMEOUT < READ_TIMEOUT
    assert (quick.connect_timeout, quick.deadline) == (2.0, 20.0)
    timeout = quick._client_now().timeout
    assert (timeout.connect, timeout.read) == (2.0, READ_TIMEOUT)


# -- point 7: redirects, deep JSON ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("http://evil.test/x", "127.0.0.1: refused redirect to evil.test"),
        ("//evil.test/x", "127.0.0.1: refused redirect to evil.test"),
        ("file:///etc/passwd", "127.0.0.1: refused redirect to file:///etc/passwd (only http and https are followed)"),
        ("ftp://127.0.0.1/x", "127.0.0.1: refused redirect to ftp://127.0.0.1/x (only http and https are followed)"),
        ("http://[::1", "127.0.0.1: refused redirect to an invalid address"),
        # An "xn--" label that is not punycode: httpx raised IDNAError decoding it.
        ("http://xn--zz.test/x", "127.0.0.1: refused redirect to an invalid address"),
        ("//xn--zz.test/x", "127.0.0.1: refused redirect to an invalid address"),
        # A valid one is named as sent, never decoded (no lookalike letters in a message).
        ("http://xn--pd-3sa.example/x", "127.0.0.1: refused redirect to xn--pd-3sa.example"),
    ],
)
async def test_redirects_off_the_policy_are_refused(
    tmp_path: Path, serve: Callable[..., PostServer], location: str, message: str
) -> None:
    server = serve([])
    server.faults["/p"] = [Reply(status=302, headers={"Location": location})] * 3
    f = at(server, tmp_path)
    with pytest.raises(FetchError) as caught:
        await f.get("github_raw", "/p", freshness=Freshness.FOREVER)
    await f.aclose()
    assert str(caught.value) == message
    assert "cut off" not in str(caught.value)
    assert server.paths_seen() == ["/p"]  # neither followed nor retried


async def test_a_redirect_loop_is_one_clear_error(tmp_path: Path, serve: Callable[..., PostServer]) -> None:
    server = serve([])
    server.faults["/a"] = [Reply(status=301, headers={"Location": "/b"})] * 3
    server.faults["/b"] = [Reply(status=302, headers={"Location": f"{server.base_url}/a"})] * 3
    f = at(server, tmp_path)
    with pytest.raises(FetchError) as caught:
        await f.get("github_raw", "/a", freshness=Freshness.FOREVER)
    await f.aclose()
    assert str(caught.value) == f"127.0.0.1: redirect loop (back to {server.base_url}/a)"
    assert server.paths_seen() == ["/a", "/b"]


async def test_a_long_redirect_chain_stops(tmp_path: Path, serve: Callable[..., PostServer]) -> None:
    server = serve([])
    for i in range(10):
        server.faults[f"/{i}"] = [Reply(status=307, headers={"Location": f"/{i + 1}"})]
    f = at(server, tmp_path, max_redirects=5)
    with pytest.raises(FetchError, match=r"^127\.0\.0\.1: more than 5 redirects$"):
        await f.get("github_raw", "/0", freshness=Freshness.FOREVER)
    await f.aclose()
    assert len(server.seen) == 6


async def test_a_same_host_redirect_is_followed_and_cached(tmp_path: Path, serve: Callable[..., PostServer]) -> None:
    server = serve([])
    server.faults["/old"] = [Reply(status=301, headers={"Location": "/new"})]
    server.faults["/new"] = [Reply(body=b"moved here")]
    f = at(server, tmp_path)
    first = await f.get("github_raw", "/old", freshness=Freshness.FOREVER)
    second = await f.get("github_raw", "/old", freshness=Freshness.FOREVER)
    await f.aclose()
    assert first.body == second.body == b"moved here"
    assert second.from_cache and server.paths_seen() == ["/old", "/new"]


def _github(request: httpx.Request) -> httpx.Response:
    """GitHub's hosts as a mock: the API sends one path to the raw host, another to a plain-http address."""
    if request.url.host == "api.github.com" and request.url.path == "/moved":
        return httpx.Response(302, headers={"Location": "https://raw.githubusercontent.com/o/r/main/p.md"})
    if request.url.host == "api.github.com" and request.url.path == "/down":
        return httpx.Response(301, headers={"Location": "http://api.github.com/x"})
    if request.url.host == "raw.githubusercontent.com":
        return httpx.Response(200, text="from the raw host")
    return httpx.Response(404)


async def test_a_redirect_to_a_known_host_is_followed_but_never_cached(tmp_path: Path) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return _github(request)

    f = HttpFetcher(cache=AnswerCache(tmp_path / "cache"), transport=httpx.MockTransport(handler))
    first = await f.get("github_api", "/moved", freshness=Freshness.FOREVER)
    second = await f.get("github_api", "/moved", freshness=Freshness.FOREVER)
    with pytest.raises(FetchError, match=r"^api\.github\.com: refused redirect to http://api\.github\.com/x "):
        await f.get("github_api", "/down", freshness=Freshness.FOREVER)
    await f.aclose()
    assert first.text() == second.text() == "from the raw host"
    assert not second.from_cache  # another host's answer is not stored as the API's
    assert seen[:2] == ["https://api.github.com/moved", "https://raw.githubusercontent.com/o/r/main/p.md"]
    assert len(seen) == 5


async def test_json_nested_200000_deep_is_an_unusable_answer(tmp_path: Path, serve: Callable[..., PostServer]) -> None:
    server = serve([])
    deep = b"[" * 200_000 + b"]" * 200_000
    server.faults["/list"] = [Reply(body=deep, headers={"Content-Type": "application/json"})]
    f = at(server, tmp_path)
    with pytest.raises(FetchError) as caught:
        await f.get("github_api", "/list", freshness=Freshness.LISTING, validate=require_json)
    await f.aclose()
    assert str(caught.value).endswith("unusable answer: invalid JSON (JSON nested too deeply to read)")
    with pytest.raises(ValueError, match="nested too deeply"):
        Fetched(deep, 200, "u", datetime(2026, 1, 1, tzinfo=UTC)).json()
    with pytest.raises(ValueError, match="nested too deeply"):
        require_json(b'{"a": ' * 100_000 + b"1" + b"}" * 100_000)
