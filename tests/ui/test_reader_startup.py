"""Starting the reader: the config file's settings, and an offline first run that opens on the sample."""

from __future__ import annotations

import argparse
import os
import socket
from datetime import date
from pathlib import Path

import pytest

from hotpapers_tui.cli import main
from hotpapers_tui.cli.reader_cmd import build_app, reader_feed
from hotpapers_tui.config import load_config
from hotpapers_tui.fetch.api import SOURCES
from tests.ui.helpers import SIZES, header, list_titles, notifications, settle, shown_day, status

POSTS = Path(__file__).resolve().parents[2] / "screenshots" / "posts"


def refused_url() -> str:
    """A 127.0.0.1 URL nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def write_config(text: str) -> Path:
    path = Path(os.environ["HOTPAPERS_CONFIG"])
    path.write_text(text, encoding="utf-8")
    return path


def no_network_config(extra: str = "") -> Path:
    """Every source pointed at a port nobody listens on: the network is down."""
    url = refused_url()
    tables = "".join(f'[sources.{name}]\nbase_url = "{url}"\n' for name in SOURCES)
    return write_config(extra + tables)


def reader_args(*argv: str) -> argparse.Namespace:
    from hotpapers_tui.cli import build_parser

    return build_parser().parse_args(list(argv))


@pytest.mark.parametrize("size", SIZES)
async def test_first_run_without_network_opens_the_sample_and_says_offline(size: tuple[int, int]) -> None:
    no_network_config()
    config = load_config()
    assert config.default_feed == "timeline"
    feed, notice = reader_feed(reader_args(), config)
    assert feed.name == "timeline" and notice is None  # not listed yet: the reader does that, on screen
    app = build_app(reader_args(), feed, config=config)
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await settle(pilot)
        assert list_titles(screen)[0] == "GRAND: Graph Neural Diffusion"
        assert any(m.startswith("offline: cannot reach ") for m in notifications(app))
        # Offline stays said, with why, for as long as it is true: in the header and the status line.
        for _ in range(2):
            assert header(screen).startswith("sample  ") and "offline" in header(screen)
            assert "cannot be reached" in status(screen) and "offline, R retries" in header(screen)
            # Why comes first, so that the status line's cut at narrow widths takes the least of it.
            assert status(screen).startswith("offline: cannot reach ")
            await pilot.press("j", "right_square_bracket")
            screen = await settle(pilot)


def test_offline_first_run_through_the_command(tmp_path: Path) -> None:
    no_network_config()
    out = tmp_path / "start.svg"
    assert main(["--offline", "screenshot", "-o", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    assert "offline" in svg and "sample" in svg and "GRAND" in svg


async def test_config_settings_reach_the_reader(tmp_path: Path) -> None:
    write_config(f'export_dir = "{tmp_path}"\ntheme = "nord"\n[keymap]\nnext_day = "N"\ncursor_down = "J"\n')
    config = load_config()
    args = reader_args("--feed", f"dir:{POSTS}", "--date", "2024-05-13")
    feed, notice = reader_feed(args, config)
    assert notice is None
    app = build_app(args, feed, config=config)
    assert app.export_dir == tmp_path
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert app.theme == "nord"
        assert shown_day(screen) == date(2024, 5, 13)
        await pilot.press("J")  # the config's rebinding of cursor_down
        assert screen.paper_list.cursor == 1
        await pilot.press("N")  # and of next_day
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 5, 14)


async def test_an_unknown_theme_is_reported_not_fatal() -> None:
    write_config('theme = "no-such-theme"\n')
    config = load_config()
    feed, _ = reader_feed(reader_args("--feed", "sample"), config)
    app = build_app(reader_args("--feed", "sample"), feed, config=config)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert any("no-such-theme" in n.message for n in app._notifications)


def test_a_bad_config_is_one_line_and_status_1(capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config("default_feed = 3\n")
    assert main(["--feed", "sample"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "default_feed" in err and "Traceback" not in err


def test_mark_read_setting_is_validated(capsys: pytest.CaptureFixture[str]) -> None:
    write_config('mark_read = "sometimes"\n')
    assert main(["--feed", "sample"]) == 1
    err = capsys.readouterr().err
    assert "mark_read" in err and "shown:SECONDS" in err and err.count("\n") == 1
    write_config('mark_read = "opened"\n')
    config = load_config()
    assert config.mark_read == "opened"
