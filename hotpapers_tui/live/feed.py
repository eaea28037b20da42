"""The ``live`` feed: recent listing days, each built on demand from today's sources."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from hotpapers_tui.feeds.base import DayLoad, FeedError, Progress
from hotpapers_tui.fetch.api import Fetcher
from hotpapers_tui.live.arxiv_meta import ArxivMetadata, DiskMetaStore, MetaStore
from hotpapers_tui.live.build import LiveError, build_day, sources_note
from hotpapers_tui.live.calendar import recent_listing_days
from hotpapers_tui.live.settings import LiveSettings
from hotpapers_tui.live.sources.bluesky import BlueskyClient
from hotpapers_tui.paths import cache_dir

DEFAULT_LIMIT = 30


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SourceState:
    """Whether a source takes part in builds, and why not."""

    name: str
    enabled: bool
    why: str


def source_states(settings: LiveSettings, *, offline: bool = False) -> list[SourceState]:
    """Every source of the live feed with whether it is used; offline, only cached answers are."""
    states = [
        SourceState("hackernews", True, "no key needed"),
        SourceState("huggingface", True, "no key needed"),
        SourceState(
            "bluesky",
            settings.has_bluesky,
            "handle and app password configured" if settings.has_bluesky else "no credentials (handle, app password)",
        ),
        SourceState(
            "x",
            settings.has_x,
            f"bearer token configured, at most {settings.x_max_posts_per_build} posts read per build"
            if settings.has_x
            else "no credentials (bearer token)",
        ),
        SourceState("x_oembed", True, "no key needed (embeds of X posts on export)"),
        SourceState("arxiv", True, "no key needed (metadata, one request every 3 seconds)"),
    ]
    if offline:
        return [SourceState(s.name, False, "offline: cached answers only" if s.enabled else s.why) for s in states]
    return states


class LiveFeed:
    """Listing days built from Hacker News, Hugging Face, Bluesky and X, with arXiv's metadata."""

    def __init__(
        self,
        fetcher: Fetcher,
        settings: LiveSettings,
        *,
        now: Callable[[], datetime] = utc_now,
        store: MetaStore | None = None,
        limit: int = DEFAULT_LIMIT,
        owns_fetcher: bool = False,
    ) -> None:
        self.fetcher = fetcher
        """Every request goes through it (pacing, cache, offline)."""
        self.settings = settings
        self.limit = limit
        """How many recent listing days ``days()`` lists."""
        self._now = now
        self._owns_fetcher = owns_fetcher
        self._metadata = ArxivMetadata(fetcher, store)
        self._bluesky: BlueskyClient | None = None
        if settings.has_bluesky:
            assert settings.bluesky_handle is not None and settings.bluesky_app_password is not None
            # One client for the feed's life: its session is created once and refreshed.
            self._bluesky = BlueskyClient(fetcher, settings.bluesky_handle, settings.bluesky_app_password)

    @property
    def name(self) -> str:
        return "live"

    async def days(self) -> Sequence[date]:
        return recent_listing_days(self._now(), self.limit)

    async def load(self, day: date, *, refresh: bool = False, progress: Progress | None = None) -> DayLoad:
        now = self._now()
        try:
            built = await build_day(
                day,
                self.fetcher,
                self.settings,
                now=now,
                progress=progress,
                bluesky=self._bluesky,
                metadata=self._metadata,
                refresh=refresh,
            )
        except LiveError as exc:
            raise FeedError(str(exc)) from exc
        return DayLoad(built, stale="stale" in built.extra, fetched_at=now, note=sources_note(built))

    async def aclose(self) -> None:
        close = getattr(self._metadata.store, "close", None)
        if callable(close):
            close()
        if self._owns_fetcher:
            await self.fetcher.aclose()


METADATA_FOLDER = "arxiv-metadata"


def open_live_feed(
    fetcher: Fetcher,
    settings: LiveSettings,
    *,
    owns_fetcher: bool = True,
    now: Callable[[], datetime] = utc_now,
    limit: int = DEFAULT_LIMIT,
) -> LiveFeed:
    """The live feed as the reader uses it: papers' metadata kept on disk under the cache folder."""
    store = DiskMetaStore(cache_dir() / METADATA_FOLDER)
    return LiveFeed(fetcher, settings, store=store, owns_fetcher=owns_fetcher, now=now, limit=limit)
