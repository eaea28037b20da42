"""Subcommands of the live feed: ``sources`` (which sources a build would use, and why not)."""

from __future__ import annotations

import argparse
from typing import Any

from hotpapers_tui.cli.common import is_offline
from hotpapers_tui.config import CREDENTIAL_ENV, live_settings, load_config
from hotpapers_tui.live.feed import source_states
from hotpapers_tui.live.settings import LiveSettings


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    sources = sub.add_parser(
        "sources",
        parents=[common],
        help="list the live feed's sources, whether each is enabled, and why not",
        description="Print each source of the live feed, whether a build uses it, and why not. "
        f"Credentials come from {', '.join(CREDENTIAL_ENV.values())}, "
        "else the system keyring ('hotpapers-tui login bluesky', 'hotpapers-tui login x'), "
        "else the config's [credentials] table.",
    )
    sources.set_defaults(handler=cmd_sources)


def render_sources(settings: LiveSettings, *, offline: bool) -> str:
    """The ``sources`` table: name, enabled or disabled, why."""
    states = source_states(settings, offline=offline)
    width = max(len(s.name) for s in states)
    return "".join(f"{s.name:<{width}}  {'enabled ' if s.enabled else 'disabled'}  {s.why}\n" for s in states)


def cmd_sources(args: argparse.Namespace) -> int:
    print(render_sources(live_settings(load_config()), offline=is_offline(args)), end="")
    return 0
