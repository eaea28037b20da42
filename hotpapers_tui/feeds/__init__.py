"""Feeds by name: ``timeline``, ``live``, ``archive``, ``github:OWNER/REPO/PATH[@REF]``, ``dir:PATH`` and ``sample``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from hotpapers_tui.config import Config, live_settings, load_config
from hotpapers_tui.feeds.base import DayLoad, Feed, FeedError, nearest_on_or_before
from hotpapers_tui.feeds.folder import FolderFeed, sample_feed
from hotpapers_tui.fetch.api import Fetcher

if TYPE_CHECKING:
    from hotpapers_tui.feeds.github import GithubFeed
    from hotpapers_tui.live.settings import LiveSettings


def __getattr__(name: str) -> Any:
    # The GitHub feed pulls in the HTTP client: loaded only when a remote feed is used.
    if name == "GithubFeed":
        from hotpapers_tui.feeds.github import GithubFeed

        return GithubFeed
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FEED_HELP",
    "DayLoad",
    "Feed",
    "FeedError",
    "FolderFeed",
    "GithubFeed",
    "nearest_on_or_before",
    "open_feed",
]

FEED_HELP = (
    "a feed: 'timeline' (the archive's days, then the live days), 'archive' (the published Hot Papers archive, "
    "2020-06-29 to 2022-01-13), 'live' (every listing day since 2023-05-04, built from today's sources), "
    "'github:OWNER/REPO/PATH[@REF]' (a repository folder of posts), 'dir:PATH' (a folder of posts) "
    "or 'sample' (the post shipped with the reader)"
)


_REMOTE_MODULES = {
    "github": ("hotpapers_tui.fetch.client", "hotpapers_tui.feeds.github"),
    "live": ("hotpapers_tui.fetch.client", "hotpapers_tui.feeds.github", "hotpapers_tui.live.feed"),
    "timeline": (
        "hotpapers_tui.fetch.client",
        "hotpapers_tui.feeds.github",
        "hotpapers_tui.live.feed",
        "hotpapers_tui.feeds.timeline",
    ),
}
"""What each kind of remote feed imports before it can be made."""


def _remote_kind(spec: str) -> str | None:
    if spec == "archive" or spec.startswith("github:"):
        return "github"
    return spec if spec in ("live", "timeline") else None


def open_feed(
    spec: str,
    *,
    fetcher: Fetcher | None = None,
    config: Config | None = None,
    offline: bool = False,
    deferred: bool = False,
) -> Feed:
    """The feed a name stands for; raises FeedError for an unknown name.

    Remote feeds use ``fetcher`` when given (the caller closes it); otherwise they build
    one from ``config`` (default: the user's config file) honouring ``offline``, and
    close it in their ``aclose``. ``sample`` and ``dir:`` never need either.

    ``deferred`` (the reader's start): a remote feed is checked now (its name, the
    config's [live] table) but made only when its days are first asked for, its modules
    imported in a thread, so nothing slows the reader's first frame.
    """
    kind = _remote_kind(spec)
    if deferred and kind is not None and fetcher is None:
        config = config if config is not None else load_config()
        _check_remote(spec, kind, config)
        from hotpapers_tui.feeds.deferred import DeferredFeed

        def opener() -> Feed:
            return open_feed(spec, config=config, offline=offline)

        return DeferredFeed(spec, opener, _REMOTE_MODULES[kind])
    if spec == "sample":
        return sample_feed()
    if spec.startswith("dir:"):
        path = spec[4:]
        if not path:
            raise FeedError("'dir:' needs a folder: dir:PATH")
        return FolderFeed(Path(path).expanduser(), name=spec)
    if spec == "archive" or spec.startswith("github:"):
        from hotpapers_tui.feeds.github import ARCHIVE_SPEC, GithubFeed, parse_github_spec
        from hotpapers_tui.fetch.client import open_fetcher

        folder = parse_github_spec(ARCHIVE_SPEC if spec == "archive" else spec)
        owns = fetcher is None
        if fetcher is None:
            fetcher = open_fetcher(config if config is not None else load_config(), offline=offline)
        return GithubFeed(folder, fetcher, name=spec, owns_fetcher=owns)
    if spec in ("live", "timeline"):
        # Imported here: the live sources pull in the arxiv package, which costs start-up time.
        from datetime import timedelta

        from hotpapers_tui.feeds.github import ARCHIVE_SPEC, GithubFeed, parse_github_spec
        from hotpapers_tui.feeds.timeline import TimelineFeed
        from hotpapers_tui.fetch.client import open_fetcher
        from hotpapers_tui.live.feed import open_live_feed

        config = config if config is not None else load_config()
        settings = _live_settings(config)
        owns = fetcher is None
        if fetcher is None:
            fetcher = open_fetcher(config, offline=offline)
        live = open_live_feed(
            fetcher,
            settings,
            owns_fetcher=owns and spec == "live",
            max_age=timedelta(minutes=config.freshness.live_minutes),
        )
        if spec == "live":
            return live
        # One fetcher for both halves (one cache, one arXiv pace); the timeline closes it.
        archive = GithubFeed(parse_github_spec(ARCHIVE_SPEC), fetcher, name="archive")
        return TimelineFeed(archive, live, fetcher=fetcher if owns else None)
    raise FeedError(f"unknown feed {spec!r}: expected {FEED_HELP}")


def _check_remote(spec: str, kind: str, config: Config) -> None:
    """The errors opening the remote feed ``spec`` would raise for its name or settings, raised now (FeedError)."""
    from hotpapers_tui.feeds.spec import ARCHIVE_SPEC, parse_github_spec

    if kind == "github":
        parse_github_spec(ARCHIVE_SPEC if spec == "archive" else spec)
    else:
        _live_settings(config)


def _live_settings(config: Config) -> LiveSettings:
    try:
        return live_settings(config)
    except ValueError as exc:
        raise FeedError(f"{config.path or 'config'}: [live]: {exc}") from None
