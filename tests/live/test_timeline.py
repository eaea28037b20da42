"""The timeline: the archive's days and the live days joined, the gap between them, and listing offline."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from hotpapers_tui.cli import main
from hotpapers_tui.config import Config
from hotpapers_tui.feeds import FeedError, GithubFeed
from hotpapers_tui.feeds.base import days_at_hand, export_ready, step_note
from hotpapers_tui.feeds.github import ARCHIVE_SPEC, parse_github_spec
from hotpapers_tui.feeds.timeline import TimelineFeed
from hotpapers_tui.fetch.api import FetchError
from hotpapers_tui.fetch.cache import AnswerCache
from hotpapers_tui.fetch.client import HttpFetcher, RetryPolicy
from hotpapers_tui.live.calendar import PUBLISHED
from hotpapers_tui.live.daystore import LiveDayStore
from hotpapers_tui.live.feed import LiveFeed
from hotpapers_tui.live.settings import LiveSettings
from hotpapers_tui.startup import open_start_feed
from tests.fetch.conftest import PostServer, Reply, refused_url
from tests.live.conftest import DAY, NOW, A, standard_world
from tests.live.fakes import FakeFetcher

TODAY = datetime(2026, 11, 30, 20, 43, tzinfo=UTC)
ARCHIVE = parse_github_spec(ARCHIVE_SPEC)


def archive_dates() -> list[date]:
    """Days shaped like the published archive's: listing days of mid-2020 to August 2021, then two in January 2022."""
    days = PUBLISHED.listing_days(date(2020, 6, 29), datetime(2021, 8, 27, 12, tzinfo=UTC))
    return [d for d in days if d != date(2020, 6, 30)] + [date(2022, 1, 12), date(2022, 1, 13)]


class ArchiveServer(PostServer):
    """The published archive's folder, in GitHub's shapes, on 127.0.0.1."""

    owner, repo, ref, folder = ARCHIVE.owner, ARCHIVE.repo, ARCHIVE.ref, ARCHIVE.path


@pytest.fixture
def archive_server() -> Iterator[ArchiveServer]:
    server = ArchiveServer(archive_dates())
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def archive_feed(base_url: str, cache: Path, *, offline: bool = False) -> GithubFeed:
    fetcher = HttpFetcher(
        base_urls={"github_api": base_url, "github_raw": base_url},
        cache=AnswerCache(cache),
        offline=offline,
        timeout=2.0,
        retry=RetryPolicy(attempts=1, backoff=0.01),
    )
    return GithubFeed(ARCHIVE, fetcher, name="archive", owns_fetcher=True)


