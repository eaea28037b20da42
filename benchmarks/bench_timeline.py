"""Benchmark: a past live day (300 mentioned papers) built cold, warm and kept; the timeline listed offline.

A local server on 127.0.0.1 adds 50 ms to every answer and serves the documented shapes
of Hacker News, Bluesky, Hugging Face, arXiv and GitHub's folder listing (the fake
services the tests use). The day is Tuesday 12 March 2024, built on 30 November 2026:
X's 7-day search cannot reach it and is skipped, as it would be for a real past day.

- cold: an empty cache; next to the floor arXiv's terms set alone (one request every 3 s);
- warm: a new fetcher over the same HTTP cache, building the day again;
- kept: a new live feed loading the day, which was final when built (its window had closed);
- listing: the timeline's days (the archive's 294 from its cached listing, then every live
  listing day since 2023-05-04) with the network out of reach, next to the archive's listing alone.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_live import LATENCY, build_once  # noqa: E402

from tests.github_trees import folder_trees  # noqa: E402
from tests.live.fakes import BASE_URLS  # noqa: E402
from tests.live.loopback import serving  # noqa: E402
from tests.live.world import PDS_HOST, Paper, World, bsky_post, hn_hit  # noqa: E402

DAY = date(2024, 3, 12)
NOW = datetime(2026, 11, 30, 20, 43, tzinfo=UTC)
T0 = datetime(2024, 3, 12, 5, 0, tzinfo=UTC)
"""Inside the day's attention window (12 March 00:00 to 14 March 00:00 UTC)."""
PAPERS, HN_POSTS, BSKY_POSTS = 300, 400, 1000
ARXIV_GAP = 3.0
ARCHIVE_DAYS = 294
LISTING_RUNS = 20
GITHUB_API = "api.github.com"


def _archive_trees() -> dict[str, bytes]:
    """The published archive's folder as GitHub's git trees API answers it (294 weekday posts from 2020-06-29)."""
    first = date(2020, 6, 29)
    days = [first + timedelta(days=i) for i in range(ARCHIVE_DAYS * 2) if (first + timedelta(i)).weekday() < 5]
    files = {f"{d.isoformat()}---Hot-Papers.md": b"x" for d in days[:ARCHIVE_DAYS]}
    return folder_trees("TatsuyaShirakawa", "daily-arxiv-gatsby", "master", "content/posts", files)


ARCHIVE_TREES = _archive_trees()


class PastWorld(World):
    """The fake services of March 2024, and the published archive's folder listing."""

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == GITHUB_API and request.url.path in ARCHIVE_TREES:
            body = ARCHIVE_TREES[request.url.path]
            return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})
        return super().handle(request)


def make_world() -> PastWorld:
    """300 papers announced on DAY; 1,400 posts about them on Hacker News and Bluesky."""
    world = PastWorld(hn_page_size=200, bsky_page_size=100)
    ids = [f"2403.{i:05d}" for i in range(1, PAPERS + 1)]
    published = datetime(2024, 3, 9, 12, tzinfo=UTC)
    world.papers = {i: Paper(i, f"Paper {i}", published) for i in ids}
    forms = ["https://arxiv.org/abs/{}", "https://arxiv.org/pdf/{}v2", "https://www.arxiv.org/abs/{}v1"]
    world.hn = [
        hn_hit(n, forms[n % 3].format(ids[n % PAPERS]), T0 + timedelta(minutes=n), points=5 + n % 90)
        for n in range(HN_POSTS)
    ]
    world.bsky = [
        bsky_post(f"b{n}", T0 + timedelta(minutes=n), link=forms[n % 3].format(ids[(n * 7) % PAPERS]), likes=n % 40)
        for n in range(BSKY_POSTS)
    ]
    world.hf = {DAY.isoformat(): [{"paper": {"id": ids[n], "title": f"P {ids[n]}", "upvotes": n}} for n in range(20)]}
    world.hf_last_day = "2026-11-30"
    return world


def write_config(folder: Path, base: str) -> Path:
    urls = {**BASE_URLS, "github_api": f"https://{GITHUB_API}", "github_raw": "https://raw.githubusercontent.com"}
    tables = "".join(
        f'[sources.{name}]\nbase_url = "{base}/{httpx.URL(url).host}"\n' for name, url in sorted(urls.items())
    )
    config = folder / "config.toml"
    config.write_text(
        '[credentials]\nbluesky_handle = "me.bsky.social"\nbluesky_app_password = "app-pass"\n'
        'x_bearer_token = "x-token"\n' + tables,
        encoding="utf-8",
    )
    return config


