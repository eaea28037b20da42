"""Building one listing day's Hot Papers from today's sources: gather, group by paper, fetch metadata, score, rank.

The score of a paper (documented in the README):

    score = round( sum over its X and Bluesky posts of (weight_reposts * reposts + weight_likes * likes)
                   + weight_hn_points * (points of its Hacker News stories)
                   + weight_hf_upvotes * (its Hugging Face upvotes) )

where a post's reposts count its quotes too. A post's own score is
``weight_reposts * reposts + weight_likes * likes`` (an HN story: ``weight_hn_points * points``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from hotpapers_tui.fetch.api import Fetcher, FetchError
from hotpapers_tui.live import calendar
from hotpapers_tui.live.arxiv_meta import ArxivMetadata, MetaReport, PaperMeta
from hotpapers_tui.live.embeds import tweet_of
from hotpapers_tui.live.ids import could_exist, id_month
from hotpapers_tui.live.settings import LiveSettings
from hotpapers_tui.live.sources import hackernews, huggingface, x
from hotpapers_tui.live.sources.base import SocialPost, SourceResult, SourceSkipped, iso_z, skip_reason
from hotpapers_tui.live.sources.bluesky import BlueskyClient
from hotpapers_tui.live.sources.huggingface import HubPaper
from hotpapers_tui.model import Day, Paper, default_title, rank_papers

Progress = Callable[[str], None]

SOCIAL_SOURCES = ("hackernews", "bluesky", "x")
ALL_SOURCES = ("hackernews", "bluesky", "x", "huggingface", "arxiv")
SOURCE_KEY = "source."
"""Day.extra keys ``source.NAME`` hold ``used: ...``, ``partial: ...; incomplete: REASON`` or ``skipped: REASON``."""
INCOMPLETE = "; incomplete: "
"""Where a partial source's status says why it stopped early."""

HUGGINGFACE_FIRST_DAY = date(2023, 5, 4)
"""Hugging Face Daily Papers has a page per day from this day on."""
NO_CREDENTIALS = "no credentials"
X_OUT_OF_REACH = "X's recent search reaches back 7 days only, and this window is older"
BEFORE_HUGGINGFACE = f"Hugging Face Daily Papers begin {HUGGINGFACE_FIRST_DAY.isoformat()}"
SETTLED_SKIPS = (NO_CREDENTIALS, X_OUT_OF_REACH, BEFORE_HUGGINGFACE)
"""Reasons a source is skipped that asking again would not change (unlike a failure or being offline)."""


class LiveError(Exception):
    """A day that cannot be built at all (not a listing day, not announced yet); the message is for the user."""


@dataclass(slots=True)
class _Gathered:
    posts: list[SocialPost] = field(default_factory=list)
    hub: list[HubPaper] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)
    stale: bool = False


def post_score(post: SocialPost, settings: LiveSettings) -> float:
    """One post's weight: reposts and likes, or an HN story's points."""
    if post.platform == "hackernews":
        return settings.weight_hn_points * post.points
    return settings.weight_reposts * post.reposts + settings.weight_likes * post.likes


def paper_breakdown(
    posts: list[SocialPost], upvotes: int | None, settings: LiveSettings
) -> tuple[int, tuple[tuple[str, int], ...]]:
    """A paper's score and its per-source parts (platforms with posts, then Hugging Face)."""
    parts: dict[str, float] = {}
    for post in posts:
        parts[post.platform] = parts.get(post.platform, 0.0) + post_score(post, settings)
    if upvotes is not None:
        parts["huggingface"] = settings.weight_hf_upvotes * upvotes
    total = round(sum(parts.values()))
    order = [*SOCIAL_SOURCES, "huggingface"]
    return total, tuple((name, round(parts[name])) for name in order if name in parts)


