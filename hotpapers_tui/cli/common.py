"""What every subcommand shares: common options, feed opening, and error reporting."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from hotpapers_tui.config import ConfigError, load_config
from hotpapers_tui.daydata import DayDataError
from hotpapers_tui.export import ExportError
from hotpapers_tui.feeds import FEED_HELP, Feed, FeedError, open_feed
from hotpapers_tui.fetch.api import FetchError, give_up_for_the_run
from hotpapers_tui.keychain import KeychainError
from hotpapers_tui.paths import PathError, shown
from hotpapers_tui.posts import PostError

T = TypeVar("T")

DEFAULT_FEED = "timeline"


class CliError(Exception):
    """A failure to report as one line on standard error, exit status 1."""


def common_options() -> argparse.ArgumentParser:
    """Options every command accepts, before or after the command name."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS,
        help="never touch the network; use cached data only",
    )
    return common


def add_feed_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--feed",
        metavar="FEED",
        default=None,
        help=f"{FEED_HELP} (default: default_feed from the config, else {DEFAULT_FEED})",
    )


def keep_top_level_values(
    parser: argparse.ArgumentParser, commands: argparse._SubParsersAction[argparse.ArgumentParser]
) -> None:
    """Let an option given before the command name (``--feed sample days``) reach the command.

    argparse fills a command's own defaults into the namespace after the top-level options
    were parsed, so a command that also accepts ``--feed`` would reset the value given
    before its name to its default. A command's copies of the top-level options get no
    default of their own: given after the name they still win, left out they leave the
    top-level value (or its default) in place.
    """
    top = {action.dest for action in parser._actions if action.option_strings}
    for command in set(commands.choices.values()):
        for action in command._actions:
            if action.option_strings and action.dest in top and action.dest != "help":
                action.default = argparse.SUPPRESS


def is_offline(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "offline", False))


def feed_from_args(args: argparse.Namespace) -> Feed:
    """The feed ``--feed`` names (else the config's default_feed), honouring ``--offline``.

    A remote feed gets its own fetcher from the config and closes it in its ``aclose``.
    """
    config = load_config()
    spec = getattr(args, "feed", None) or config.default_feed or DEFAULT_FEED
    return open_feed(spec, config=config, offline=is_offline(args))


def say_feed_notes(feed: Feed) -> None:
    """Print on standard error what the feed says about its listing (cut short by GitHub, offline), if anything."""
    note = getattr(feed, "start_note", None)
    if isinstance(note, str) and note:
        print(f"hotpapers-tui: {feed.name}: {shown(note)}", file=sys.stderr)


def parse_date(text: str) -> date:
    """An ISO date from the command line, or a usage error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def run(coro: Coroutine[Any, Any, T], *, one_shot: bool = True) -> T:
    """Run a command's coroutine. A one-shot command never asks again a host it gave up on.

    The reader (``one_shot=False``) runs for hours and asks such a host again after a
    while, in case it is back; a command that asks again later only repeats the wait.
    """
    if not one_shot:
        return asyncio.run(coro)
    with give_up_for_the_run():
        return asyncio.run(coro)


@dataclass
class Status:
    code: int = 0


@contextmanager
def report_errors() -> Iterator[Status]:
    """Turn the project's errors into one line on standard error and exit status 1."""
    status = Status()
    try:
        yield status
    except (
        CliError,
        PostError,
        FeedError,
        DayDataError,
        ExportError,
        FetchError,
        ConfigError,
        PathError,
        KeychainError,
    ) as exc:
        # A file name that is not UTF-8 must not turn the error into a UnicodeEncodeError.
        print(f"hotpapers-tui: {shown(str(exc))}", file=sys.stderr)
        status.code = 1
    except BrokenPipeError:
        status.code = 1
    except Exception as exc:
        # The cache's error, looked up only if its module was loaded (the reader on local
        # posts never loads it): an error of a module never imported cannot have been raised.
        cache = sys.modules.get("hotpapers_tui.fetch.cache")
        if cache is None or not isinstance(exc, cache.CacheError):
            raise
        print(f"hotpapers-tui: {shown(str(exc))}", file=sys.stderr)
        status.code = 1
