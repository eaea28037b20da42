"""The ``config`` subcommand: where the settings file is and what is in effect."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from hotpapers_tui import paths
from hotpapers_tui.cli.common import CliError
from hotpapers_tui.config import describe_config, effective_credentials, load_config
from hotpapers_tui.localfile import closed_folder


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    config = sub.add_parser(
        "config",
        parents=[common],
        help="show where the settings file is, or the settings in effect",
        description="'config path' prints the settings file's location ($HOTPAPERS_CONFIG overrides it); "
        "'config show' prints the effective settings, secrets only as set / not set.",
    )
    config.add_argument("action", choices=["path", "show"], help="what to print")
    config.set_defaults(handler=cmd_config)


def cmd_config(args: argparse.Namespace) -> int:
    if args.action == "path":
        try:
            path = paths.config_path()
        except paths.PathError as exc:
            raise CliError(str(exc)) from None
        # The path's own bytes, so that a script can use it even when it is not UTF-8.
        sys.stdout.flush()
        sys.stdout.buffer.write(os.fsencode(path) + b"\n")
        sys.stdout.buffer.flush()
        folder = closed_folder(path)
        if folder is not None:
            print(
                f"hotpapers-tui: the folder {paths.shown(folder)} cannot be entered: whether the file is there "
                "cannot be known, and every command stops until it can",
                file=sys.stderr,
            )
        elif not os.path.lexists(path):
            print(f"hotpapers-tui: {paths.shown(path)} does not exist yet; the defaults apply", file=sys.stderr)
        return 0
    config = load_config()
    _, origin = effective_credentials(config)
    sys.stdout.write(describe_config(config, origin))
    return 0