def shown_posts(posts: list[SocialPost], settings: LiveSettings) -> list[SocialPost]:
    """The posts a paper shows: most attention first; the first always, then those reaching min_post_score."""
    ranked = sorted(posts, key=lambda p: (-post_score(p, settings), p.created_at))
    kept = ranked[:1] + [p for p in ranked[1:] if post_score(p, settings) >= settings.min_post_score]
    return kept[: max(settings.max_posts, 0)]


async def _run(name: str, job: Awaitable[SourceResult], gathered: _Gathered, progress: Progress) -> None:
    try:
        result = await job
    except SourceSkipped as exc:
        gathered.status[name] = f"skipped: {exc}"
        progress(f"{name}: skipped ({exc})")
        return
    except FetchError as exc:
        gathered.status[name] = f"skipped: {skip_reason(exc)}"
        progress(f"{name}: skipped ({skip_reason(exc)})")
        return
    gathered.posts.extend(result.posts)
    gathered.stale = gathered.stale or result.stale
    notes = "".join(f"; {n}" for n in result.notes)
    summary = f"{len(result.posts)} posts, {result.requests} requests{notes}"
    if result.partial:
        # The posts read before the failure still count; the day says the source is incomplete.
        gathered.status[name] = f"partial: {summary}{INCOMPLETE}{result.partial}"
        progress(f"{name}: {len(result.posts)} posts (incomplete: {result.partial})")
        return
    gathered.status[name] = f"used: {summary}"
    progress(f"{name}: {len(result.posts)} posts")


async def _hub(fetcher: Fetcher, day: date, gathered: _Gathered, progress: Progress, refresh: bool) -> None:
    if day < HUGGINGFACE_FIRST_DAY:
        gathered.status["huggingface"] = f"skipped: {BEFORE_HUGGINGFACE}"
        progress(f"huggingface: skipped ({BEFORE_HUGGINGFACE})")
        return
    try:
        hub = await huggingface.daily_papers(fetcher, day, refresh=refresh)
    except SourceSkipped as exc:
        gathered.status["huggingface"] = f"skipped: {exc}"
        progress(f"huggingface: skipped ({exc})")
        return
    gathered.hub = hub.papers
    if hub.partial:
        gathered.status["huggingface"] = f"partial: {len(hub.papers)} papers{INCOMPLETE}{hub.partial}"
    else:
        gathered.status["huggingface"] = f"used: {len(gathered.hub)} papers"
    progress(f"huggingface: {len(gathered.hub)} papers")


QUANTUM = 600
"""Seconds: an open window's end is rounded up to this, so builds minutes apart ask the same URLs."""


