"""The ``config`` subcommand: where the settings file is and what is in effect."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from hotpapers_tui import paths
from hotpapers_tui.config import describe_config, load_config


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
        path = paths.config_path()
        print(path)
        if not path.exists():
            print(f"hotpapers-tui: {path} does not exist yet; the defaults apply", file=sys.stderr)
        return 0
    sys.stdout.write(describe_config(load_config()))
    return 0
