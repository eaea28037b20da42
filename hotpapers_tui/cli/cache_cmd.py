"""The ``cache`` subcommand: what the answer cache holds, and emptying it."""

from __future__ import annotations

import argparse
from typing import Any

from hotpapers_tui import paths
from hotpapers_tui.fetch.cache import AnswerCache


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    cache = sub.add_parser(
        "cache",
        parents=[common],
        help="show what the cache holds, or empty it",
        description="'cache info' prints the cache folder ($HOTPAPERS_CACHE_DIR overrides it), its size and its "
        "entries by kind; 'cache clear' removes every entry.",
    )
    cache.add_argument("action", choices=["info", "clear"], help="what to do")
    cache.set_defaults(handler=cmd_cache)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def cmd_cache(args: argparse.Namespace) -> int:
    directory = paths.cache_dir()
    if args.action == "clear":
        if not directory.exists():
            print(f"{directory}: no cache yet, nothing to clear")
            return 0
        cache = AnswerCache(directory)
        try:
            removed = cache.clear()
        finally:
            cache.close()
        print(f"removed {removed} entries from {directory}")
        return 0
    if not directory.exists():
        print(f"location: {directory}\nsize: 0 bytes (no cache yet)\nentries: 0")
        return 0
    cache = AnswerCache(directory)
    try:
        info = cache.info()
    finally:
        cache.close()
    print(f"location: {info.directory}")
    print(f"size: {_size(info.size_bytes)}")
    total = sum(info.entries.values())
    print(f"entries: {total}")
    for kind, count in sorted(info.entries.items()):
        print(f"  {kind}: {count}")
    return 0
