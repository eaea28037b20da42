"""Feeds by name: ``sample``, ``dir:PATH``; later ``archive``, ``github:...`` and ``live``."""

from __future__ import annotations

from pathlib import Path

from hotpapers_tui.feeds.base import DayLoad, Feed, FeedError, nearest_on_or_before
from hotpapers_tui.feeds.folder import FolderFeed, sample_feed

__all__ = ["FEED_HELP", "DayLoad", "Feed", "FeedError", "FolderFeed", "nearest_on_or_before", "open_feed"]

FEED_HELP = "a feed: 'sample' (the post shipped with the reader) or 'dir:PATH' (a folder of posts)"


def open_feed(spec: str) -> Feed:
    """The feed a name stands for; raises FeedError for an unknown name."""
    if spec == "sample":
        return sample_feed()
    if spec.startswith("dir:"):
        path = spec[4:]
        if not path:
            raise FeedError("'dir:' needs a folder: dir:PATH")
        return FolderFeed(Path(path).expanduser(), name=spec)
    raise FeedError(f"unknown feed {spec!r}: expected {FEED_HELP}")
