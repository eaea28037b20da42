"""A local stand-in for GitHub's git trees API and raw files, with faults to inject."""

from __future__ import annotations

import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from hotpapers_tui.feeds.folder import sample_path
from tests.github_trees import folder_trees, tree_path

OWNER, REPO, FOLDER, REF = "someone", "blog", "content/posts", "main"
SAMPLE_DATE = "2021-06-22"


def post_text(day: date) -> str:
    """The shipped sample post, moved to another day."""
    return sample_path().read_text(encoding="utf-8").replace(SAMPLE_DATE, day.isoformat())


def post_name(day: date) -> str:
    return f"{day.isoformat()}---Hot-Papers.md"


def archive_days(count: int, first: date = date(2021, 6, 1)) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (to trigger client timeouts)."""
    truncate_to: int | None = None
    """Send only this many body bytes after announcing the full length, then close."""
    drip: float = 0.0
    """Seconds between body bytes: the body is sent one byte at a time."""


class Handler(BaseHTTPRequestHandler):
    server: PostServer  # type: ignore[assignment]

    def do_GET(self) -> None:
        self.server.seen.append((self.path, dict(self.headers)))
        reply = self.server.reply_for(self.path)
        if reply.delay:
            time.sleep(reply.delay)
        try:
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(reply.body)))
            if reply.truncate_to is not None:
                self.send_header("Connection", "close")
            self.end_headers()
            body = reply.body if reply.truncate_to is None else reply.body[: reply.truncate_to]
            if reply.drip:
                for i in range(len(body)):
                    self.wfile.write(body[i : i + 1])
                    self.wfile.flush()
                    time.sleep(reply.drip)
            else:
                self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        if reply.truncate_to is not None:
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


class PostServer(ThreadingHTTPServer):
    """Serves a folder of posts in GitHub's shapes; ``faults[path]`` replies come first, in order."""

    daemon_threads = True
    block_on_close = False
    owner, repo, ref, folder = OWNER, REPO, REF, FOLDER
    """The repository folder served (a subclass serves another)."""

    def __init__(self, days: list[date]) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.posts = {post_name(d): post_text(d).encode() for d in days}
        self.faults: dict[str, list[Reply]] = {}
        self.truncate_at: int | None = None
        """List only this many entries of the folder's tree, marked ``truncated`` as GitHub does past its limits."""
        self.extra_entries: list[dict[str, object]] = []
        """More entries of the folder's tree (links, submodules, odd names)."""
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def listing_path(self) -> str:
        """The first request of a listing: the ref's root tree, walked down to the folder."""
        return tree_path(self.owner, self.repo, self.ref)

    def raw_path(self, name: str) -> str:
        return f"/{self.owner}/{self.repo}/{self.ref}/{self.folder}/{name}"

    def listing(self) -> dict[str, bytes]:
        """The tree answers by request path, from the ref's root tree down to the folder of posts."""
        images = {"path": "images", "mode": "040000", "type": "tree", "sha": "d" * 40, "url": ""}
        extra = [images, *self.extra_entries]
        return folder_trees(
            self.owner, self.repo, self.ref, self.folder, self.posts, extra=extra, truncate_at=self.truncate_at
        )

    def reply_for(self, path: str) -> Reply:
        with self.lock:
            queued = self.faults.get(path)
            if queued:
                return queued.pop(0)
        for name, body in self.posts.items():
            if path == self.raw_path(name):
                return Reply(body=body, headers={"Content-Type": "text/plain; charset=utf-8"})
        trees = self.listing() if path.startswith(f"/repos/{self.owner}/{self.repo}/git/trees/") else {}
        if path in trees:
            return Reply(body=trees[path], headers={"Content-Type": "application/json"})
        return Reply(status=404, body=b'{"message": "Not Found"}')

    def paths_seen(self) -> list[str]:
        return [p for p, _ in self.seen]


@pytest.fixture
def serve() -> Iterator[Callable[[list[date]], PostServer]]:
    """Start local post servers; all are stopped at the end of the test."""
    servers: list[PostServer] = []

    def start(days: list[date]) -> PostServer:
        server = PostServer(days)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _crc32_of_zeros(mib: int) -> int:
    """CRC-32 of ``mib`` MiB of zero bytes without feeding them all: the CRC of one more MiB is an affine map of
    the CRC so far, so it is taken to the ``mib``-th power by squaring."""
    block = bytes(1 << 20)

    def tabulate(fn: Callable[[int], int]) -> tuple[int, list[int]]:
        base = fn(0)
        return base, [fn(1 << i) ^ base for i in range(32)]

    def apply(m: tuple[int, list[int]], x: int) -> int:
        out, columns = m
        for i in range(32):
            if x >> i & 1:
                out ^= columns[i]
        return out

    step = tabulate(lambda crc: zlib.crc32(block, crc))
    crc = 0
    while mib:
        if mib & 1:
            crc = apply(step, crc)
        step = tabulate(lambda x, s=step: apply(s, apply(s, x)))  # type: ignore[misc]
        mib >>= 1
    return crc


def gzip_of_zeros(mib: int) -> bytes:
    """A valid gzip member holding ``mib`` MiB of zero bytes, made in milliseconds.

    A full flush after each MiB makes every compressed MiB stand alone, so one is
    repeated; an empty final block and the gzip trailer (CRC-32, length) close it.
    """
    block = bytes(1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    first = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    trailer = struct.pack("<II", _crc32_of_zeros(mib), (mib << 20) & 0xFFFFFFFF)
    return first + again * (mib - 1) + b"\x03\x00" + trailer


def layered_bomb(mib: int) -> bytes:
    """``Content-Encoding: gzip, gzip``: a few kB that inflate to ``mib`` MiB of zeros."""
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return c.compress(gzip_of_zeros(mib)) + c.flush()


def stop(server: PostServer) -> None:
    server.shutdown()
    server.server_close()


def refused_url() -> str:
    """A 127.0.0.1 URL nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config and cache in the test's own folder, credentials cleared from the environment."""
    monkeypatch.setenv("HOTPAPERS_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("HOTPAPERS_CACHE_DIR", str(tmp_path / "cache"))
    for var in ("HOTPAPERS_BLUESKY_HANDLE", "HOTPAPERS_BLUESKY_APP_PASSWORD", "HOTPAPERS_X_BEARER_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path
