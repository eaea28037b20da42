"""The ``hotpapers-tui`` command line: the reader by default, subcommands for scripts.

Each subcommand's module is imported only when that subcommand runs (or for ``--help``):
the reader on local posts must not pay for the HTTP client, the disk cache or the live
sources it never uses.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from hotpapers_tui import __version__
from hotpapers_tui.cli import reader_cmd
from hotpapers_tui.cli.common import CliError, common_options, keep_top_level_values, report_errors

COMMAND_MODULES = ["posts_cmds", "library_cmds", "live_cmds", "config_cmd", "login_cmd", "cache_cmd"]
"""The modules that add subcommands, in the order of ``--help`` (``reader_cmd`` adds ``screenshot`` last)."""

COMMANDS: dict[str, str] = {
    "show": "posts_cmds",
    "export": "posts_cmds",
    "days": "posts_cmds",
    "search": "library_cmds",
    "starred": "library_cmds",
    "star": "library_cmds",
    "unstar": "library_cmds",
    "read": "library_cmds",
    "unread": "library_cmds",
    "sources": "live_cmds",
    "config": "config_cmd",
    "login": "login_cmd",
    "logout": "login_cmd",
    "cache": "cache_cmd",
}
"""Which module registers each subcommand (``screenshot`` is the reader's own)."""

_VALUED_OPTIONS = {"--feed", "--date"}
"""The top-level options that take a value, so the scan for the command skips it."""


def command_in(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names, if any (the first word that is neither an option nor an option's value)."""
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token == "--":
            return None
        if token.startswith("-"):
            skip = token in _VALUED_OPTIONS
            continue
        return token
    return None


def modules_for(argv: Sequence[str]) -> list[str]:
    """The subcommand modules the parser needs for ``argv``: none for the reader, one for a known command, else all."""
    command = command_in(argv)
    if command is None:
        return list(COMMAND_MODULES) if any(t in ("-h", "--help") for t in argv) else []
    if command == "screenshot":
        return []
    module = COMMANDS.get(command)
    return [module] if module is not None else list(COMMAND_MODULES)


def build_parser(modules: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser with the subcommands of ``modules`` (default: all of them)."""
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="hotpapers-tui",
        description="Read each day's arXiv papers ranked by the attention they drew.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"hotpapers-tui {__version__}")
    reader_cmd.add_reader_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES if modules is None else modules:
        importlib.import_module(f"hotpapers_tui.cli.{name}").register(sub, common)
    reader_cmd.register(sub, common)
    keep_top_level_values(parser, sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 error). Usage errors exit with 2 through argparse."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(modules_for(words))
    args = parser.parse_args(words)
    handler = getattr(args, "handler", None) or reader_cmd.run_reader
    with report_errors() as status:
        status.code = handler(args)
    return status.code


def entry() -> None:
    """Console-script entry."""
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)


__all__ = ["CliError", "build_parser", "entry", "main"]
