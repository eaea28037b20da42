"""Benchmark: building one live day (2,000 posts about 300 papers) through the real fetch layer.

A local server on 127.0.0.1 adds 50 ms to every answer and serves the documented
shapes of Hacker News, Bluesky, X, Hugging Face and arXiv (the same fake services the
tests use). The build runs cold (empty cache) and warm (a new fetcher over the same
cache), next to the floor arXiv's terms set alone: one request every 3 seconds.
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

from hotpapers_tui.model import Day  # noqa: E402
from tests.live.fakes import BASE_URLS  # noqa: E402
from tests.live.loopback import serving  # noqa: E402
from tests.live.world import PDS_HOST, Paper, World, bsky_post, hn_hit, x_tweet  # noqa: E402

LATENCY = 0.050
DAY = datetime(2026, 11, 24, tzinfo=UTC).date()
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
T0 = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
PAPERS, HN_POSTS, BSKY_POSTS, X_POSTS = 300, 400, 1000, 600
ARXIV_GAP = 3.0


def make_world() -> World:
    """300 papers announced on DAY; 2,000 posts about them spread over three platforms."""
    world = World(hn_page_size=200, bsky_page_size=100)
    ids = [f"2611.{i:05d}" for i in range(1, PAPERS + 1)]
    published = datetime(2026, 11, 23, 12, tzinfo=UTC)
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
    world.x = [
        x_tweet(str(10_000 + n), T0 + timedelta(minutes=n), forms[n % 3].format(ids[(n * 13) % PAPERS]), likes=n % 60)
        for n in range(X_POSTS)
    ]
    world.hf = {
        DAY.isoformat(): [{"paper": {"id": ids[n], "title": f"Paper {ids[n]}", "upvotes": n}} for n in range(20)]
    }
    world.hf_last_day = "2026-11-26"
    return world


def write_config(folder: Path, port: int) -> Path:
    tables = "".join(
        f'[sources.{name}]\nbase_url = "http://127.0.0.1:{port}/{httpx.URL(url).host}"\n'
        for name, url in BASE_URLS.items()
    )
    config = folder / "config.toml"
    config.write_text(
        "[live]\nx_max_posts_per_build = 1000\n"
        '[credentials]\nbluesky_handle = "me.bsky.social"\nbluesky_app_password = "app-pass"\n'
        'x_bearer_token = "x-token"\n' + tables,
        encoding="utf-8",
    )
    return config


async def build_once(day: date = DAY, now: datetime = NOW) -> tuple[float, Day]:
    """Build ``day`` with a new fetcher (the HTTP cache on disk is whatever earlier runs left)."""
    from hotpapers_tui.config import live_settings, load_config
    from hotpapers_tui.fetch.client import open_fetcher
    from hotpapers_tui.live.build import build_day

    config = load_config()
    fetcher = open_fetcher(config)
    try:
        started = time.perf_counter()
        built = await build_day(day, fetcher, live_settings(config), now=now)
        return time.perf_counter() - started, built
    finally:
        await fetcher.aclose()


def main() -> int:
    world = make_world()
    with serving(world, latency=LATENCY) as server, tempfile.TemporaryDirectory() as tmp:
        # The session's DID document names the PDS searches go to: here, the same loopback server.
        world.bsky_pds = server.url(PDS_HOST)
        folder = Path(tmp)
        os.environ["HOTPAPERS_CONFIG"] = str(write_config(folder, server.server_address[1]))
        os.environ["HOTPAPERS_CACHE_DIR"] = str(folder / "cache")
        cold, built = asyncio.run(build_once())
        cold_requests = server.by_host(clear=True)
        warm, warm_built = asyncio.run(build_once())
        warm_requests = server.by_host()
    papers, warm_papers = len(built.papers), len(warm_built.papers)
    arxiv_requests = cold_requests.get("export.arxiv.org", 0)
    floor = max(arxiv_requests - 1, 0) * ARXIV_GAP + arxiv_requests * LATENCY
    print(f"live day: {HN_POSTS + BSKY_POSTS + X_POSTS} posts about {PAPERS} papers, {LATENCY * 1000:.0f} ms latency")
    print(f"cold build: {cold:.2f} s, {papers} papers; requests by host: {cold_requests}")
    print(f"warm build: {warm:.3f} s, {warm_papers} papers; requests by host: {warm_requests}")
    print(f"floor (arXiv pacing alone, {arxiv_requests} requests): {floor:.2f} s")
    print(f"BENCH|live day build cold|{cold:.2f} s|{floor:.2f} s|{cold / floor:.2f}x|<= 1.3x")
    print(f"BENCH|live day build warm|{warm:.3f} s|0.5 s|{warm / 0.5:.2f}x|< 0.5 s")
    return 0 if papers == warm_papers else 1


if __name__ == "__main__":
    sys.exit(main())
