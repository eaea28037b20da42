"""What every source client returns: normalised posts, and why a source was skipped."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from hotpapers_tui.fetch.api import Fetched, FetchError
from hotpapers_tui.live.calendar import Window

PLATFORMS = ("x", "bluesky", "hackernews")


@dataclass(frozen=True, slots=True)
class SocialPost:
    """One post that links arXiv papers, whatever platform it came from."""

    platform: str
    """``x``, ``bluesky`` or ``hackernews``."""
    url: str
    """The post's web URL (a tweet, a bsky.app post, an HN discussion)."""
    author: str
    """The author's display name."""
    handle: str
    """The author's handle without ``@``."""
    created_at: datetime
    """When it was posted (aware, UTC)."""
    text: str
    """The post's text (an HN story: its title and link)."""
    lang: str
    """Language code when the platform gave one, else empty."""
    reposts: int
    """Reposts (X: retweets + quotes; Bluesky: reposts + quotes)."""
    likes: int
    """Likes; 0 for an HN story."""
    comments: int
    """Replies or comments."""
    points: int
    """HN points; 0 elsewhere."""
    arxiv_ids: tuple[str, ...]
    """The papers it links, without versions."""
    ref: str = ""
    """The platform's own id of the post (a Bluesky ``at://`` URI, a tweet id, an HN story id)."""
    link: str = ""
    """The link an HN story points at; empty elsewhere."""


@dataclass(slots=True)
class SourceResult:
    """What one source gave for a window."""

    name: str
    posts: list[SocialPost] = field(default_factory=list)
    requests: int = 0
    """Requests made (cached answers included)."""
    notes: list[str] = field(default_factory=list)
    """Facts worth telling the user (capped, window clipped)."""
    stale: bool = False
    """True when some answer came from an expired cache entry."""
    read: int = 0
    """Posts read (what X bills), kept or not."""
    partial: str = ""
    """Why the source stopped before the end (a later page failed); the posts read before are kept."""


class SourceSkipped(Exception):
    """A source gave nothing usable; the message says why, for the user."""


def skip_reason(exc: FetchError) -> str:
    """A short reason for a failed fetch: offline, refused with a status, or the error itself."""
    if exc.offline:
        return "offline"
    if exc.status is not None:
        if exc.status in (401, 403):
            return f"refused (HTTP {exc.status})"
        return f"HTTP {exc.status}"
    return str(exc) or "failed"


def read_json(answer: Fetched, what: str) -> Any:
    """The JSON of an answer; bad JSON becomes SourceSkipped."""
    try:
        return answer.json()
    except (ValueError, UnicodeDecodeError):
        raise SourceSkipped(f"{what} answered something that is not JSON") from None


def parse_time(text: Any) -> datetime | None:
    """An ISO 8601 timestamp (``Z`` or an offset) as an aware UTC datetime, or None."""
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def as_int(value: Any) -> int:
    """A count from JSON: non-negative int, anything else 0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return max(0, int(value))


def as_dict(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one for anything else."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """A JSON array, or an empty one for anything else (a service can send ``true`` where a list belongs)."""
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def iso_z(moment: datetime) -> str:
    """``2026-11-24T12:00:00Z``: the UTC form every source accepts."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


ProgressLine = Callable[[str], None]


SearchPart = Callable[[Window], Awaitable[Window | None]]
"""Searches one part of a window; returns the part it could not reach, or None when it read it all."""

MAX_PARTS = 256
"""Queries one window may be split into: a server that always claims more results cannot run a build forever."""


def _halves(part: Window) -> tuple[Window, Window]:
    # Whole seconds: every service here takes its bounds to the second.
    half = int((part.end - part.start).total_seconds()) // 2
    middle = part.start + timedelta(seconds=half)
    return Window(part.start, middle), Window(middle, part.end)


async def cover(window: Window, search_part: SearchPart, *, max_parts: int = MAX_PARTS) -> list[str]:
    """Search all of ``window`` a part at a time; returns notes for the user on what could not be covered.

    Services stop one query short of its results (Algolia at 1,000 hits, Bluesky's cursor at
    its paging depth). ``search_part`` says what it could not reach: the rest of a part it got
    partly through is searched next, and a part it made no progress on is split in two.
    """
    notes: list[str] = []
    pending = [window]
    parts = 0
    while pending:
        part = pending.pop()
        if parts >= max_parts:
            left = Window(min(p.start for p in [part, *pending]), max(p.end for p in [part, *pending]))
            notes.append(
                f"stopped after {max_parts} queries; not searched: parts of {iso_z(left.start)} to {iso_z(left.end)}"
            )
            break
        parts += 1
        rest = await search_part(part)
        if rest is None:
            continue
        rest = Window(max(rest.start, part.start), min(rest.end, part.end))
        if rest.empty:
            continue
        if rest != part:
            pending.append(rest)
        elif (part.end - part.start) > timedelta(seconds=1):
            earlier, later = _halves(part)
            pending += [later, earlier]
        else:
            notes.append(f"more posts in the second from {iso_z(part.start)} than one query returns")
    return notes
