"""Hacker News stories that link arxiv.org, through Algolia's search_by_date."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hotpapers_tui.fetch.api import Fetcher, FetchError, Freshness
from hotpapers_tui.live.calendar import Window
from hotpapers_tui.live.ids import ids_in_text
from hotpapers_tui.live.sources.base import (
    SocialPost,
    SourceResult,
    SourceSkipped,
    as_int,
    as_str,
    cover,
    parse_time,
    read_json,
    skip_reason,
)

SOURCE = "hackernews"
PATH = "/api/v1/search_by_date"
HITS_PER_PAGE = 1000
"""Algolia answers at most 1000 hits per query: a fuller window is split in two."""
DISCUSSION_URL = "https://news.ycombinator.com/item?id={}"
MAX_PAGES = 50
"""A guard against a server that never stops paging."""


async def search(fetcher: Fetcher, window: Window, *, refresh: bool = False) -> SourceResult:
    """Every arxiv.org story posted in ``window``; raises SourceSkipped if HN cannot be read at all.

    A failure after some answers keeps the stories read and says why in ``partial``.
    """
    result = SourceResult(SOURCE)
    seen: set[str] = set()
    pages: list[int] = []

    async def part(span: Window) -> Window | None:
        return await _search_part(fetcher, span, result, seen, pages, refresh)

    try:
        result.notes += await cover(window, part)
    except SourceSkipped as exc:
        if not pages:
            raise
        result.partial = f"page {len(pages) + 1}: {exc}"
    return result


async def _search_part(
    fetcher: Fetcher, span: Window, result: SourceResult, seen: set[str], pages: list[int], refresh: bool
) -> Window | None:
    """The stories of ``span``, or all of ``span`` back unread when it holds more than Algolia returns."""
    start, end = int(span.start.timestamp()), int(span.end.timestamp())
    page = 0
    while page < MAX_PAGES:
        body = await _query(fetcher, start, end, page, result, refresh)
        total = as_int(body.get("nbHits"))
        if page == 0 and total >= HITS_PER_PAGE and end - start > 1:
            # Algolia stops at 1000 hits whatever the paging: the window is split instead.
            return span
        page_hits = body.get("hits")
        if not isinstance(page_hits, list):
            raise SourceSkipped("Hacker News answered without a list of hits")
        for hit in page_hits:
            post = _post(hit)
            if post is not None and post.url not in seen:
                seen.add(post.url)
                result.posts.append(post)
        pages.append(page)
        page += 1
        if not page_hits or page >= as_int(body.get("nbPages")):
            break
    return None


async def _query(fetcher: Fetcher, start: int, end: int, page: int, result: SourceResult, refresh: bool) -> Any:
    # start inclusive, end exclusive, as every window of the project.
    params = {
        "query": "arxiv.org",
        "restrictSearchableAttributes": "url",
        "tags": "story",
        "numericFilters": f"created_at_i>={start},created_at_i<{end}",
        "hitsPerPage": str(HITS_PER_PAGE),
        "page": str(page),
    }
    try:
        answer = await fetcher.get(SOURCE, PATH, params=params, freshness=Freshness.LIVE, refresh=refresh)
    except FetchError as exc:
        raise SourceSkipped(skip_reason(exc)) from exc
    result.requests += 1
    result.stale = result.stale or answer.stale
    body = read_json(answer, "Hacker News")
    if not isinstance(body, dict):
        raise SourceSkipped("Hacker News answered an unexpected shape")
    return body


def _post(hit: Any) -> SocialPost | None:
    if not isinstance(hit, dict):
        return None
    story_id = as_str(hit.get("objectID"))
    url = as_str(hit.get("url"))
    ids = ids_in_text(url)
    if not story_id or not ids:
        return None
    created = parse_time(hit.get("created_at"))
    if created is None:
        stamp = hit.get("created_at_i")
        created = datetime.fromtimestamp(stamp, UTC) if isinstance(stamp, int) else None
    if created is None:
        return None
    author = as_str(hit.get("author"))
    title = as_str(hit.get("title"))
    return SocialPost(
        platform="hackernews",
        url=DISCUSSION_URL.format(story_id),
        author=author,
        handle=author,
        created_at=created,
        text=title or url,
        lang="",
        reposts=0,
        likes=0,
        comments=as_int(hit.get("num_comments")),
        points=as_int(hit.get("points")),
        arxiv_ids=tuple(ids),
        ref=story_id,
        link=url,
    )
