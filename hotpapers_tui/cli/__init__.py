"""The ``hotpapers-tui`` command line: the reader by default, subcommands for scripts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hotpapers_tui import __version__
from hotpapers_tui.cli import cache_cmd, config_cmd, library_cmds, live_cmds, login_cmd, posts_cmds, reader_cmd
from hotpapers_tui.cli.common import CliError, common_options, report_errors

# Each module adds its subcommands; the order here is the order of --help.
COMMAND_MODULES = [posts_cmds, library_cmds, live_cmds, config_cmd, login_cmd, cache_cmd]


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, subcommands included."""
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="hotpapers-tui",
        description="Read each day's arXiv papers ranked by the attention they drew.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"hotpapers-tui {__version__}")
    reader_cmd.add_reader_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub, common)
    reader_cmd.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 error). Usage errors exit with 2 through argparse."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
