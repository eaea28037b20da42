"""Bluesky posts that link arxiv.org: one signed-in session, searched through the account's own PDS.

The documented way (atproto's lexicons and its reference client): ``createSession`` on the
sign-in server returns the tokens and the account's DID document, whose ``#atproto_pds``
service names the PDS; signed-in ``app.bsky.*`` calls go there, and the PDS forwards them
to the appview. ``api.bsky.app`` itself refuses a session token (401 ``BadJwtType``). A
DID document without a PDS leaves the calls on the configured ``bluesky`` base URL, which
defaults to the sign-in server: Bluesky's entryway forwards them for the accounts it hosts.

An expired access token is answered ``ExpiredToken``, as 400 by a PDS and 401 by the
appview; then, and only then, the session is refreshed (``refreshSession`` with the
refresh token). ``searchPosts``' ``q`` is full text over a post's text; its ``domain``
filter reads the hosts of link facets and link cards. So two queries cover a window: the
posts naming arxiv.org in their text, and every post whose links or card point there,
whatever its text (``q`` made of the ``domain:`` operator alone matches any text).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from hotpapers_tui.fetch.api import Fetcher, FetchError, Freshness, header_problem, param_problem
from hotpapers_tui.live.calendar import Window
from hotpapers_tui.live.ids import ids_in_bluesky_post
from hotpapers_tui.live.sources.base import (
    SocialPost,
    SourceResult,
    SourceSkipped,
    as_dict,
    as_int,
    as_list,
    as_str,
    cover,
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
"""searchPosts' largest ``limit``."""
MAX_PAGES = 100
"""Pages per query of one part of a window: a guard against a cursor that never ends."""
DOMAIN = "arxiv.org"
QUERIES = (
    ("text", {"q": DOMAIN}),
    ("links", {"q": f"domain:{DOMAIN}", "domain": DOMAIN}),
)
"""The two searches of a window, by the name used in messages: text mentions, then links and cards."""
WEB_URL = "https://bsky.app/profile/{handle}/post/{rkey}"
PDS_SERVICE = "#atproto_pds"
PDS_TYPE = "AtprotoPersonalDataServer"
EXPIRED = "ExpiredToken"
"""The XRPC error name of an access token past its time: the one refusal a refresh can cure."""
BAD_REFRESH = ("ExpiredToken", "InvalidToken")
"""Refusals of refreshSession that mean the refresh token is spent: sign in again."""


@dataclass(slots=True)
class _Session:
    access: str
    refresh: str
    pds: str | None
    """The account's PDS from the session's DID document, or None when it names none."""


def xrpc_error(exc: FetchError) -> str:
    """The XRPC error name of a refusal (``ExpiredToken``, ``BadJwtType``), or empty."""
    try:
        body = json.loads(exc.body) if exc.body else None
    except (ValueError, UnicodeDecodeError):
        return ""
    return as_str(body.get("error")) if isinstance(body, dict) else ""


def _refusal(exc: FetchError) -> str:
    """``skip_reason`` followed by the XRPC error name when the service gave one."""
    name = xrpc_error(exc)
    return f"{skip_reason(exc)}: {name}" if name else skip_reason(exc)


def pds_endpoint(did_doc: Any, did: str = "") -> str | None:
    """The ``serviceEndpoint`` of a DID document's ``#atproto_pds`` service, if it is a usable URL.

    As atproto's own client reads it: the service whose id is ``#atproto_pds`` (or the
    DID followed by it) and whose type is ``AtprotoPersonalDataServer``. The URL must be
    https; plain http is taken only for a loopback host (a local PDS), since the session
    token travels with every call.
    """
    doc = as_dict(did_doc)
    doc_id = as_str(doc.get("id")) or did
    for service in as_list(doc.get("service")):
        service = as_dict(service)
        if as_str(service.get("id")) not in (PDS_SERVICE, f"{doc_id}{PDS_SERVICE}"):
            continue
        if service.get("type") != PDS_TYPE:
            return None
        return _usable_url(as_str(service.get("serviceEndpoint")))
    return None


