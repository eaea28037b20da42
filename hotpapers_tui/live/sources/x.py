"""X (Twitter) posts that link arxiv.org, through API v2 recent search: paid per post read, so capped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hotpapers_tui.fetch.api import Fetcher, FetchError, Freshness, param_problem
from hotpapers_tui.live.calendar import Window
from hotpapers_tui.live.ids import ids_in_urls
from hotpapers_tui.live.sources.base import (
    SocialPost,
    SourceResult,
    SourceSkipped,
    as_dict,
    as_int,
    as_list,
    as_str,
    iso_z,
    parse_time,
    read_json,
    skip_reason,
)

SOURCE = "x"
PATH = "/2/tweets/search/recent"
QUERY = 'url:"arxiv.org" -is:retweet'
"""Every original post linking arxiv.org; retweets are counted on the post they repeat."""
MAX_QUERY = 512
MIN_PAGE, MAX_PAGE = 10, 100
"""X's bounds for max_results."""
SEARCH_DAYS = 7
"""Recent search reaches back seven days."""
END_MARGIN = timedelta(seconds=30)
"""X refuses an end_time less than 10 seconds before now."""
STATUS_URL = "https://x.com/{handle}/status/{id}"

assert len(QUERY) <= MAX_QUERY


def searchable(window: Window, now: datetime) -> Window:
    """The part of ``window`` recent search can reach at ``now``."""
    # Both bounds move with now: keep them on 10-minute marks so nearby builds ask the same URL.
    earliest = _floor(now - timedelta(days=SEARCH_DAYS)) + timedelta(minutes=10)
    latest = _floor(now - END_MARGIN)
    return Window(max(window.start, earliest), min(window.end, latest))


def _floor(moment: datetime) -> datetime:
    stamp = int(moment.timestamp())
    return datetime.fromtimestamp(stamp - stamp % 600, UTC)


async def search(
    fetcher: Fetcher, token: str, window: Window, *, now: datetime, cap: int, refresh: bool = False
) -> SourceResult:
    """Posts linking arxiv.org in ``window``, reading at most ``cap`` posts; raises SourceSkipped."""
    result = SourceResult(SOURCE)
    reach = searchable(window, now)
    if reach.empty:
        raise SourceSkipped("the window is older than X's 7-day recent search")
    if reach.start > window.start:
        result.notes.append(f"window clipped to X's 7 days (from {iso_z(reach.start)})")
    headers = {"Authorization": f"Bearer {token}"}
    read = 0
    next_token = ""
    seen: set[str] = set()
    if cap < MIN_PAGE:
        raise SourceSkipped(f"the cap of {cap} posts is below X's smallest page ({MIN_PAGE})")
    while True:
        # X bills every post returned, and a page is at least 10: stop before a page could pass the cap.
        want = min(MAX_PAGE, cap - read)
        if want < MIN_PAGE:
            result.notes.append(f"stopped at the cap of {cap} posts read")
            break
        params = {
            "query": QUERY,
            "start_time": iso_z(reach.start),
            "end_time": iso_z(reach.end),
            "max_results": str(want),
            "tweet.fields": "public_metrics,created_at,lang,author_id,entities",
            "expansions": "author_id",
            "user.fields": "username,name",
        }
        if next_token:
            params["next_token"] = next_token
        try:
            body, data = await _page(fetcher, params, headers, result, refresh)
        except SourceSkipped as exc:
            if not result.requests:
                raise
            # The pages read are paid for: keep their posts and say the rest is missing.
            result.partial = f"page {result.requests + 1}: {exc}"
            break
        result.requests += 1
        users = _users(body)
        data = data[:want]
        for raw in data:
            post = _post(raw, users)
            if post is not None and post.url not in seen:
                seen.add(post.url)
                result.posts.append(post)
        read += len(data)
        meta = as_dict(body.get("meta"))
        next_token = as_str(meta.get("next_token"))
        if not data or not next_token:
            break
        problem = param_problem(next_token)
        if problem is not None:
            # It would be sent back in the next page's query: keep the posts read, say the rest is missing.
            result.partial = f"page {result.requests + 1}: X answered an unusable next_token ({problem})"
            break
    result.read = read
    return result


async def _page(
    fetcher: Fetcher, params: dict[str, str], headers: dict[str, str], result: SourceResult, refresh: bool
) -> tuple[dict[str, Any], list[Any]]:
    """One page of recent search: its body and its list of posts; raises SourceSkipped."""
    try:
        answer = await fetcher.get(
            SOURCE, PATH, params=params, headers=headers, freshness=Freshness.LIVE, refresh=refresh
        )
    except FetchError as exc:
        raise SourceSkipped(skip_reason(exc)) from exc
    result.stale = result.stale or answer.stale
    body = read_json(answer, "X")
    if not isinstance(body, dict):
        raise SourceSkipped("X answered an unexpected shape")
    data = body.get("data") or []
    if not isinstance(data, list):
        raise SourceSkipped("X answered without a list of posts")
    return body, data


def _users(body: dict[str, Any]) -> dict[str, tuple[str, str]]:
    includes = as_dict(body.get("includes"))
    users: dict[str, tuple[str, str]] = {}
    for user in as_list(includes.get("users")):
        if isinstance(user, dict):
            users[as_str(user.get("id"))] = (as_str(user.get("username")), as_str(user.get("name")))
    return users


def _post(raw: Any, users: dict[str, tuple[str, str]]) -> SocialPost | None:
    if not isinstance(raw, dict):
        return None
    tweet_id = as_str(raw.get("id"))
    text = as_str(raw.get("text"))
    entities = as_dict(raw.get("entities"))
    urls = [text]
    for link in as_list(entities.get("urls")):
        if isinstance(link, dict):
            urls.extend(as_str(link.get(k)) for k in ("expanded_url", "unwound_url"))
    ids = ids_in_urls(urls)
    created = parse_time(raw.get("created_at"))
    handle, name = users.get(as_str(raw.get("author_id")), ("", ""))
    if not tweet_id or not ids or created is None or not handle:
        return None
    metrics = as_dict(raw.get("public_metrics"))
    return SocialPost(
        platform="x",
        url=STATUS_URL.format(handle=handle, id=tweet_id),
        author=name or handle,
        handle=handle,
        created_at=created,
        text=text,
        lang=as_str(raw.get("lang")),
        reposts=as_int(metrics.get("retweet_count")) + as_int(metrics.get("quote_count")),
        likes=as_int(metrics.get("like_count")),
        comments=as_int(metrics.get("reply_count")),
        points=0,
        arxiv_ids=tuple(ids),
        ref=tweet_id,
    )
