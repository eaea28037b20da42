"""Bluesky posts that link arxiv.org: one signed-in session, kept and refreshed, and paged search."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from hotpapers_tui.fetch.api import Fetcher, FetchError, Freshness
from hotpapers_tui.live.calendar import Window
from hotpapers_tui.live.ids import ids_in_bluesky_post
from hotpapers_tui.live.sources.base import (
    SocialPost,
    SourceResult,
    SourceSkipped,
    as_dict,
    as_int,
    as_str,
    iso_z,
    parse_time,
    read_json,
    skip_reason,
)

SEARCH_SOURCE = "bluesky"
AUTH_SOURCE = "bluesky_auth"
SEARCH_PATH = "/xrpc/app.bsky.feed.searchPosts"
CREATE_PATH = "/xrpc/com.atproto.server.createSession"
REFRESH_PATH = "/xrpc/com.atproto.server.refreshSession"
PAGE_SIZE = 100
MAX_PAGES = 100
"""A guard against a cursor that never ends (10,000 posts a window)."""
WEB_URL = "https://bsky.app/profile/{handle}/post/{rkey}"


@dataclass(slots=True)
class _Session:
    access: str
    refresh: str


def _expired(exc: FetchError) -> bool:
    # The PDS answers 400 ExpiredToken or 401 when the access token has run out.
    return exc.status in (400, 401)


class BlueskyClient:
    """Searches Bluesky with one session, created once (30 sign-ins per 5 minutes at most) then refreshed."""

    def __init__(self, fetcher: Fetcher, handle: str, app_password: str) -> None:
        self._fetcher = fetcher
        self._handle = handle
        self._password = app_password
        self._session: _Session | None = None
        self._refused = ""
        """Why sign-in was refused; then it is not tried again (sign-ins are rate limited)."""
        self._lock = asyncio.Lock()
        """Two builds at once must not sign in twice or refresh the same token twice."""
        self.sessions_created = 0
        """How many times createSession was called (tests and diagnostics)."""

    def __repr__(self) -> str:
        return f"BlueskyClient(handle={self._handle!r})"

    async def _create(self) -> _Session:
        if self._refused:
            raise SourceSkipped(self._refused)
        try:
            answer = await self._fetcher.post(
                AUTH_SOURCE, CREATE_PATH, json_body={"identifier": self._handle, "password": self._password}
            )
        except FetchError as exc:
            if exc.status in (400, 401):
                self._refused = f"sign-in refused (HTTP {exc.status}): check the handle and app password"
                raise SourceSkipped(self._refused) from exc
            raise SourceSkipped(skip_reason(exc)) from exc
        self.sessions_created += 1
        return self._session_from(read_json(answer, "Bluesky sign-in"))

    @staticmethod
    def _session_from(body: Any) -> _Session:
        if not isinstance(body, dict) or not body.get("accessJwt") or not body.get("refreshJwt"):
            raise SourceSkipped("Bluesky sign-in answered without a session")
        return _Session(as_str(body["accessJwt"]), as_str(body["refreshJwt"]))

    async def _refreshed(self, session: _Session) -> _Session:
        """A new session from the refresh token; a fresh sign-in if that is refused too."""
        try:
            answer = await self._fetcher.post(
                AUTH_SOURCE, REFRESH_PATH, json_body=None, headers={"Authorization": f"Bearer {session.refresh}"}
            )
        except FetchError as exc:
            if exc.status in (400, 401):
                return await self._create()
            raise SourceSkipped(skip_reason(exc)) from exc
        return self._session_from(read_json(answer, "Bluesky session refresh"))

    async def search(self, window: Window, *, refresh: bool = False) -> SourceResult:
        """Every post linking arxiv.org in ``window``; raises SourceSkipped when Bluesky cannot be read."""
        result = SourceResult(SEARCH_SOURCE)
        async with self._lock:
            if self._session is None:
                self._session = await self._create()
        seen: set[str] = set()
        cursor = ""
        for _ in range(MAX_PAGES):
            params = {
                "q": "arxiv.org",
                "domain": "arxiv.org",
                "since": iso_z(window.start),
                "until": iso_z(window.end),
                "sort": "latest",
                "limit": str(PAGE_SIZE),
            }
            if cursor:
                params["cursor"] = cursor
            body = await self._page(params, result, refresh)
            posts = body.get("posts")
            if not isinstance(posts, list):
                raise SourceSkipped("Bluesky answered without a list of posts")
            for raw in posts:
                post = _post(raw)
                if post is not None and post.url not in seen:
                    seen.add(post.url)
                    result.posts.append(post)
            nxt = as_str(body.get("cursor"))
            if not posts or not nxt or nxt == cursor:
                break
            cursor = nxt
        return result

    async def _renew(self, refused: str) -> None:
        """Refresh the session the refused header carried, unless another search already did."""
        async with self._lock:
            assert self._session is not None
            if refused == f"Bearer {self._session.access}":
                self._session = await self._refreshed(self._session)

    async def _page(self, params: dict[str, str], result: SourceResult, refresh: bool) -> Any:
        assert self._session is not None
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {self._session.access}"}
            try:
                answer = await self._fetcher.get(
                    SEARCH_SOURCE,
                    SEARCH_PATH,
                    params=params,
                    headers=headers,
                    freshness=Freshness.LIVE,
                    refresh=refresh,
                )
            except FetchError as exc:
                if attempt == 0 and _expired(exc):
                    await self._renew(headers["Authorization"])
                    continue
                raise SourceSkipped(skip_reason(exc)) from exc
            result.requests += 1
            result.stale = result.stale or answer.stale
            body = read_json(answer, "Bluesky")
            if not isinstance(body, dict):
                raise SourceSkipped("Bluesky answered an unexpected shape")
            return body
        raise SourceSkipped("Bluesky refused the refreshed session")


def web_url(uri: str, handle: str) -> str:
    """The bsky.app URL of a post's ``at://`` URI."""
    rkey = uri.rstrip("/").rsplit("/", 1)[-1]
    return WEB_URL.format(handle=handle, rkey=rkey)


def _post(raw: Any) -> SocialPost | None:
    if not isinstance(raw, dict):
        return None
    uri = as_str(raw.get("uri"))
    author = as_dict(raw.get("author"))
    record = as_dict(raw.get("record"))
    handle = as_str(author.get("handle")) or as_str(author.get("did"))
    ids = ids_in_bluesky_post(raw)
    created = parse_time(record.get("createdAt")) or parse_time(raw.get("indexedAt"))
    if not uri or not handle or not ids or created is None:
        return None
    langs = record.get("langs")
    return SocialPost(
        platform="bluesky",
        url=web_url(uri, handle),
        author=as_str(author.get("displayName")) or handle,
        handle=handle,
        created_at=created,
        text=as_str(record.get("text")),
        lang=as_str(langs[0]) if isinstance(langs, list) and langs else "",
        reposts=as_int(raw.get("repostCount")) + as_int(raw.get("quoteCount")),
        likes=as_int(raw.get("likeCount")),
        comments=as_int(raw.get("replyCount")),
        points=0,
        arxiv_ids=tuple(ids),
        ref=uri,
    )
