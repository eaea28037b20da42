"""The fake internet of ``world.py`` served over HTTP on 127.0.0.1: ``/HOST/path`` answers as HOST would."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from tests.live.world import World


class _Handler(BaseHTTPRequestHandler):
    server: WorldServer  # type: ignore[assignment]

    def _answer(self) -> None:
        host, _, rest = self.path.lstrip("/").partition("/")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        request = httpx.Request(self.command, f"https://{host}/{rest}", headers=dict(self.headers), content=body)
        with self.server.lock:
            self.server.seen.append((self.command, host, request.url.path, dict(self.headers)))
            response = self.server.world.handle(request)
        if self.server.latency:
            time.sleep(self.server.latency)  # outside the lock: answers overlap, as a real service's do
        self.send_response(response.status_code)
        self.send_header("Content-Type", response.headers.get("content-type", "application/octet-stream"))
        self.send_header("Content-Length", str(len(response.content)))
        self.end_headers()
        self.wfile.write(response.content)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        return


class WorldServer(ThreadingHTTPServer):
    """Serves a World; ``seen`` records (method, host, path, headers) of every request."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, world: World, *, latency: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.world = world
        self.latency = latency
        """Seconds each answer waits before it is sent (the benchmarks' network)."""
        self.lock = threading.Lock()
        self.seen: list[tuple[str, str, str, dict[str, str]]] = []

    def url(self, host: str) -> str:
        """The loopback base URL standing for ``host``."""
        return f"http://127.0.0.1:{self.server_address[1]}/{host}"

    def hosts(self, path: str) -> list[str]:
        """The hosts asked for ``path``, in order."""
        return [host for _, host, seen_path, _ in self.seen if seen_path == path]

    def by_host(self, *, clear: bool = False) -> dict[str, int]:
        """How many requests each host was sent (since the last clear); ``clear`` starts a new count."""
        with self.lock:
            counts = dict(Counter(host for _, host, _, _ in self.seen))
            if clear:
                self.seen.clear()
        return counts


@contextmanager
def serving(world: World, *, latency: float = 0.0) -> Iterator[WorldServer]:
    server = WorldServer(world, latency=latency)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