def query_window(window: calendar.Window, now: datetime) -> calendar.Window:
    """The window as asked of the sources: a window still open at ``now`` ends at the next 10-minute mark.

    Nothing is posted after now, so asking a little past it counts the same posts, and the
    fetch layer's cache can answer a build made a few minutes after the last one.
    """
    if window.end < now:
        return window
    stamp = int(now.timestamp())
    end = datetime.fromtimestamp(-(-stamp // QUANTUM) * QUANTUM, UTC)
    return calendar.Window(window.start, end)


async def gather(
    day: date,
    fetcher: Fetcher,
    settings: LiveSettings,
    *,
    now: datetime,
    progress: Progress,
    bluesky: BlueskyClient | None = None,
    refresh: bool = False,
) -> _Gathered:
    """Every source's posts for ``day``'s attention window, one query per source, sources side by side."""
    window = query_window(settings.calendar.attention_window(day, settings.window_days, now), now)
    gathered = _Gathered()
    jobs: list[Awaitable[None]] = [
        _run("hackernews", hackernews.search(fetcher, window, refresh=refresh), gathered, progress),
        _hub(fetcher, day, gathered, progress, refresh),
    ]
    if settings.has_bluesky:
        assert settings.bluesky_handle is not None and settings.bluesky_app_password is not None
        client = bluesky or BlueskyClient(fetcher, settings.bluesky_handle, settings.bluesky_app_password)
        jobs.append(_run("bluesky", client.search(window, refresh=refresh), gathered, progress))
    else:
        gathered.status["bluesky"] = f"skipped: {NO_CREDENTIALS}"
    if x.searchable(window, now).empty:
        # Said even without a token: for a past day, a token would not help.
        gathered.status["x"] = f"skipped: {X_OUT_OF_REACH}"
    elif settings.has_x:
        assert settings.x_bearer_token is not None
        search = x.search(
            fetcher, settings.x_bearer_token, window, now=now, cap=settings.x_max_posts_per_build, refresh=refresh
        )
        jobs.append(_run("x", search, gathered, progress))
    else:
        gathered.status["x"] = f"skipped: {NO_CREDENTIALS}"
    await asyncio.gather(*jobs)
    return gathered


def could_be_listed(arxiv_id: str, submitted: calendar.Window) -> bool:
    """False for ids assigned too early to be first announced in ``submitted``.

    Ids carry the month they were assigned, so most papers of other days are known to
    be old without asking arXiv (each request costs 3 seconds). A month of slack covers
    papers held in moderation.
    """
    month = id_month(arxiv_id)
    if month is None:
        return False  # old-style ids stopped in 2007
    start = submitted.start.astimezone(calendar.EASTERN)
    earliest = (start.year, start.month - 1) if start.month > 1 else (start.year - 1, 12)
    return month >= earliest


def _local(moment: datetime) -> datetime:
    """Local time without a zone, as the archive writes its timestamps."""
    return moment.astimezone().replace(tzinfo=None)


async def credentials_ready(settings: LiveSettings) -> None:
    """Look the credentials up if they were not yet, in a worker thread.

    Asking the keyring can take a noticeable part of a second; the reader runs builds on
    its event loop, where that would freeze the screen.
    """
    if not settings.credentials.resolved:
        await asyncio.to_thread(settings.credentials.values)


async def build_day(
    day: date,
    fetcher: Fetcher,
    settings: LiveSettings,
    *,
    now: datetime,
    progress: Progress | None = None,
    bluesky: BlueskyClient | None = None,
    metadata: ArxivMetadata | None = None,
    refresh: bool = False,
) -> Day:
    """Listing day ``day`` as Hot Papers, from what the sources say at ``now`` (aware).

    A source that fails is skipped and said so in ``Day.extra`` (``source.NAME``); raises
    LiveError only when the day itself cannot be built.
    """
    say: Progress = progress or (lambda _line: None)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    listing = settings.calendar
    why = listing.why_not_listed(day)
    if why is not None:
        raise LiveError(why)
    if listing.announcement(day) > now:
        raise LiveError(f"{day.isoformat()} has not been announced yet")
    await credentials_ready(settings)
    gathered = await gather(day, fetcher, settings, now=now, progress=say, bluesky=bluesky, refresh=refresh)

    by_id: dict[str, dict[str, SocialPost]] = {}
    for post in gathered.posts:
        for arxiv_id in post.arxiv_ids:
            # The same post linking a paper twice (text and card) counts once.
            by_id.setdefault(arxiv_id, {}).setdefault(post.url, post)
    upvotes = {paper.arxiv_id: paper.upvotes for paper in gathered.hub}
    mentioned = list(dict.fromkeys([*by_id, *upvotes]))
    say(f"{len(gathered.posts)} posts mention {len(mentioned)} papers")

    submitted = listing.submission_window(day)
    # Ids are checked against arXiv's scheme where they are read; a month not yet begun is known only now.
    candidates = [i for i in mentioned if could_exist(i, not_after=now.date())]
    if not settings.include_all_mentioned:
        candidates = [i for i in candidates if could_be_listed(i, submitted)]
    report = MetaReport()
    metas = await (metadata or ArxivMetadata(fetcher)).fetch(candidates, report)
    if report.error and metas:
        gathered.status["arxiv"] = (
            f"partial: {len(metas)} papers, {report.requests} requests"
            f"{INCOMPLETE}{report.error} ({len(report.missing)} papers without metadata)"
        )
    elif report.error:
        gathered.status["arxiv"] = f"skipped: {report.error} ({len(report.missing)} papers without metadata)"
    else:
        gathered.status["arxiv"] = f"used: {len(metas)} papers, {report.requests} requests"
    say(f"arxiv: metadata of {len(metas)} papers")

    counted_at = _local(now)
    papers: list[Paper] = []
    for arxiv_id in candidates:
        meta = metas.get(arxiv_id)
        if meta is None:
            continue
        if not settings.include_all_mentioned and meta.published not in submitted:
            continue
        posts = list(by_id.get(arxiv_id, {}).values())
        paper = _paper(meta, posts, upvotes.get(arxiv_id), settings, counted_at)
        if paper.score >= settings.min_paper_score:
            papers.append(paper)
    ranked = tuple(rank_papers(papers))
    say(f"found {len(ranked)} papers")

    attention = listing.attention_window(day, settings.window_days, now)
    extra = {f"{SOURCE_KEY}{name}": gathered.status[name] for name in ALL_SOURCES if name in gathered.status}
    extra["window"] = f"{iso_z(attention.start)} to {iso_z(attention.end)}"
    extra["submissions"] = f"{iso_z(submitted.start)} to {iso_z(submitted.end)}"
    extra["mentioned"] = str(len(mentioned))
    if gathered.stale:
        extra["stale"] = "some answers came from an expired cache"
    return Day(
        date=day,
        title=default_title(day),
        generated_at=counted_at,
        papers=ranked,
        extra=extra,
    )


def _paper(
    meta: PaperMeta, posts: list[SocialPost], upvotes: int | None, settings: LiveSettings, counted_at: datetime
) -> Paper:
    score, breakdown = paper_breakdown(posts, upvotes, settings)
    social = [p for p in posts if p.platform != "hackernews"]
    return Paper(
        arxiv_id=meta.arxiv_id,
        title=meta.title,
        authors=meta.authors,
        retweets=sum(p.reposts for p in social),
        favorites=sum(p.likes for p in social),
        counted_at=counted_at,
        abs_url=meta.abs_url,
        pdf_url=meta.pdf_url,
        categories=meta.categories or ("unknown",),
        abstract=meta.abstract,
        tweets=tuple(tweet_of(p) for p in shown_posts(posts, settings)),
        breakdown=breakdown,
        score_override=score,
    )


def source_status(day: Day) -> dict[str, str]:
    """The ``source.NAME`` facts of a built day, by source name."""
    return {k[len(SOURCE_KEY) :]: v for k, v in day.extra.items() if k.startswith(SOURCE_KEY)}


def complete(day: Day) -> bool:
    """True when every source answered in full, or was skipped for a reason asking again would not change."""
    if "stale" in day.extra:
        return False
    for status in source_status(day).values():
        kind, _, detail = status.partition(": ")
        if kind == "used":
            if "partial" in detail:
                return False
        elif detail not in SETTLED_SKIPS:
            return False
    return True


def sources_note(day: Day) -> str:
    """One line for the user: the sources used (those cut short marked partial, with why) and those skipped."""
    used: list[str] = []
    skipped: list[str] = []
    for name, status in source_status(day).items():
        kind, _, detail = status.partition(": ")
        if kind == "used":
            used.append(f"{name} ({detail.split(',')[0]})")
        elif kind == "partial":
            counted, _, why = detail.partition(INCOMPLETE)
            used.append(f"{name} ({counted.split(',')[0]}, partial: {why or 'incomplete'})")
        else:
            skipped.append(f"{name} ({detail})")
    note = "sources: " + (", ".join(used) or "none")
    if skipped:
        note += "; skipped: " + ", ".join(skipped)
    if "stale" in day.extra:
        note += "; " + day.extra["stale"]
    return note