def _usable_url(url: str) -> str | None:
    """``url`` without its trailing slash if a session token may be sent there: https, or http to loopback."""
    if not url.isprintable() or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port out of range
    except ValueError:
        return None
    host = parts.hostname or ""
    if not host or parts.username or parts.password or parts.query or parts.fragment:
        return None
    try:
        # An "xn--" label must be punycode, a Unicode name must have one: httpx raises for either otherwise.
        if host.isascii():
            host.encode("ascii").decode("idna")
        else:
            host.encode("idna")
    except UnicodeError:
        return None
    if parts.scheme == "https" or (parts.scheme == "http" and _loopback(host)):
        return url.rstrip("/")
    return None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class BlueskyClient:
    """Searches Bluesky with one session, created once (30 sign-ins per 5 minutes at most) then refreshed."""

    def __init__(self, fetcher: Fetcher, handle: str, app_password: str, *, page_size: int = PAGE_SIZE) -> None:
        self._fetcher = fetcher
        self._page_size = page_size
        """Posts asked per page (``limit``)."""
        self._handle = handle
        self._password = app_password
        self._session: _Session | None = None
        self._refused = ""
        """Why sign-in was refused; then it is not tried again (sign-ins are rate limited)."""
        self._lock = asyncio.Lock()
        """Two builds at once must not sign in twice or refresh the same token twice."""
        self.sessions_created = 0
        """How many times createSession was called (tests and diagnostics)."""
        self.sessions_refreshed = 0
        """How many times refreshSession was called."""

    def __repr__(self) -> str:
        return f"BlueskyClient(handle={self._handle!r})"

    @property
    def pds(self) -> str | None:
        """The PDS searches go to, once signed in (None: the configured ``bluesky`` base URL)."""
        return self._session.pds if self._session is not None else None

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
            raise SourceSkipped(_refusal(exc)) from exc
        self.sessions_created += 1
        return self._session_from(read_json(answer, "Bluesky sign-in"), None, "Bluesky sign-in")

    @staticmethod
    def _session_from(body: Any, previous: _Session | None, what: str) -> _Session:
        if not isinstance(body, dict) or not body.get("accessJwt") or not body.get("refreshJwt"):
            raise SourceSkipped(f"{what} answered without a session")
        tokens = {name: body[name] for name in ("accessJwt", "refreshJwt")}
        for name, token in tokens.items():
            # Each token is sent back in an Authorization header: one that cannot be is an unusable answer.
            problem = "not a string" if not isinstance(token, str) else header_problem(token)
            if problem is not None:
                raise SourceSkipped(f"{what} answered an unusable {name} ({problem})")
        pds = pds_endpoint(body.get("didDoc"), as_str(body.get("did")))
        if pds is None and previous is not None and "didDoc" not in body:
            # A refresh that leaves the DID document out keeps the PDS the session had.
            pds = previous.pds
        return _Session(tokens["accessJwt"], tokens["refreshJwt"], pds)

    async def _refreshed(self, session: _Session) -> _Session:
        """A new session from the refresh token; a fresh sign-in if the refresh token is spent too."""
        try:
            answer = await self._fetcher.post(
                AUTH_SOURCE,
                REFRESH_PATH,
                json_body=None,
                headers={"Authorization": f"Bearer {session.refresh}"},
                base_url=session.pds,
            )
        except FetchError as exc:
            # As atproto's client: a 401, or a named bad token, means the refresh token is spent.
            if exc.status == 401 or (exc.status == 400 and xrpc_error(exc) in BAD_REFRESH):
                return await self._create()
            raise SourceSkipped(f"session refresh failed: {_refusal(exc)}") from exc
        self.sessions_refreshed += 1
        return self._session_from(read_json(answer, "Bluesky session refresh"), session, "Bluesky session refresh")

    async def search(self, window: Window, *, refresh: bool = False) -> SourceResult:
        """Every post linking arxiv.org in ``window``; raises SourceSkipped when Bluesky cannot be read at all.

        A failure after some pages keeps the posts read and says why in ``partial``.
        """
        result = SourceResult(SEARCH_SOURCE)
        async with self._lock:
            if self._session is None:
                self._session = await self._create()
        seen: set[str] = set()
        pages: list[str] = []
        label = ""
        try:
            for label, query in QUERIES:

                async def part(span: Window, label: str = label, query: dict[str, str] = query) -> Window | None:
                    return await self._search_part(label, query, span, result, seen, pages, refresh)

                result.notes += await cover(window, part)
        except SourceSkipped as exc:
            if not pages:
                raise
            done = sum(1 for name in pages if name == label)
            result.partial = f"{label} search, page {done + 1}: {exc}"
        return result

    async def _search_part(
        self,
        label: str,
        query: dict[str, str],
        span: Window,
        result: SourceResult,
        seen: set[str],
        pages: list[str],
        refresh: bool,
    ) -> Window | None:
        """Pages through one query over ``span``; returns what the cursor did not reach, or None."""
        cursor = ""
        read = 0
        oldest: datetime | None = None
        full_page = False
        hits_total: int | None = None
        for _ in range(MAX_PAGES):
            params = {
                **query,
                "since": iso_z(span.start),
                "until": iso_z(span.end),
                "sort": "latest",
                "limit": str(self._page_size),
            }
            if cursor:
                params["cursor"] = cursor
            body = await self._page(params, result, refresh)
            posts = body.get("posts")
            if not isinstance(posts, list):
                raise SourceSkipped("Bluesky answered without a list of posts")
            pages.append(label)
            for raw in posts:
                moment = _sort_time(raw)
                if moment is not None and (oldest is None or moment < oldest):
                    oldest = moment
                post = _post(raw)
                if post is not None and post.ref not in seen:
                    seen.add(post.ref)
                    result.posts.append(post)
            read += len(posts)
            full_page = len(posts) >= self._page_size
            total = body.get("hitsTotal")
            hits_total = total if isinstance(total, int) and not isinstance(total, bool) else None
            nxt = as_str(body.get("cursor"))
            if not posts or not nxt or nxt == cursor:
                break
            problem = param_problem(nxt)
            if problem is not None:
                # It would be sent back in the next page's query: the posts read so far are kept.
                raise SourceSkipped(f"Bluesky answered an unusable cursor ({problem})")
            cursor = nxt
        else:
            full_page = True  # the page guard stopped a cursor still going
        # The cursor "may not necessarily allow scrolling through the entire result set"
        # (the lexicon): a last page that was full, or fewer posts than the count of hits,
        # means the search stopped early. Newest come first, so the rest is older.
        if not (full_page or (hits_total is not None and hits_total > read)) or oldest is None:
            return None
        rest = Window(span.start, min(oldest.replace(microsecond=0) + timedelta(seconds=1), span.end))
        if rest == span and not full_page:
            # Only the count says more, and the part cannot shrink: the appview counts posts it
            # does not show (deleted, blocked); splitting would not find them either.
            return None
        return rest

    async def _renew(self, refused: str) -> None:
        """Refresh the session the refused header carried, unless another search already did."""
        async with self._lock:
            assert self._session is not None
            if refused == f"Bearer {self._session.access}":
                self._session = await self._refreshed(self._session)

    async def _page(self, params: dict[str, str], result: SourceResult, refresh: bool) -> Any:
        assert self._session is not None
        for attempt in range(2):
            session = self._session
            headers = {"Authorization": f"Bearer {session.access}"}
            try:
                answer = await self._fetcher.get(
                    SEARCH_SOURCE,
                    SEARCH_PATH,
                    params=params,
                    headers=headers,
                    freshness=Freshness.LIVE,
                    refresh=refresh,
                    base_url=session.pds,
                )
            except FetchError as exc:
                if exc.status in (400, 401) and xrpc_error(exc) == EXPIRED:
                    if attempt == 0:
                        await self._renew(headers["Authorization"])
                        continue
                    raise SourceSkipped("Bluesky refused the refreshed session (ExpiredToken)") from exc
                raise SourceSkipped(_refusal(exc)) from exc
            result.requests += 1
            result.stale = result.stale or answer.stale
            body = read_json(answer, "Bluesky")
            if not isinstance(body, dict):
                raise SourceSkipped("Bluesky answered an unexpected shape")
            return body
        raise AssertionError("unreachable")  # pragma: no cover


def web_url(uri: str, handle: str) -> str:
    """The bsky.app URL of a post's ``at://`` URI."""
    rkey = uri.rstrip("/").rsplit("/", 1)[-1]
    return WEB_URL.format(handle=handle, rkey=rkey)


def _sort_time(raw: Any) -> datetime | None:
    """When the search service files a post: the earlier of its createdAt and indexedAt ("sortAt")."""
    if not isinstance(raw, dict):
        return None
    times = [
        t for t in (parse_time(as_dict(raw.get("record")).get("createdAt")), parse_time(raw.get("indexedAt"))) if t
    ]
    return min(times, default=None)


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
        created_at=created.astimezone(UTC),
        text=as_str(record.get("text")),
        lang=as_str(langs[0]) if isinstance(langs, list) and langs else "",
        reposts=as_int(raw.get("repostCount")) + as_int(raw.get("quoteCount")),
        likes=as_int(raw.get("likeCount")),
        comments=as_int(raw.get("replyCount")),
        points=0,
        arxiv_ids=tuple(ids),
        ref=uri,
    )
