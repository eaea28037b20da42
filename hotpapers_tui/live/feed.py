"""The ``live`` feed: recent listing days, each built on demand from today's sources."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from hotpapers_tui.feeds.base import DayLoad, FeedError, Progress
from hotpapers_tui.fetch.api import Fetcher, FetchError, Freshness
from hotpapers_tui.live.arxiv_meta import ArxivMetadata, DiskMetaStore, MetaStore
from hotpapers_tui.live.build import LiveError, build_day, source_status, sources_note
from hotpapers_tui.live.calendar import recent_listing_days
from hotpapers_tui.live.daystore import LiveDayStore
from hotpapers_tui.live.embeds import with_x_embeds
from hotpapers_tui.live.settings import LiveSettings
from hotpapers_tui.live.sources import huggingface
from hotpapers_tui.live.sources.bluesky import BlueskyClient
from hotpapers_tui.model import Day
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

    prefetch = False
    """Each build costs several requests and arXiv's 3-second pace: never build days ahead of need."""

    def __init__(
        self,
        fetcher: Fetcher,
        settings: LiveSettings,
        *,
        now: Callable[[], datetime] = utc_now,
        store: MetaStore | None = None,
        limit: int = DEFAULT_LIMIT,
        owns_fetcher: bool = False,
        days_store: LiveDayStore | None = None,
        max_age: timedelta = timedelta(minutes=30),
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
        self._store = days_store
        self._max_age = max_age
        self._offline: bool | None = None
        self._why_offline = ""
        self.start_note: str | None = None
        """Set when the feed opened offline on days built earlier: a notice for the user."""
        if settings.has_bluesky:
            assert settings.bluesky_handle is not None and settings.bluesky_app_password is not None
            # One client for the feed's life: its session is created once and refreshed.
            self._bluesky = BlueskyClient(fetcher, settings.bluesky_handle, settings.bluesky_app_password)

    @property
    def name(self) -> str:
        return "live"

    async def days(self) -> Sequence[date]:
        """Recent listing days; offline, the days built earlier and kept, or FeedError if none are."""
        calendar = recent_listing_days(self._now(), self.limit)
        if self._offline is None:
            self._offline, why = await self._probe(calendar[-1]) if calendar else (False, "")
            if self._offline:
                self._why_offline = why
        if not self._offline:
            return calendar
        kept = self._store.days() if self._store is not None else []
        if not kept:
            cause = FetchError(self._why_offline, offline=True)
            raise FeedError(f"offline ({self._why_offline}), and no live day was built here before") from cause
        self.start_note = (
            f"offline ({self._why_offline}): showing live days built earlier, newest {kept[-1].isoformat()}"
        )
        return kept

    async def _probe(self, newest: date) -> tuple[bool, str]:
        """Whether the network is out of reach, asking what the newest day's build asks first anyway."""
        if self.fetcher.offline:
            return True, "--offline"
        try:
            await self.fetcher.get(
                huggingface.SOURCE,
                huggingface.PATH,
                params=huggingface.page_params(newest, 0),
                freshness=Freshness.LIVE,
            )
        except FetchError as exc:
            if exc.offline:
                return True, str(exc) or "the network cannot be reached"
        return False, ""

    async def load(self, day: date, *, refresh: bool = False, progress: Progress | None = None) -> DayLoad:
        now = self._now()
        stored = self._store.get(day) if self._store is not None else None
        if stored is not None:
            kept, built_at = stored
            if self._offline or (not refresh and now - built_at < self._max_age):
                return self._kept(kept, built_at, stale=bool(self._offline))
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
        if _built_offline(built):
            if stored is not None:
                return self._kept(stored[0], stored[1], stale=True)
            if not built.papers:
                raise FeedError(f"offline: the live day {day.isoformat()} was never built here and no source answers")
        elif self._store is not None and "stale" not in built.extra:
            self._store.put(built, now)
        return DayLoad(built, stale="stale" in built.extra, fetched_at=now, note=sources_note(built))

    def _kept(self, kept: Day, built_at: datetime, *, stale: bool) -> DayLoad:
        when = built_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        note = f"offline: showing data from {when}" if stale else f"built {when}"
        return DayLoad(kept, stale=stale, fetched_at=built_at, note=f"{note}; {sources_note(kept)}")

    async def for_export(self, day: Day) -> Day:
        """The day with its X posts as Twitter's oEmbed HTML (a local embed of the same shape if that fails)."""
        return await with_x_embeds(day, self.fetcher)

    async def aclose(self) -> None:
        close = getattr(self._metadata.store, "close", None)
        if callable(close):
            close()
        if self._owns_fetcher:
            await self.fetcher.aclose()


METADATA_FOLDER = "arxiv-metadata"
DAYS_FOLDER = "live-days"


def _built_offline(built: Day) -> bool:
    """True when no attention source answered and at least one could not be reached.

    arXiv is left out: it only describes papers the other sources found.
    """
    status = [s for name, s in source_status(built).items() if name != "arxiv"]
    answered = any(s.startswith(("used", "partial")) for s in status)
    return not answered and any(s == "skipped: offline" for s in status)


def open_live_feed(
    fetcher: Fetcher,
    settings: LiveSettings,
    *,
    owns_fetcher: bool = True,
    now: Callable[[], datetime] = utc_now,
    limit: int = DEFAULT_LIMIT,
    max_age: timedelta = timedelta(minutes=30),
) -> LiveFeed:
    """The live feed as the reader uses it: metadata and built days kept on disk under the cache folder."""
    store = DiskMetaStore(cache_dir() / METADATA_FOLDER)
    return LiveFeed(
        fetcher,
        settings,
        store=store,
        owns_fetcher=owns_fetcher,
        now=now,
        limit=limit,
        days_store=LiveDayStore(cache_dir() / DAYS_FOLDER),
        max_age=max_age,
    )