async def load_through_feed() -> tuple[float, int, str]:
    """Load DAY through a new live feed (built and kept the first time, read from disk after)."""
    from hotpapers_tui.config import live_settings, load_config
    from hotpapers_tui.fetch.client import open_fetcher
    from hotpapers_tui.live.feed import open_live_feed

    config = load_config()
    started = time.perf_counter()
    feed = open_live_feed(open_fetcher(config), live_settings(config), now=lambda: NOW)
    try:
        loaded = await feed.load(DAY)
        return time.perf_counter() - started, len(loaded.day.papers), loaded.note
    finally:
        await feed.aclose()


async def list_days(spec: str) -> tuple[float, int, date, date]:
    """Open ``spec`` as the commands do and list its days; the time of both."""
    from hotpapers_tui.config import load_config
    from hotpapers_tui.feeds import open_feed

    started = time.perf_counter()
    feed = open_feed(spec, config=load_config())
    try:
        days = list(await feed.days())
    finally:
        await feed.aclose()
    return time.perf_counter() - started, len(days), days[0], days[-1]


def median_listing(spec: str) -> tuple[float, int, date, date]:
    runs = [asyncio.run(list_days(spec)) for _ in range(LISTING_RUNS)]
    runs.sort(key=lambda r: r[0])
    return runs[len(runs) // 2]


def main() -> int:
    world = make_world()
    with serving(world, latency=LATENCY) as server, tempfile.TemporaryDirectory() as tmp:
        # The session's DID document names the PDS searches go to: here, the same loopback server.
        world.bsky_pds = server.url(PDS_HOST)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        folder = Path(tmp)
        os.environ["HOTPAPERS_CONFIG"] = str(write_config(folder, base))
        os.environ["HOTPAPERS_CACHE_DIR"] = str(folder / "cache")
        cold, built = asyncio.run(build_once(DAY, NOW))
        cold_requests = server.by_host(clear=True)
        warm, warm_built = asyncio.run(build_once(DAY, NOW))
        warm_requests = server.by_host()
        asyncio.run(load_through_feed())  # builds and keeps it: its window closed long before NOW
        server.by_host(clear=True)
        kept, kept_papers, kept_note = asyncio.run(load_through_feed())
        kept_requests = sum(server.by_host().values())
        papers, warm_papers, x_status = len(built.papers), len(warm_built.papers), built.extra.get("source.x", "")

        asyncio.run(list_days("archive"))  # the archive's listing, fetched once and cached
        # The network out of reach: the services' port closes.
        server.shutdown()
        server.server_close()
        listing, listed, first, last = median_listing("timeline")
        archive_alone, archive_listed, _, _ = median_listing("archive")

    arxiv_requests = cold_requests.get("export.arxiv.org", 0)
    floor = max(arxiv_requests - 1, 0) * ARXIV_GAP + arxiv_requests * LATENCY
    print(f"past day {DAY}: {HN_POSTS + BSKY_POSTS} posts about {PAPERS} papers, {LATENCY * 1000:.0f} ms latency")
    print(f"x: {x_status}")
    print(f"cold build: {cold:.2f} s, {papers} papers; requests by host: {cold_requests}")
    print(f"warm build: {warm:.3f} s, {warm_papers} papers; requests by host: {warm_requests}")
    print(f"kept day: {kept * 1000:.1f} ms, {kept_papers} papers, {kept_requests} requests; {kept_note[:80]}")
    print(f"floor (arXiv pacing alone, {arxiv_requests} requests): {floor:.2f} s")
    print(
        f"timeline listed offline: {listed} days, {first} to {last}: {listing * 1000:.1f} ms (median of {LISTING_RUNS})"
    )
    print(f"archive listed offline: {archive_listed} days: {archive_alone * 1000:.1f} ms")
    print(f"BENCH|past live day build cold|{cold:.2f} s|{floor:.2f} s|{cold / floor:.2f}x|<= 1.3x")
    print(f"BENCH|past live day build warm|{warm:.3f} s|0.5 s|{warm / 0.5:.2f}x|< 0.5 s")
    print(f"BENCH|past live day kept (final, from disk)|{kept * 1000:.1f} ms|500 ms|{kept / 0.5:.3f}x|< 0.5 s")
    print(
        f"BENCH|timeline listed offline ({listed} days)|{listing * 1000:.1f} ms|"
        f"{archive_alone * 1000:.1f} ms archive alone|{listing / archive_alone:.2f}x|< 50 ms"
    )
    ok = (
        papers == warm_papers == kept_papers
        and kept_requests == 0
        and "X's recent search" in x_status
        and listed > archive_listed + 900
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