def unreachable(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("network is unreachable", request=request)


def timeline(archive: GithubFeed, live_fetcher: FakeFetcher, store: LiveDayStore, at: datetime) -> TimelineFeed:
    return TimelineFeed(archive, LiveFeed(live_fetcher, LiveSettings(), now=lambda: at, days_store=store))


async def test_the_timeline_runs_from_2020_06_29_to_today(archive_server: ArchiveServer, tmp_path: Path) -> None:
    world = standard_world()
    feed = timeline(
        archive_feed(archive_server.base_url, tmp_path / "cache"),
        FakeFetcher(world.handle),
        LiveDayStore(tmp_path / "days"),
        TODAY,
    )
    days = list(await feed.days())
    assert feed.name == "timeline" and feed.start_note is None
    assert days[0] == date(2020, 6, 29) and days[-1] == date(2026, 11, 30)  # the oldest and newest day keys
    assert days == sorted(set(days))
    archive, live = [d for d in days if d <= date(2022, 1, 13)], [d for d in days if d > date(2022, 1, 13)]
    assert archive == archive_dates()
    assert live == PUBLISHED.listing_days(date(2023, 5, 4), TODAY) and live[0] == date(2023, 5, 4)
    assert len(days) == len(archive_dates()) + 903
    assert date(2023, 11, 24) not in days and date(2026, 11, 27) not in days  # Thanksgiving Fridays

    # Stepping across the gap says what it is; neighbours on either side say nothing.
    gap = step_note(feed, date(2022, 1, 13), date(2023, 5, 4))
    assert gap is not None and gap.startswith("Gap: no Hot Papers for the 338 listing days between 2022-01-13")
    assert "published archive ends 2022-01-13" in gap and "live days start 2023-05-04" in gap
    assert step_note(feed, date(2023, 5, 4), date(2022, 1, 13)) == gap
    assert step_note(feed, date(2023, 5, 4), date(2023, 5, 5)) is None
    assert step_note(feed, date(2023, 11, 23), date(2023, 11, 27)) is None  # a holiday is not a gap
    pause = step_note(feed, date(2021, 8, 26), date(2022, 1, 12))
    assert pause is not None and pause.startswith("The archive has no post for the ")

    # Each half loads its own way: the archive's post, a live day built from the sources.
    old = await feed.load(date(2020, 6, 29))
    assert old.day.title == "Hot Papers 2020-06-29" and old.day.papers[0].title == "GRAND: Graph Neural Diffusion"
    new = await feed.load(DAY)
    assert new.day.papers[0].arxiv_id == A and new.note.startswith("sources: hackernews")
    assert await export_ready(feed, old.day) is old.day
    assert await days_at_hand(feed) == [*archive_dates(), DAY]  # a whole-feed pass builds no live day
    await feed.aclose()


async def test_offline_the_archive_listing_comes_from_the_cache(archive_server: ArchiveServer, tmp_path: Path) -> None:
    world = standard_world()
    store = LiveDayStore(tmp_path / "days")
    online = timeline(archive_feed(archive_server.base_url, tmp_path / "cache"), FakeFetcher(world.handle), store, NOW)
    await online.days()
    await online.load(DAY)
    await online.aclose()
    archive_server.shutdown()

    offline = timeline(
        archive_feed(archive_server.base_url, tmp_path / "cache", offline=True),
        FakeFetcher(world.handle, offline=True),
        store,
        NOW + timedelta(days=2),
    )
    days = list(await offline.days())
    # The archive from the cached listing, and of the live days those built here (the rest cannot be built).
    assert days == [*archive_dates(), DAY]
    assert offline.start_note == "offline (--offline): showing live days built earlier, newest 2026-11-24"
    assert (await offline.load(DAY)).day.papers[0].arxiv_id == A
    await offline.aclose()


async def test_offline_with_no_live_day_kept_the_archive_is_listed_alone(
    archive_server: ArchiveServer, tmp_path: Path
) -> None:
    world = standard_world()
    store = LiveDayStore(tmp_path / "days")
    await timeline(
        archive_feed(archive_server.base_url, tmp_path / "cache"), FakeFetcher(world.handle), store, NOW
    ).days()
    offline = timeline(
        archive_feed(archive_server.base_url, tmp_path / "cache", offline=True),
        FakeFetcher(world.handle, offline=True),
        store,
        NOW,
    )
    assert list(await offline.days()) == archive_dates()
    assert offline.start_note == "the archive only: offline (--offline), and no live day was built here before"


async def test_without_an_archive_listing_the_live_days_are_listed_and_it_is_said(
    archive_server: ArchiveServer, tmp_path: Path
) -> None:
    world = standard_world()
    archive_server.faults[archive_server.listing_path] = [Reply(status=503, body=b'{"message": "down"}')]
    feed = timeline(
        archive_feed(archive_server.base_url, tmp_path / "cache"),
        FakeFetcher(world.handle),
        LiveDayStore(tmp_path / "days"),
        TODAY,
    )
    days = list(await feed.days())
    assert days == PUBLISHED.listing_days(date(2023, 5, 4), TODAY)
    assert feed.start_note is not None and feed.start_note.startswith("the archive could not be listed (archive: ")
    assert feed.start_note.endswith("showing the live days only")
    assert step_note(feed, date(2023, 5, 4), date(2023, 5, 5)) is None


async def test_offline_without_an_archive_listing_the_kept_live_days_are_listed(tmp_path: Path) -> None:
    world = standard_world()
    store = LiveDayStore(tmp_path / "days")
    await LiveFeed(FakeFetcher(world.handle), LiveSettings(), now=lambda: NOW, days_store=store).load(DAY)
    down = refused_url()
    feed = timeline(archive_feed(down, tmp_path / "cache"), FakeFetcher(unreachable), store, NOW + timedelta(days=1))
    assert list(await feed.days()) == [DAY]
    note = feed.start_note or ""
    assert note.startswith("the archive could not be listed (archive: cannot list the posts: cannot reach 127.0.0.1")
    assert "showing live days built earlier, newest 2026-11-24" in note
    # Listed again as the reader starts: the archive is not asked again moments after it could not be reached.
    asked: list[int] = []
    real_days = feed.archive.days

    async def counted() -> Sequence[date]:
        asked.append(1)
        return await real_days()

    feed.archive.days = counted  # type: ignore[method-assign]
    assert list(await feed.days()) == [DAY] and asked == []
    shown = await feed.load(DAY)  # final (built after its window closed): shown as it was, not as stale
    assert not shown.stale and "after its attention window closed" in shown.note


async def test_offline_with_nothing_at_all_the_reader_starts_on_the_sample(tmp_path: Path) -> None:
    feed = timeline(
        archive_feed(refused_url(), tmp_path / "cache"),
        FakeFetcher(unreachable),
        LiveDayStore(tmp_path / "days"),
        NOW,
    )
    message = r"offline \(cannot reach 127\.0\.0\.1 .*\): the archive's list of days is not cached, and no live day"
    with pytest.raises(FeedError, match=message) as err:
        await feed.days()
    assert isinstance(err.value.__cause__, FetchError) and err.value.__cause__.offline
    # The default feed is the timeline; with nothing to show, the reader opens on the sample and says why.
    down = refused_url()
    config = Config(base_urls={name: down for name in Config().base_urls})
    assert config.default_feed == "timeline"
    start, notice = await open_start_feed(config, offline=True)
    assert start.name == "sample"
    assert notice is not None and notice.startswith("offline: ") and "showing the sample day instead" in notice


def test_days_of_the_live_feed_answer_without_the_network(capsys: pytest.CaptureFixture[str]) -> None:
    # The test network guard refuses every connection that is not to 127.0.0.1: nothing is asked.
    assert main(["days", "--feed", "live", "--limit", "3"]) == 0
    printed = capsys.readouterr().out.split()
    newest = PUBLISHED.newest_listing_day(datetime.now(UTC))
    assert printed[0] == newest.isoformat() and len(printed) == 3
    assert printed == sorted(printed, reverse=True)


def test_days_of_the_timeline_offline_from_the_cache(
    archive_server: ArchiveServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[sources.github_api]\nbase_url = "{archive_server.base_url}"\n'
        f'[sources.github_raw]\nbase_url = "{archive_server.base_url}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("HOTPAPERS_CONFIG", str(config))
    assert main(["days", "--feed", "archive", "--limit", "1"]) == 0  # lists it once, online: now cached
    assert capsys.readouterr().out == "2022-01-13\n"
    archive_server.shutdown()
    # --offline, and no live day built here: the archive's days alone, from the cache.
    assert main(["--offline", "days", "--limit", "2"]) == 0
    assert capsys.readouterr().out == "2022-01-13\n2022-01-12\n"


async def test_the_reader_says_what_the_gap_is_when_stepping_across_it(tmp_path: Path) -> None:
    from hotpapers_tui.feeds.folder import FolderFeed
    from hotpapers_tui.ui.app import HotPapersApp
    from tests.fetch.conftest import post_name, post_text
    from tests.ui.helpers import settle

    posts = tmp_path / "posts"
    posts.mkdir()
    for day in (date(2022, 1, 12), date(2022, 1, 13)):
        (posts / post_name(day)).write_text(post_text(day), encoding="utf-8")
    world = standard_world()
    world.hf_last_day = "2023-05-05"
    live = LiveFeed(FakeFetcher(world.handle), LiveSettings(), now=lambda: datetime(2023, 5, 5, 12, tzinfo=UTC))
    feed = TimelineFeed(FolderFeed(posts, name="archive"), live)
    app = HotPapersApp(feed, start_date=date(2022, 1, 13))

    async def shown() -> date:
        screen = await settle(pilot)
        assert screen.current is not None
        return screen.current.day.date

    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        assert await shown() == date(2022, 1, 13)
        await pilot.press("right_square_bracket")
        assert await shown() == date(2023, 5, 4)
        messages = [n.message for n in app._notifications]
        assert any(
            m.startswith("Gap: no Hot Papers for the 338 listing days between 2022-01-13 and 2023-05-04")
            for m in messages
        )
        await pilot.press("right_curly_bracket")  # the newest day
        assert await shown() == date(2023, 5, 5)
        await pilot.press("left_curly_bracket")  # the oldest day
        assert await shown() == date(2022, 1, 12)


# --- the command line over the timeline: export --all, show of a day that is not one --------------


KEPT = date(2024, 3, 12)
"""A live day kept here, built inside its attention window: not final, so ``load`` would build it again."""


@pytest.fixture
def timeline_home(
    archive_server: ArchiveServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[date]]:
    """The default feed (the timeline) over the loopback archive, one live day kept; yields the days built."""
    from hotpapers_tui.live import feed as live_feed
    from tests.ui.postgen import make_day, make_paper

    config = tmp_path / "config.toml"
    config.write_text(
        f'[sources.github_api]\nbase_url = "{archive_server.base_url}"\n'
        f'[sources.github_raw]\nbase_url = "{archive_server.base_url}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("HOTPAPERS_CONFIG", str(config))
    monkeypatch.setenv("HOTPAPERS_CACHE_DIR", str(tmp_path / "cache"))

    def plain_day(day: date) -> object:
        # No X posts: exporting them would ask X's oEmbed.
        return make_day(day, [make_paper(day, n, tweets=[]) for n in (1, 2)])

    LiveDayStore(tmp_path / "cache" / "live-days").put(plain_day(KEPT), datetime(2024, 3, 12, 3, tzinfo=UTC))  # type: ignore[arg-type]
    built: list[date] = []

    async def build_day(day: date, *args: object, **kwargs: object) -> object:
        built.append(day)
        return plain_day(day)

    monkeypatch.setattr(live_feed, "build_day", build_day)
    yield built


def test_export_all_of_the_timeline_writes_the_days_at_hand_and_builds_none(
    timeline_home: list[date], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["export", "--all", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert timeline_home == [], "export --all started building live days"
    written = sorted(date.fromisoformat(p.name[:10]) for p in out.iterdir())
    assert written == [*archive_dates(), KEPT]
    live = PUBLISHED.listing_days(date(2023, 5, 4), datetime.now(UTC))
    left = len(live) - 1
    assert (
        f"hotpapers-tui: left out {left} live days never built here (between 2023-05-04 and {live[-1].isoformat()}): "
        "each build asks every source and arXiv (one request every 3 seconds), so export --all builds none. "
        "To build and export them: export --all --since DATE [--until DATE] (at most 25 builds, --max-builds N "
        "for more), or export DATE -o OUT for one day\n"
    ) in err
    assert err.endswith(
        f"wrote {len(written)} posts to {out}; {left} live days never built here left out (see above)\n"
    )


def test_export_all_of_a_range_builds_its_missing_live_days_within_a_bound(
    timeline_home: list[date], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    # About six months of listing days: refused before anything is built or written.
    assert main(["export", "--all", "--since", "2024-01-01", "--until", "2024-06-30", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    needed = len(PUBLISHED.listing_days(date(2024, 1, 1), datetime(2024, 6, 30, 12, tzinfo=UTC))) - 1
    assert err == (
        f"hotpapers-tui: timeline: the range holds {needed} live days never built here (between 2024-01-01 and "
        "2024-06-28); each build asks every source and arXiv (one request every 3 seconds), so at most 25 are "
        f"built at a time: narrow --since/--until, or allow them with --max-builds {needed}\n"
    )
    assert timeline_home == [] and not out.exists()

    # A week: the kept day as kept, the others built first (2024-03-15 is a Friday, then the weekend).
    assert main(["export", "--all", "--since", "2024-03-11", "--until", "2024-03-17", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert timeline_home == [date(2024, 3, 11), date(2024, 3, 13), date(2024, 3, 14), date(2024, 3, 15)]
    assert "hotpapers-tui: building 4 live days never built here before writing them\n" in err
    assert sorted(p.name[:10] for p in out.iterdir()) == [f"2024-03-{d}" for d in (11, 12, 13, 14, 15)]
    assert err.endswith(f"wrote 5 posts to {out}\n")
    # Archive days in a range are read, never built; --max-builds 0 refuses any build.
    timeline_home.clear()
    assert main(["export", "--all", "--until", "2020-07-03", "-o", str(tmp_path / "old"), "--max-builds", "0"]) == 0
    assert timeline_home == [] and len(list((tmp_path / "old").iterdir())) == 4
    capsys.readouterr()
    assert main(["export", "2024-03-12", "--since", "2024-03-11", "-o", "-"]) == 1
    assert "--since and --until choose days of export --all" in capsys.readouterr().err


def test_a_search_of_the_timeline_says_what_it_leaves_out(
    timeline_home: list[date], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "Synthetic"]) == 0
    out, err = capsys.readouterr()
    assert timeline_home == [] and out.startswith(f"{KEPT.isoformat()}    1  ")
    left = len(PUBLISHED.listing_days(date(2023, 5, 4), datetime.now(UTC))) - 1
    assert (
        f"hotpapers-tui: timeline: {left} live days never built here are not searched "
        "(search never builds one; show or export a day to build it)\n"
    ) in err


@pytest.mark.parametrize("feed", ["live", "timeline"])
def test_show_of_a_holiday_says_which_listing_holds_its_papers(
    feed: str, timeline_home: list[date], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "--feed", feed, "2023-11-24"]) == 1
    assert capsys.readouterr().err == (
        f"hotpapers-tui: {feed}: no day 2023-11-24: arXiv made no announcement on the evening of Thursday "
        "2023-11-23 (a holiday), so there is no listing 2023-11-24; its submissions are in 2023-11-27's listing\n"
    )
    assert main(["show", "--feed", feed, "2023-11-25"]) == 1
    assert capsys.readouterr().err == (
        f"hotpapers-tui: {feed}: no day 2023-11-25: 2023-11-25 is a Saturday: arXiv lists papers Monday to "
        "Friday; the nearest listing days are 2023-11-23 and 2023-11-27\n"
    )
    assert timeline_home == []


def test_show_of_a_day_the_timeline_does_not_have_says_why(
    timeline_home: list[date], capsys: pytest.CaptureFixture[str]
) -> None:
    cases = {
        "2022-06-01": "it is in the gap between the published archive (which ends 2022-01-13) and the live days "
        "(from 2023-05-04, live_start); an earlier live_start in [live] builds the days between from Hacker News "
        "alone",
        "2020-06-30": "the published archive has no post for it",
        "2020-11-27": "arXiv made no announcement on the evening of Thursday 2020-11-26 (a holiday), so there is "
        "no listing 2020-11-27; its submissions are in 2020-11-30's listing",
        "2019-01-02": "the timeline starts 2020-06-29, the published archive's first day",
    }
    for day, why in cases.items():
        assert main(["show", day]) == 1
        assert capsys.readouterr().err == f"hotpapers-tui: timeline: no day {day}: {why}\n"
    assert main(["show", "--feed", "live", "2023-05-03"]) == 1
    assert capsys.readouterr().err == (
        "hotpapers-tui: live: no day 2023-05-03: the live days start 2023-05-04 (live_start; Hugging Face Daily "
        "Papers begin 2023-05-04); an earlier live_start in [live] builds earlier days from Hacker News alone\n"
    )
    assert timeline_home == []
