"""Fetching a 300-post archive through the fetch layer, cold and warm, next to plain httpx (the floor).

A local server on 127.0.0.1 answers GitHub's listing and raw-file shapes after 50 ms, gzip-encoded when
asked (as GitHub's hosts do), so both sides decode what they receive: httpx with its own decoders, the fetch
layer streaming the raw body through its bounded decoder.
Floor: the same 301 requests made with a bare ``httpx.AsyncClient`` at the same
concurrency. Cold: a GithubFeed over an HttpFetcher with an empty cache. Warm: a new
fetcher over the filled cache (no request may reach the server).
Each is run twice and the best time kept. Goals: cold within 1.3x of the floor; warm under 1 s.

Run: python benchmarks/bench_fetch.py
"""

from __future__ import annotations

import asyncio
import gzip
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hotpapers_tui.feeds.folder import sample_path
from hotpapers_tui.feeds.github import GithubFeed, parse_github_spec
from hotpapers_tui.fetch.cache import AnswerCache
from hotpapers_tui.fetch.client import HttpFetcher
from tests.github_trees import folder_trees, tree_path

POSTS = 300
LATENCY = 0.050
CONCURRENCY = 8
ROUNDS = 2
OWNER, REPO, FOLDER, REF = "bench", "archive", "content/posts", "master"
SPEC = f"github:{OWNER}/{REPO}/{FOLDER}@{REF}"


def build_posts() -> dict[str, bytes]:
    text = sample_path().read_text(encoding="utf-8")
    first = date(2020, 1, 1)
    posts = {}
    for i in range(POSTS):
        day = (first + timedelta(days=i)).isoformat()
        posts[f"{day}---Hot-Papers.md"] = text.replace("2021-06-22", day).encode()
    return posts


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, posts: dict[str, bytes]) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests = 0
        self.lock = threading.Lock()
        self.routes: dict[str, bytes] = {f"/{OWNER}/{REPO}/{REF}/{FOLDER}/{n}": b for n, b in posts.items()}
        self.trees = folder_trees(OWNER, REPO, REF, FOLDER, posts)
        self.routes.update(self.trees)
        # Compressed once here, so that the server's own work is not part of either side's time.
        self.gzipped = {path: gzip.compress(body, 6) for path, body in self.routes.items()}

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real hosts do
    server: Server  # type: ignore[assignment]

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests += 1
        time.sleep(LATENCY)
        body = self.server.routes.get(self.path)
        self.send_response(200 if body is not None else 404)
        if body is not None and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = self.server.gzipped[self.path]
            self.send_header("Content-Encoding", "gzip")
        body = body or b"not found"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


async def floor(server: Server, paths: list[str]) -> float:
    """The same requests with bare httpx: the listing, then every post, CONCURRENCY at a time."""
    started = time.perf_counter()
    limits = httpx.Limits(max_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=server.base_url, limits=limits, timeout=30) as client:
        # The listing: the ref's root tree, then one sub-tree per folder down to the posts.
        tree = (await client.get(tree_path(OWNER, REPO, REF))).json()
        for part in FOLDER.split("/"):
            sha = next(e["sha"] for e in tree["tree"] if e["path"] == part)
            tree = (await client.get(tree_path(OWNER, REPO, sha))).json()
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(path: str) -> int:
            async with gate:
                return len((await client.get(path)).content)

        sizes = await asyncio.gather(*(one(p) for p in paths))
    assert all(sizes)
    return time.perf_counter() - started


async def through_feed(server: Server, cache_dir: Path, *, parse: bool = False) -> tuple[float, int]:
    """Every day of the feed through the project's fetch layer; returns seconds and days fetched."""
    started = time.perf_counter()
    fetcher = HttpFetcher(
        base_urls={"github_api": server.base_url, "github_raw": server.base_url},
        cache=AnswerCache(cache_dir),
        connections_per_host=CONCURRENCY,
        timeout=30,
    )
    feed = GithubFeed(parse_github_spec(SPEC), fetcher, name=SPEC, owns_fetcher=True)
    try:
        days = await feed.days()
        if parse:
            loads = await asyncio.gather(*(feed.load(d) for d in days))
            assert all(load.day.papers for load in loads)
        else:
            answers = await asyncio.gather(*(feed.fetch_post(d) for d in days))
            assert all(fetched.body for _, fetched in answers)
    finally:
        await feed.aclose()
    return time.perf_counter() - started, len(days)


def main() -> None:
    posts = build_posts()
    server = Server(posts)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    paths = [f"/{OWNER}/{REPO}/{REF}/{FOLDER}/{n}" for n in posts]
    print(
        f"{POSTS} posts of {len(next(iter(posts.values()))) // 1024} KB, {LATENCY * 1000:.0f} ms latency, "
        f"{CONCURRENCY} connections"
    )
    floors, colds, warms = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(ROUNDS):
            floors.append(asyncio.run(floor(server, paths)))
            cache_dir = Path(tmp) / f"cold{round_}"
            cold, count = asyncio.run(through_feed(server, cache_dir))
            assert count == POSTS
            colds.append(cold)
            before = server.requests
            warm, _ = asyncio.run(through_feed(server, cache_dir))
            assert server.requests == before, "the warm run reached the server"
            warms.append(warm)
        before = server.requests
        parsed, _ = asyncio.run(through_feed(server, Path(tmp) / "cold0", parse=True))
        assert server.requests == before
    server.shutdown()
    f, c, w = min(floors), min(colds), min(warms)
    print(f"floor (plain httpx)      {f:6.3f} s   (runs: {', '.join(f'{x:.3f}' for x in floors)})")
    print(f"cold  (fetch layer)      {c:6.3f} s   (runs: {', '.join(f'{x:.3f}' for x in colds)})")
    print(f"warm  (from the cache)   {w:6.3f} s   (runs: {', '.join(f'{x:.3f}' for x in warms)})")
    print(f"cold / floor             {c / f:6.2f} x   goal <= 1.30x: {'met' if c / f <= 1.3 else 'MISSED'}")
    print(f"warm                     {w:6.3f} s   goal < 1 s: {'met' if w < 1 else 'MISSED'}")
    print(f"BENCH|300-post archive fetched cold|{c:.2f} s|{f:.2f} s|{c / f:.2f}x|<= 1.3x")
    print(f"BENCH|300-post archive fetched warm|{w:.3f} s|1 s|{w:.2f}x|< 1 s")
    print(f"warm, every day also parsed into a Day: {parsed:.3f} s (the post parser's share, not the fetch layer's)")


if __name__ == "__main__":
    main()
