"""Choosing the feed the reader opens on, falling back to the sample when the network is out of reach."""

from __future__ import annotations

from hotpapers_tui.config import Config
from hotpapers_tui.feeds import Feed, FeedError, open_feed
from hotpapers_tui.feeds.folder import sample_feed
from hotpapers_tui.feeds.github import stale_note
from hotpapers_tui.fetch.api import Fetched, Fetcher, FetchError


async def open_start_feed(config: Config, *, offline: bool, fetcher: Fetcher | None = None) -> tuple[Feed, str | None]:
    """The configured default feed with its days listed, or the sample feed and a notice saying why.

    The returned feed has already listed its days once (remote feeds keep that listing),
    so the reader's first ``days()`` is immediate. When that list is an old cached copy
    (the network failed), the notice says from when. The caller closes the feed.
    """
    spec = config.default_feed
    try:
        feed = open_feed(spec, fetcher=fetcher, config=config, offline=offline)
    except FeedError as exc:
        return sample_feed(), f"default_feed in the config: {exc}; showing the sample day instead"
    try:
        await feed.days()
    except FeedError as exc:
        await feed.aclose()
        cause = exc.__cause__
        if isinstance(cause, FetchError):
            if offline:
                why = f"--offline, and the '{spec}' feed is not in the cache yet"
            elif cause.offline:
                why = f"the '{spec}' feed cannot be reached and is not cached ({cause})"
            else:
                why = f"the '{spec}' feed failed and is not cached ({cause})"
            prefix = "offline: " if offline or cause.offline else ""
            return sample_feed(), f"{prefix}{why}; showing the sample day instead"
        return sample_feed(), f"{exc}; showing the sample day instead"
    start_note = getattr(feed, "start_note", None)
    if isinstance(start_note, str) and start_note:
        return feed, start_note
    listing = getattr(feed, "listing", None)
    if isinstance(listing, Fetched) and listing.stale:
        return feed, f"{stale_note(listing)} (the list of days of '{spec}')"
    return feed, None
