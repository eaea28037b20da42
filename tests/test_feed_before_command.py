"""``hotpapers-tui --feed FEED COMMAND``: a feed named before the command reaches every command that takes one."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from hotpapers_tui.cli import build_parser, main
from hotpapers_tui.feeds.folder import sample_path

SAMPLE_DAY = "2021-06-22"

REQUIRED: dict[str, list[str]] = {
    "show": [SAMPLE_DAY],
    "export": [SAMPLE_DAY, "-o", "-"],
    "days": [],
    "search": ["diffusion"],
    "star": ["2106.10934"],
    "screenshot": ["-o", "shot.svg"],
}
"""Every command that takes --feed, with the other arguments it needs."""


def commands_with_feed() -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name for name, command in sub.choices.items() if any(a.dest == "feed" for a in command._actions)}


def test_every_command_with_feed_is_checked_here() -> None:
    assert commands_with_feed() == set(REQUIRED)


@pytest.mark.parametrize("command", sorted(REQUIRED))
def test_a_feed_before_the_command_is_kept(command: str) -> None:
    parser = build_parser()
    before = parser.parse_args(["--feed", "dir:before", command, *REQUIRED[command]])
    assert before.feed == "dir:before"
    after = parser.parse_args(["--feed", "dir:before", command, *REQUIRED[command], "--feed", "dir:after"])
    assert after.feed == "dir:after", "given after the command's name, the command's own --feed wins"
    neither = parser.parse_args([command, *REQUIRED[command]])
    assert neither.feed is None, "left out, the config's default_feed applies"
    if command == "screenshot":
        assert parser.parse_args(["--date", SAMPLE_DAY, command, "-o", "x.svg"]).date.isoformat() == SAMPLE_DAY


@pytest.fixture
def posts(tmp_path: Path) -> str:
    folder = tmp_path / "posts"
    folder.mkdir()
    shutil.copy(sample_path(), folder / sample_path().name)
    return f"dir:{folder}"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_commands_read_the_feed_named_before_them(
    posts: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The default feed (the timeline) would need the network, which tests never reach: each
    # command below succeeds only on the folder named before it.
    assert run(capsys, "--feed", posts, "days") == (0, f"{SAMPLE_DAY}\n", "")
    code, out, err = run(capsys, "--feed", posts, "show", SAMPLE_DAY)
    assert (code, err) == (0, "") and out.startswith(f"Hot Papers {SAMPLE_DAY}\n")
    code, out, _ = run(capsys, "--feed", posts, "export", SAMPLE_DAY, "-o", "-")
    assert code == 0 and out == sample_path().read_text(encoding="utf-8")
    code, out, _ = run(capsys, "--feed", posts, "export", "--all", "-o", str(tmp_path / "out"))
    assert code == 0 and [p.name for p in (tmp_path / "out").iterdir()] == [sample_path().name]
    code, out, _ = run(capsys, "--feed", posts, "search", "diffusion")
    assert code == 0 and out.startswith(f"{SAMPLE_DAY}    1  2106.10934")
    code, out, _ = run(capsys, "--feed", posts, "star", "2106.10934")
    assert (code, out) == (0, "starred 2106.10934: GRAND: Graph Neural Diffusion\n")
