"""The reader itself: ``hotpapers-tui [--feed FEED] [--date DATE]`` opens the terminal UI."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from hotpapers_tui.cli.common import add_feed_option, parse_date


def add_reader_options(parser: argparse.ArgumentParser) -> None:
    add_feed_option(parser)
    parser.add_argument(
        "--date", type=parse_date, metavar="YYYY-MM-DD", help="open on this day (or the nearest earlier one)"
    )


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """The reader has no subcommand of its own yet; screenshots come with the UI."""


def run_reader(args: argparse.Namespace) -> int:
    print(
        "hotpapers-tui: the terminal reader is not built yet; try 'hotpapers-tui show --feed sample 2021-06-22'",
        file=sys.stderr,
    )
    return 1
