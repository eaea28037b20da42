"""The reader keeps working when its machine misbehaves: cache folder gone or read-only,
network dropping mid-switch, a full disk on export, a terminal shrunk to 20x8."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import diskcache
import httpx
import pytest

from hotpapers_tui.feeds.github import GithubFeed, parse_github_spec
from hotpapers_tui.fetch.cache import AnswerCache
from hotpapers_tui.fetch.client import HttpFetcher, RetryPolicy
from hotpapers_tui.posts import render_post
from hotpapers_tui.ui.app import HotPapersApp
from hotpapers_tui.ui.widgets.paper_list import PaperList
from tests.github_trees import folder_trees
from tests.ui.helpers import header, list_titles, notifications, settle, shown_day
from tests.ui.postgen import make_day

DAYS = [date(2024, 5, 6), date(2024, 5, 7), date(2024, 5, 8)]
OWNER, REPO, FOLDER, REF = "someone", "blog", "posts", "main"


class Repo:
    """A GitHub folder of posts behind httpx's MockTransport; ``down`` names days that cannot be fetched."""

    def __init__(self) -> None:
        self.posts = {f"{d.isoformat()}---Hot-Papers.md": render_post(make_day(d, 4)) for d in DAYS}
        self.down: set[str] = set()
        self.requests = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if request.url.host == "api.github.com":
            files = {n: t.encode() for n, t in self.posts.items()}
            return httpx.Response(200, content=folder_trees(OWNER, REPO, REF, FOLDER, files)[request.url.path])
        name = request.url.path.rsplit("/", 1)[-1]
        if any(name.startswith(day) for day in self.down):
            raise httpx.ConnectError("network is unreachable", request=request)
        return httpx.Response(200, text=self.posts[name])


def github_app(repo: Repo, cache_dir: Path, **options: object) -> HotPapersApp:
    fetcher = HttpFetcher(
        cache=AnswerCache(cache_dir), retry=RetryPolicy(attempts=1), transport=httpx.MockTransport(repo.handle)
    )
    feed = GithubFeed(
        parse_github_spec(f"github:{OWNER}/{REPO}/{FOLDER}@{REF}"), fetcher, name="github", owns_fetcher=True
    )
    return HotPapersApp(feed, start_date=DAYS[0], **options)  # type: ignore[arg-type]


async def test_cache_folder_deleted_during_a_session(tmp_path: Path) -> None:
    repo, cache = Repo(), tmp_path / "cache"
    app = github_app(repo, cache)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert shown_day(screen) == DAYS[0] and cache.is_dir()
        shutil.rmtree(cache)
        await pilot.press("right_square_bracket")
        screen = await settle(pilot)
        await pilot.press("right_square_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == DAYS[2] and len(list_titles(screen)) == 4


async def test_cache_made_read_only_during_a_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Repo()
    app = github_app(repo, tmp_path / "cache")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        def read_only(*args: object, **kwargs: object) -> None:
            raise sqlite3.OperationalError("attempt to write a readonly database")

        # Running as root, chmod cannot make the folder read-only; the write fails as SQLite would.
        monkeypatch.setattr(diskcache.Cache, "set", read_only)
        await pilot.press("right_square_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == DAYS[1] and len(list_titles(screen)) == 4


async def test_network_drop_mid_switch_keeps_the_day(tmp_path: Path) -> None:
    repo = Repo()
    app = github_app(repo, tmp_path / "cache")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await settle(pilot)
        # The next day is already in memory (prefetched); the one after must come from the network.
        repo.down = {DAYS[2].isoformat()}
        await pilot.press("right_square_bracket")
        screen = await settle(pilot)
        before = list_titles(screen)
        assert shown_day(screen) == DAYS[1]
        await pilot.press("right_square_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == DAYS[1] and list_titles(screen) == before
        assert any("network is unreachable" in m or "cannot reach" in m for m in notifications(app)), notifications(app)
        repo.down = set()
        await pilot.press("right_square_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == DAYS[2]


async def test_disk_full_on_export_says_so_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"{DAYS[0].isoformat()}---Hot-Papers.md"
    target.write_text("the old post\n", encoding="utf-8")
    app = github_app(Repo(), tmp_path / "cache", export_dir=out)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)

        def full(fd: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr("hotpapers_tui.export.os.fsync", full)
        await pilot.press("s", "enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert any("No space left on device" in m for m in notifications(app)), notifications(app)
        assert target.read_text(encoding="utf-8") == "the old post\n"
        assert sorted(p.name for p in out.iterdir()) == [target.name]


@pytest.mark.parametrize("tiny", [(20, 8), (30, 10)])
async def test_resize_to_tiny_and_back(tmp_path: Path, tiny: tuple[int, int]) -> None:
    app = github_app(Repo(), tmp_path / "cache")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.resize_terminal(*tiny)
        await pilot.pause()
        await pilot.press("down", "right_square_bracket")
        screen = await settle(pilot)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        screen = await settle(pilot)
        assert shown_day(screen) == DAYS[1]
        assert screen.query_one(PaperList).size.width > 60 and len(list_titles(screen)) == 4
        assert DAYS[1].isoformat() in header(screen)
