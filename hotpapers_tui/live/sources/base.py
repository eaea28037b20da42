"""What every source client returns: normalised posts, and why a source was skipped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hotpapers_tui.fetch.api import Fetched, FetchError

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
