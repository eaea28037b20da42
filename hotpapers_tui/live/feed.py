"""The ``live`` feed: every listing day since ``live_start``, each built on demand from today's sources."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from hotpapers_tui.config import CREDENTIAL_ENV
from hotpapers_tui.feeds.base import DayLoad, FeedError, Progress
from hotpapers_tui.fetch.api import Fetcher, FetchError
from hotpapers_tui.live.arxiv_meta import ArxivMetadata, DiskMetaStore, MetaStore
from hotpapers_tui.live.build import LiveError, build_day, complete, credentials_ready, source_status, sources_note
from hotpapers_tui.live.daystore import LiveDayStore
from hotpapers_tui.live.embeds import with_x_embeds
from hotpapers_tui.live.settings import LiveSettings
from hotpapers_tui.live.sources.bluesky import BlueskyClient
from hotpapers_tui.model import Day
from hotpapers_tui.paths import cache_dir

OFFLINE_RETRY = 60.0
"""Seconds after the network was found out of reach during which days never built fail at once."""


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SourceState:
    """Whether a source takes part in builds, and why not."""

    name: str
    enabled: bool
    why: str


def _missing(settings: LiveSettings, source: str) -> str:
    """Why a source has no credentials, and the two ways to give them: the keyring, or the environment."""
    if source == "bluesky":
        wanted = [
            (name, what)
            for name, what, value in (
                ("bluesky_handle", "handle", settings.bluesky_handle),
                ("bluesky_app_password", "app password", settings.bluesky_app_password),
            )
            if not value
        ]
    else:
        wanted = [("x_bearer_token", "bearer token")]
    what = " and ".join(w for _, w in wanted)
    env = " and ".join(CREDENTIAL_ENV[name] for name, _ in wanted)
    return f"no credentials (no {what}): run 'hotpapers-tui login {source}', or set {env}"


def source_states(settings: LiveSettings, *, offline: bool = False) -> list[SourceState]:
    """Every source of the live feed with whether it is used; offline, only cached answers are."""
    states = [
        SourceState("hackernews", True, "no key needed"),
        SourceState("huggingface", True, "no key needed"),
        SourceState(
            "bluesky",
            settings.has_bluesky,
            "handle and app password configured" if settings.has_bluesky else _missing(settings, "bluesky"),
        ),
        SourceState(
            "x",
            settings.has_x,
            f"bearer token configured, at most {settings.x_max_posts_per_build} posts read per build; "
            "its search reaches back 7 days, so older days are built without it"
            if settings.has_x
            else _missing(settings, "x"),
        ),
        SourceState("x_oembed", True, "no key needed (embeds of X posts on export)"),
        SourceState("arxiv", True, "no key needed (metadata, one request every 3 seconds)"),
    ]
    if offline:
        return [SourceState(s.name, False, "offline: cached answers only" if s.enabled else s.why) for s in states]
    return states


class LiveFeed:
    """Listing days built from Hacker News, Hugging Face, Bluesky and X, with arXiv's metadata.

    Every listing day from ``settings.live_start`` to now is listed, computed from arXiv's
    calendar without the network. A built day is kept (in ``days_store``): while its
    attention window is open it is built again after ``max_age``; once the window had
    closed when it was built, and every source answered, it is final and kept without
    expiry until a refresh, offline too.
    """

    prefetch = False
    """Each build costs several requests and arXiv's 3-second pace: never build days ahead of need."""

    def __init__(
        self,
        fetcher: Fetcher,
        settings: LiveSettings,
        *,
        now: Callable[[], datetime] = utc_now,
        store: MetaStore | None = None,
        open_store: Callable[[], MetaStore] | None = None,
        owns_fetcher: bool = False,
        days_store: LiveDayStore | None = None,
        max_age: timedelta = timedelta(minutes=30),
    ) -> None:
        self.fetcher = fetcher
        """Every request goes through it (pacing, cache, offline)."""
        self.settings = settings
        self.calendar = settings.calendar
        """arXiv's listing calendar with the configured extra holidays."""
        self._now = now
        self._owns_fetcher = owns_fetcher
        self._metadata_store = store
        self._open_store = open_store
        """Opens the metadata store at the first build: listing days and showing kept ones never need it."""
        self._metadata_reader: ArxivMetadata | None = None
        self._bluesky: BlueskyClient | None = None
        """One client for the feed's life (its session is created once and refreshed), made at the first build."""
        self._store = days_store
        self._max_age = max_age
        self._offline_why: str | None = None
        """Why the network is out of reach, once a build (or the timeline's archive listing) found it so."""
        self._offline_at = 0.0
        """When that was found (``time.monotonic``)."""
        self.start_note: str | None = None
        """Set when the feed is listed offline: a notice for the user about what can be shown."""

    @property
    def name(self) -> str:
        return "live"

    @property
    def _metadata(self) -> ArxivMetadata:
        if self._metadata_reader is None:
            if self._metadata_store is None and self._open_store is not None:
                self._metadata_store = self._open_store()
            self._metadata_reader = ArxivMetadata(self.fetcher, self._metadata_store)
        return self._metadata_reader

    def kept_days(self) -> list[date]:
        """The days built here before and kept on disk, oldest first."""
        return self._store.days() if self._store is not None else []

    @property
    def offline_why(self) -> str | None:
        """Why the network is out of reach (``--offline`` or what failed), or None when it is not known to be."""
        return "--offline" if self.fetcher.offline else self._offline_why

    def note_offline(self, why: str) -> None:
        """Record that the network was found out of reach (the timeline tells it when the archive listing fails)."""
        self._offline_why = why or "the network cannot be reached"
        self._offline_at = time.monotonic()

    async def days(self) -> Sequence[date]:
        """Every listing day from ``live_start`` to the newest announced, computed without the network.

        Offline (``--offline``, or the network found out of reach), only the days kept here
        can be shown, so only those are listed; with none, FeedError says so.
        """
        why = self.offline_why
        if why is None:
            return self.calendar.listing_days(self.settings.live_start, self._now())
        kept = self.kept_days()
        if not kept:
            raise FeedError(f"offline ({why}), and no live day was built here before") from FetchError(
                why, offline=True
            )
        self.start_note = f"offline ({why}): showing live days built earlier, newest {kept[-1].isoformat()}"
        return kept

    async def days_at_hand(self) -> Sequence[date]:
        """The days that load without building: those kept here (see :func:`feeds.base.days_at_hand`)."""
        return self.kept_days()

    async def load_at_hand(self, day: date) -> DayLoad:
        """A kept day as it was built, never building it (again); FeedError when it was never built here."""
        stored = self._store.get(day) if self._store is not None else None
        if stored is None:
            raise FeedError(f"live: the day {day.isoformat()} was never built here")
        kept, built_at = stored
        return self._kept(kept, built_at, stale=False, final=self.is_final(kept, built_at))

    def day_stamp(self, day: date) -> str:
        """Changes whenever ``day`` is kept again (built anew, or ``R``): see :func:`feeds.base.day_stamp`."""
        return self._store.stamp(day) if self._store is not None else ""

    def first_day(self) -> date:
        """The first listing day on or after ``live_start``."""
        return self.calendar.next_listing_day(self.settings.live_start - timedelta(days=1))

    def why_no_day(self, day: date) -> str | None:
        """Why ``day`` is not among the live days (see :func:`feeds.base.why_no_day`), or None when it is one."""
        calendar = self.calendar
        why = calendar.why_not_listed(day)
        if why is not None:
            if day.weekday() >= 5:
                before, after = calendar.previous_listing_day(day), calendar.next_listing_day(day)
                return f"{why}; the nearest listing days are {before.isoformat()} and {after.isoformat()}"
            return f"{why} listing"
        first = self.first_day()
        if day < first:
            return (
                f"the live days start {first.isoformat()} (live_start; Hugging Face Daily Papers begin 2023-05-04); "
                "an earlier live_start in [live] builds earlier days from Hacker News alone"
            )
        newest = calendar.newest_listing_day(self._now())
        if day > newest:
            return f"arXiv has not announced the listing of {day.isoformat()} yet; the newest is {newest.isoformat()}"
        why_offline = self.offline_why
        if why_offline is not None and day not in self.kept_days():
            return self._never_built(day, why_offline)
        return None

    def is_final(self, kept: Day, built_at: datetime) -> bool:
        """True for a kept day built after its attention window closed, with every source answering in full."""
        try:
            closes = self.calendar.announcement(kept.date) + timedelta(days=self.settings.window_days)
        except ValueError:
            return False  # no longer a listing day (a holiday added since)
        return built_at >= closes and complete(kept)

    async def load(self, day: date, *, refresh: bool = False, progress: Progress | None = None) -> DayLoad:
        now = self._now()
        stored = self._store.get(day) if self._store is not None else None
        offline = self.offline_why is not None
        if stored is not None and not refresh:
            kept, built_at = stored
            if self.is_final(kept, built_at):
                return self._kept(kept, built_at, stale=False, final=True)
            if offline or now - built_at < self._max_age:
                return self._kept(kept, built_at, stale=offline)
        if stored is None and self._offline_why is not None and time.monotonic() - self._offline_at < OFFLINE_RETRY:
            # The network was out of reach moments ago: say so at once rather than wait on every source again.
            why = self._offline_why
            raise FeedError(self._never_built(day, why)) from FetchError(why, offline=True)
        try:
            built = await build_day(
                day,
                self.fetcher,
                self.settings,
                now=now,
                progress=progress,
                bluesky=await self._bluesky_client(),
                metadata=self._metadata,
                refresh=refresh,
            )
        except LiveError as exc:
            raise FeedError(str(exc)) from exc
        if _built_offline(built):
            if not self.fetcher.offline:
                self.note_offline("no source answers")
            if stored is not None:
                return self._kept(stored[0], stored[1], stale=True)
            if not built.papers:
                # Caused by the network: export --all counts it so and says it once for every such day.
                raise FeedError(self._never_built(day, "no source answers")) from FetchError(
                    "no source answers", offline=True
                )
        else:
            self._offline_why = None
            if self._store is not None and "stale" not in built.extra:
                self._store.put(built, now)
        return DayLoad(built, stale="stale" in built.extra, fetched_at=now, note=sources_note(built))

    async def _bluesky_client(self) -> BlueskyClient | None:
        """The feed's Bluesky client, made once the credentials are known (a build is the first to need them)."""
        if self._bluesky is None:
            await credentials_ready(self.settings)
            handle, password = self.settings.bluesky_handle, self.settings.bluesky_app_password
            if handle and password:
                self._bluesky = BlueskyClient(self.fetcher, handle, password)
        return self._bluesky

    def _never_built(self, day: date, why: str) -> str:
        kept = self.kept_days()
        before = [d for d in kept if d < day][-1:]
        after = [d for d in kept if d > day][:1]
        nearest = " and ".join(d.isoformat() for d in [*before, *after])
        shown = f"; the nearest days kept here: {nearest}" if nearest else ""
        return f"offline ({why}): the live day {day.isoformat()} was never built here{shown}"

    def _kept(self, kept: Day, built_at: datetime, *, stale: bool, final: bool = False) -> DayLoad:
        when = built_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        if stale:
            note = f"offline: showing data from {when}"
        elif final:
            note = f"built {when}, after its attention window closed (kept; R builds it again)"
        else:
            note = f"built {when}"
        return DayLoad(kept, stale=stale, fetched_at=built_at, note=f"{note}; {sources_note(kept)}")

    async def for_export(self, day: Day) -> Day:
        """The day with its X posts as Twitter's oEmbed HTML (a local embed of the same shape if that fails)."""
        return await with_x_embeds(day, self.fetcher)

    async def aclose(self) -> None:
        close = getattr(self._metadata_store, "close", None)
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
    max_age: timedelta = timedelta(minutes=30),
) -> LiveFeed:
    """The live feed as the reader uses it: metadata and built days kept on disk under the cache folder."""
    return LiveFeed(
        fetcher,
        settings,
        open_store=lambda: DiskMetaStore(cache_dir() / METADATA_FOLDER),
        owns_fetcher=owns_fetcher,
        now=now,
        days_store=LiveDayStore(cache_dir() / DAYS_FOLDER),
        max_age=max_age,
    )
