"""A Fetcher for tests: real httpx requests answered by an httpx.MockTransport handler, recorded by source."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from hotpapers_tui.fetch.api import Fetched, FetchError, Freshness, header_problem, param_problem

BASE_URLS = {
    "huggingface": "https://huggingface.co",
    "hackernews": "https://hn.algolia.com",
    "bluesky": "https://bsky.social",
    "bluesky_auth": "https://bsky.social",
    "x": "https://api.x.com",
    "x_oembed": "https://publish.twitter.com",
    "arxiv": "https://export.arxiv.org",
}

Handler = Callable[[httpx.Request], httpx.Response]


def json_response(body: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers={"content-type": "application/json"})


class FakeFetcher:
    """The Fetcher protocol over a MockTransport; caches like the real layer would (by URL, not auth)."""

    def __init__(self, handler: Handler, *, base_urls: Mapping[str, str] = BASE_URLS, offline: bool = False) -> None:
        self.offline = offline
        self.base_urls = dict(base_urls)
        self.client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        self.requests: dict[str, list[httpx.Request]] = {}
        """Requests that reached the network, by source."""
        self.cache: dict[str, Fetched] = {}
        self.gets: list[tuple[str, str, Freshness, bool]] = []
        """Every get asked: source, URL, freshness, refresh."""

    def count(self, source: str) -> int:
        return len(self.requests.get(source, []))

    def params(self, source: str) -> list[dict[str, str]]:
        return [dict(r.url.params) for r in self.requests.get(source, [])]

    @staticmethod
    def _check(source: str, params: Mapping[str, str] | None, headers: Mapping[str, str] | None) -> None:
        """As the real layer: a header or param that cannot be sent is a FetchError, before anything is sent."""
        for name, value in (headers or {}).items():
            if header_problem(value) is not None:
                raise FetchError(f"{source}: not sent: the {name} header holds {header_problem(value)}")
        for name, value in (params or {}).items():
            if param_problem(value) is not None:
                raise FetchError(f"{source}: not sent: the {name!r} parameter holds {param_problem(value)}")

    @staticmethod
    def _address(source: str, url: str) -> httpx.URL:
        """As the real layer: an address httpx cannot use (a bad punycode host) is a FetchError."""
        try:
            parsed = httpx.URL(url)
            _ = parsed.host
        except (httpx.InvalidURL, UnicodeError) as exc:
            raise FetchError(f"{source}: invalid address ({exc})") from None
        return parsed

    async def _send(self, source: str, request: httpx.Request) -> Fetched:
        if self.offline:
            raise FetchError("offline", url=str(request.url), offline=True)
        self.requests.setdefault(source, []).append(request)
        try:
            response = await self.client.send(request)
        except httpx.ConnectError as exc:
            raise FetchError(f"cannot reach {request.url.host}", url=str(request.url), offline=True) from exc
        if response.status_code >= 400:
            raise FetchError(
                f"{request.url.host} answered HTTP {response.status_code}",
                url=str(request.url),
                status=response.status_code,
                body=response.content,
            )
        return Fetched(response.content, response.status_code, str(request.url), datetime.now(UTC))

    async def get(
        self,
        source: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        freshness: Freshness,
        refresh: bool = False,
        base_url: str | None = None,
    ) -> Fetched:
        self._check(source, params, headers)
        url = self._address(source, (base_url or self.base_urls[source]) + path)
        request = self.client.build_request("GET", url, params=dict(params or {}), headers=dict(headers or {}))
        key = str(request.url)
        self.gets.append((source, key, freshness, refresh))
        if freshness is not Freshness.NONE and not refresh and key in self.cache:
            cached = self.cache[key]
            return Fetched(cached.body, cached.status, cached.url, cached.fetched_at, from_cache=True)
        try:
            answer = await self._send(source, request)
        except FetchError as exc:
            # Like the real layer: with the network gone, an expired cached answer beats none.
            if exc.offline and key in self.cache and freshness is not Freshness.NONE:
                cached = self.cache[key]
                return Fetched(cached.body, cached.status, cached.url, cached.fetched_at, from_cache=True, stale=True)
            raise
        if freshness is not Freshness.NONE:
            self.cache[key] = answer
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
        self._check(source, None, headers)
        content = b"" if json_body is None else json.dumps(json_body).encode()
        hdrs = dict(headers or {})
        if json_body is not None:
            hdrs["content-type"] = "application/json"
        url = self._address(source, (base_url or self.base_urls[source]) + path)
        request = self.client.build_request("POST", url, content=content, headers=hdrs)
        return await self._send(source, request)

    async def aclose(self) -> None:
        await self.client.aclose()
