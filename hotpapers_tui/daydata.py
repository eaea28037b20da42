"""A Day as JSON and back: the schema ``show --json`` prints and ``export --from-json`` reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from hotpapers_tui.model import Day, Paper, Tweet, with_papers
from hotpapers_tui.posts import UnwritableField, as_written

SCHEMA_VERSION = 1


class DayDataError(ValueError):
    """JSON that is not a day of the documented shape; names the key at fault."""


def tweet_to_json(tweet: Tweet) -> dict[str, Any]:
    return {
        "url": tweet.url,
        "author": tweet.author,
        "handle": tweet.handle,
        "date": tweet.date,
        "lang": tweet.lang,
        "text": tweet.text,
        "html": tweet.html,
        "script": tweet.script,
        "platform": tweet.platform,
        "reposts": tweet.reposts,
        "likes": tweet.likes,
        "comments": tweet.comments,
    }


def paper_to_json(paper: Paper, rank: int) -> dict[str, Any]:
    return {
        "rank": rank,
        "arxiv_id": paper.arxiv_id,
        "title": paper.title,
        "authors": list(paper.authors),
        "retweets": paper.retweets,
        "favorites": paper.favorites,
        "score": paper.score,
        "score_override": paper.score_override,
        "counted_at": paper.counted_at.isoformat(),
        "abs_url": paper.abs_url,
        "pdf_url": paper.pdf_url,
        "categories": list(paper.categories),
        "abstract": paper.abstract,
        "breakdown": dict(paper.breakdown),
        "tweets": [tweet_to_json(t) for t in paper.tweets],
    }


def day_to_json(day: Day) -> dict[str, Any]:
    """The JSON object of a day, papers in the day's order (its ranking; a post's numbering)."""
    return {
        "schema": SCHEMA_VERSION,
        "date": day.date.isoformat(),
        "end_date": day.end_date.isoformat() if day.end_date else None,
        "title": day.title,
        "generated_at": day.generated_at.isoformat(),
        "slug": day.canonical_slug,
        "description": day.canonical_description,
        "papers": [paper_to_json(p, i) for i, p in enumerate(day.papers, start=1)],
    }


def _get(obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, dict):
        raise DayDataError(f"{where}: expected an object")
    if key not in obj:
        raise DayDataError(f"{where}: missing key '{key}'")
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise DayDataError(f"{where}.{key}: expected {names}, found {type(value).__name__}")
    return value


def _opt(obj: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if obj.get(key) is None:
        return None
    return _get(obj, key, kind, where)


def _count(obj: Any, key: str, where: str) -> int:
    value: int = _get(obj, key, int, where)
    if value < 0:
        raise DayDataError(f"{where}.{key}: expected a whole number >= 0, found {value}")
    return value


def _strings(obj: Any, key: str, where: str) -> tuple[str, ...]:
    values = _get(obj, key, list, where)
    if not all(isinstance(v, str) for v in values):
        raise DayDataError(f"{where}.{key}: expected a list of strings")
    return tuple(values)


def _when(text: str, where: str, parse: Any) -> Any:
    try:
        return parse(text)
    except ValueError:
        raise DayDataError(f"{where}: expected an ISO date or time, found {text!r}") from None


def tweet_from_json(obj: Any, where: str) -> Tweet:
    return Tweet(
        url=_get(obj, "url", str, where),
        author=_get(obj, "author", str, where),
        handle=_get(obj, "handle", str, where),
        date=_get(obj, "date", str, where),
        text=_get(obj, "text", str, where),
        lang=_get(obj, "lang", str, where),
        html=_get(obj, "html", str, where),
        script=_opt(obj, "script", str, where),
        platform=_opt(obj, "platform", str, where) or "x",
        reposts=_opt(obj, "reposts", int, where),
        likes=_opt(obj, "likes", int, where),
        comments=_opt(obj, "comments", int, where),
    )


def paper_from_json(obj: Any, where: str) -> Paper:
    breakdown = obj.get("breakdown") or {} if isinstance(obj, dict) else {}
    if not isinstance(breakdown, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in breakdown.values()
    ):
        raise DayDataError(f"{where}.breakdown: expected an object of whole numbers")
    tweets = _get(obj, "tweets", list, where)
    retweets = _count(obj, "retweets", where)
    favorites = _count(obj, "favorites", where)
    # "score" is derived and ignored on import; a score weighed elsewhere (live days)
    # travels as "score_override".
    override = _opt(obj, "score_override", int, where)
    return Paper(
        arxiv_id=_get(obj, "arxiv_id", str, where),
        title=_get(obj, "title", str, where),
        authors=_strings(obj, "authors", where),
        retweets=retweets,
        favorites=favorites,
        counted_at=_when(_get(obj, "counted_at", str, where), f"{where}.counted_at", datetime.fromisoformat),
        abs_url=_get(obj, "abs_url", str, where),
        pdf_url=_get(obj, "pdf_url", str, where),
        categories=_strings(obj, "categories", where),
        abstract=_get(obj, "abstract", str, where),
        tweets=tuple(tweet_from_json(t, f"{where}.tweets[{i}]") for i, t in enumerate(tweets)),
        breakdown=tuple(breakdown.items()),
        score_override=override,
    )


def day_from_json(obj: Any, *, for_post: bool = True) -> Day:
    """A Day from the JSON ``day_to_json`` makes; raises DayDataError naming the key at fault.

    By default the day is one to write as a post (``export --from-json``): it is made
    exactly what its post will read back (:func:`~hotpapers_tui.posts.as_written`:
    each post's fields from its embed line, whole seconds, one-line fields), what no
    post can carry is refused naming the key, and the papers are ranked again by
    score. ``for_post=False`` reads the JSON as it is, for the live feed's own store of
    built days, whose per-post counts a post does not carry.
    """
    where = "day"
    start = _when(_get(obj, "date", str, where), "day.date", date.fromisoformat)
    end_text = _opt(obj, "end_date", str, where)
    end = _when(end_text, "day.end_date", date.fromisoformat) if end_text else None
    papers = _get(obj, "papers", list, where)
    day = Day(
        date=start,
        end_date=end,
        title=_get(obj, "title", str, where),
        generated_at=_when(_get(obj, "generated_at", str, where), "day.generated_at", datetime.fromisoformat),
        papers=tuple(paper_from_json(p, f"papers[{i}]") for i, p in enumerate(papers)),
    )
    slug = _opt(obj, "slug", str, where) or ""
    description = _opt(obj, "description", str, where) or ""
    day = replace(
        day,
        slug="" if slug == day.canonical_slug else slug,
        description="" if description == day.canonical_description else description,
    )
    if not for_post:
        return day
    try:
        written = as_written(day)
    except UnwritableField as exc:
        raise DayDataError(str(exc)) from None
    # "rank" and "score" are derived: editing the counts ranks the paper again.
    return with_papers(written, written.papers)
