"""Credentials looked up only when a build needs one: never when a feed opens, once per process, off the event loop."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import date, datetime
from pathlib import Path

import keyring
import pytest

from hotpapers_tui.cli import main
from hotpapers_tui.config import live_settings, load_config
from hotpapers_tui.feeds import open_feed
from hotpapers_tui.keychain import SERVICE
from hotpapers_tui.live.daystore import LiveDayStore
from hotpapers_tui.live.feed import DAYS_FOLDER, open_live_feed
from hotpapers_tui.live.settings import LiveCredentials
from hotpapers_tui.model import Day
from hotpapers_tui.paths import cache_dir
from tests.conftest import MemoryKeyring
from tests.live.conftest import DAY, NOW
from tests.live.fakes import FakeFetcher
from tests.live.world import World

KEPT = date(2026, 11, 23)


class CountingKeyring(MemoryKeyring):
    """A keyring that records each question: the name asked and the thread that asked."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[tuple[str, str]] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.asked.append((username, threading.current_thread().name))
        return super().get_password(service, username)


@pytest.fixture
def counting() -> CountingKeyring:
    backend = CountingKeyring()
    backend.set_password(SERVICE, "bluesky_handle", "me.bsky.social")
    backend.set_password(SERVICE, "bluesky_app_password", "app-pass")
    keyring.set_keyring(backend)
    return backend


def keep_a_day() -> None:
    built = Day(date=KEPT, title=f"Hot Papers {KEPT.isoformat()}", generated_at=datetime(2026, 11, 26, 12))
    LiveDayStore(cache_dir() / DAYS_FOLDER).put(built, NOW)


async def test_opening_listing_and_showing_kept_days_never_ask_the_keyring(counting: CountingKeyring) -> None:
    keep_a_day()
    config = load_config()
    for spec in ("live", "timeline"):
        feed = open_feed(spec, config=config, offline=True)
        try:
            assert KEPT in await feed.days()
            loaded = await feed.load(KEPT)
        finally:
            await feed.aclose()
        assert loaded.day.date == KEPT
    assert counting.asked == []


async def test_a_build_asks_the_keyring_once_per_process_from_a_worker_thread(
    counting: CountingKeyring, world: World
) -> None:
    config = load_config()
    fetcher = FakeFetcher(world.handle)
    feed = open_live_feed(fetcher, live_settings(config), owns_fetcher=False, now=lambda: NOW)
    assert counting.asked == []
    loaded = await feed.load(DAY)
    assert loaded.note.startswith("sources: hackernews") and "bluesky (" in loaded.note  # signed in from the keyring
    names = [name for name, _ in counting.asked]
    assert names == ["bluesky_handle", "bluesky_app_password", "x_bearer_token"]
    assert all(thread != threading.main_thread().name for _, thread in counting.asked)  # off the event loop
    # Another build, another feed opened in the same process: the keyring is not asked again.
    await feed.load(date(2026, 11, 25), refresh=True)
    again = open_live_feed(fetcher, live_settings(load_config()), owns_fetcher=False, now=lambda: NOW)
    await again.load(date(2026, 11, 25), refresh=True)
    assert len(counting.asked) == 3
    await feed.aclose()
    await again.aclose()


async def test_the_order_stays_environment_then_keyring_then_file(
    counting: CountingKeyring, _isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (_isolated_home / "config.toml").write_text(
        '[credentials]\nx_bearer_token = "file-token"\nbluesky_handle = "file.bsky.social"\n', encoding="utf-8"
    )
    monkeypatch.setenv("HOTPAPERS_BLUESKY_APP_PASSWORD", "env-pass")
    counting.set_password(SERVICE, "x_bearer_token", "keyring-token")
    settings = live_settings(load_config())
    assert counting.asked == [] and "not looked up yet" in repr(settings)
    assert settings.credentials.values() == {
        "bluesky_handle": "me.bsky.social",  # the keyring over the file
        "bluesky_app_password": "env-pass",  # the environment over the keyring
        "x_bearer_token": "keyring-token",
    }
    assert [name for name, _ in counting.asked] == ["bluesky_handle", "x_bearer_token"]


def test_sources_and_config_show_still_say_where_each_credential_comes_from(
    counting: CountingKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources"]) == 0
    assert "bluesky      enabled" in capsys.readouterr().out
    assert main(["config", "show"]) == 0
    shown = capsys.readouterr().out
    assert "bluesky_handle = set  # from the keyring" in shown and "x_bearer_token = not set" in shown


def test_credentials_given_outright_are_never_looked_up() -> None:
    def lookup() -> dict[str, str | None]:
        raise AssertionError("looked up")

    given = LiveCredentials({"x_bearer_token": "tok"})
    assert given.resolved and given.values()["x_bearer_token"] == "tok"
    lazy = LiveCredentials(lookup=lookup)
    assert not lazy.resolved and repr(lazy) == "LiveCredentials(not looked up yet)"


def test_two_threads_asking_at_once_look_up_once() -> None:
    calls: list[int] = []
    barrier = threading.Barrier(8)

    def lookup() -> dict[str, str | None]:
        calls.append(1)
        return {"x_bearer_token": "tok"}

    lazy = LiveCredentials(lookup=lookup)

    def ask() -> None:
        barrier.wait()
        assert lazy.values()["x_bearer_token"] == "tok"

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1]


def test_settings_built_at_different_times_compare_by_their_values() -> None:
    assert LiveCredentials({"x_bearer_token": "a"}) == LiveCredentials(lookup=lambda: {"x_bearer_token": "a"})
    assert LiveCredentials({"x_bearer_token": "a"}) != LiveCredentials({"x_bearer_token": "b"})


@pytest.mark.parametrize("feed", ["live", "timeline"])
def test_a_command_on_a_live_feed_never_loads_the_keyring_module(feed: str, _isolated_home: Path) -> None:
    keep_a_day()
    code = (
        "import json, sys\n"
        "from hotpapers_tui.cli import main\n"
        f"status = main(['--offline', 'days', '--feed', {feed!r}])\n"
        "print(json.dumps([status, 'keyring' in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert KEPT.isoformat() in lines
    assert json.loads(lines[-1]) == [0, False]
