"""The reader on local posts loads only what it uses (checked in a fresh interpreter), and the shortcuts behind it."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotpapers_tui import posts
from hotpapers_tui.cli import COMMAND_MODULES, COMMANDS, build_parser, command_in, modules_for
from hotpapers_tui.fetch.api import SOURCES

HEAVY = ("httpx", "diskcache", "arxiv", "markdown_it", "hotpapers_tui.live.feed", "hotpapers_tui.fetch.client")
POSTS = Path(__file__).resolve().parents[1] / "screenshots" / "posts"


def run_fresh(code: str, home: Path) -> Any:
    """Run ``code`` in a fresh interpreter with its config, cache and data in ``home``; its last line, as JSON."""
    env = {
        **os.environ,
        "HOTPAPERS_CONFIG": str(home / "config.toml"),
        "HOTPAPERS_CACHE_DIR": str(home / "cache"),
        "HOTPAPERS_DATA_DIR": str(home / "data"),
    }
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def loaded_after(argv: list[str], home: Path) -> list[str]:
    """Run the command line in a fresh interpreter; the heavy modules it loaded."""
    code = (
        "import json, sys\n"
        "from hotpapers_tui.cli import main\n"
        f"status = main({argv!r})\n"
        f"print(json.dumps([status, [m for m in {HEAVY!r} if m in sys.modules]]))\n"
    )
    status, loaded = run_fresh(code, home)
    assert status == 0
    return list(loaded)


@pytest.mark.parametrize("feed", ["sample", f"dir:{POSTS}"])
def test_the_reader_on_local_posts_loads_no_network_cache_or_markdown_module(feed: str, tmp_path: Path) -> None:
    out = tmp_path / "shot.svg"
    assert loaded_after(["screenshot", "--feed", feed, "-o", str(out)], tmp_path) == []
    assert out.read_text(encoding="utf-8").startswith("<svg")


def test_a_command_loads_its_own_module_only(tmp_path: Path) -> None:
    loaded = loaded_after(["days", "--feed", "sample"], tmp_path)
    assert "hotpapers_tui.live.feed" not in loaded and "httpx" not in loaded


def test_every_subcommand_is_in_the_table_of_its_module() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for module in COMMAND_MODULES:
        alone = build_parser([module])
        only = next(a for a in alone._actions if isinstance(a, argparse._SubParsersAction))
        for name in only.choices:
            if name != "screenshot":
                assert COMMANDS[name] == module, name
    assert set(sub.choices) == {*COMMANDS, "screenshot"}
    assert all(importlib.import_module(f"hotpapers_tui.cli.{m}") for m in set(COMMANDS.values()))


def test_the_command_is_found_past_options_and_their_values() -> None:
    assert command_in(["--feed", "show", "--date", "2021-06-22"]) is None
    assert command_in(["--offline", "--feed=x", "show", "day"]) == "show"
    assert modules_for([]) == [] and modules_for(["--feed", "sample"]) == []
    assert modules_for(["--help"]) == COMMAND_MODULES
    assert modules_for(["search", "x"]) == ["library_cmds"]
    assert modules_for(["screenshot", "-o", "x.svg"]) == []
    assert modules_for(["nonsense"]) == COMMAND_MODULES, "argparse names the choices"


marker_lines = st.sampled_from(["---", "--- ", "----", "---\t", "-- -"])
front_lines = st.lists(st.one_of(st.text(alphabet='-ab: \t"', max_size=8), marker_lines), max_size=6)


@settings(max_examples=400, deadline=None)
@given(front_lines, marker_lines, st.text(alphabet="ab\n-", max_size=10))
def test_canonical_front_matter_reads_as_the_markdown_plugin_reads_it(body: list[str], closing: str, rest: str) -> None:
    text = "---\n" + "".join(line + "\n" for line in body) + closing + "\n" + rest
    end = posts._front_end(text)
    if end is None:
        return
    tokens = posts._front().parse(text[: end + 1])
    try:
        ours: object = posts._front_lines(text, "post")
    except posts.PostError:
        ours = "error"
    if not tokens or tokens[0].type != "front_matter" or tokens[0].map is None:
        assert ours == "error"
    else:
        assert ours == (tokens[0].content.split("\n"), tokens[0].map[1])


def test_the_interactive_reader_on_the_sample_loads_none_of_them_either(tmp_path: Path) -> None:
    # The screenshot leaves out the search index and the neighbouring days: the reader itself runs them.
    code = (
        "import asyncio, json, sys\n"
        "from hotpapers_tui.feeds.folder import sample_feed\n"
        "from hotpapers_tui.ui.app import HotPapersApp\n"
        "async def main():\n"
        "    app = HotPapersApp(sample_feed())\n"
        "    async with app.run_test(size=(120, 40)) as pilot:\n"
        "        for _ in range(500):\n"
        "            await pilot.pause(0.01)\n"
        "            if getattr(app.screen, 'index', None) is not None and not any(\n"
        "                not w.is_finished for w in app.workers\n"
        "            ):\n"
        "                break\n"
        "        return app.screen.index is not None\n"
        "opened = asyncio.run(main())\n"
        f"print(json.dumps([opened, [m for m in {HEAVY!r} if m in sys.modules]]))\n"
    )
    opened, loaded = run_fresh(code, tmp_path)
    assert opened, "the search index was opened (the background work ran)"
    assert loaded == []


def test_the_reader_on_a_remote_feed_imports_its_client_after_the_first_frame(tmp_path: Path) -> None:
    # Everything the process does before the app runs loads none of the remote feed's modules
    # (they cost about 50 ms before the first frame); listing the days loads them.
    (tmp_path / "config.toml").write_text(
        "".join(f'[sources.{name}]\nbase_url = "http://127.0.0.1:9"\n' for name in SOURCES), encoding="utf-8"
    )
    code = (
        "import asyncio, json, sys\n"
        "from hotpapers_tui.cli import build_parser\n"
        "from hotpapers_tui.cli.reader_cmd import build_app, reader_feed\n"
        "from hotpapers_tui.config import load_config\n"
        f"heavy = lambda: [m for m in {HEAVY!r} if m in sys.modules]\n"
        "args = build_parser([]).parse_args(['--offline'])\n"
        "config = load_config()\n"
        "feed, _ = reader_feed(args, config)\n"
        "app = build_app(args, feed, config=config, background=False)\n"
        "before = heavy()\n"
        "async def main():\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        for _ in range(1000):\n"
        "            await pilot.pause(0.01)\n"
        "            if app.screen.current is not None:\n"
        "                return [feed.name, app.screen.loader.feed.name]\n"
        "shown = asyncio.run(main())\n"
        "print(json.dumps([before, heavy(), shown]))\n"
    )
    before, after, shown = run_fresh(code, tmp_path)
    assert before == []
    assert "hotpapers_tui.fetch.client" in after and "hotpapers_tui.live.feed" in after, "listing opened the feed"
    assert shown == ["timeline", "sample"], "offline with nothing cached: the sample, as before"
