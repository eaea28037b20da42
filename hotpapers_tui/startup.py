"""Choosing the feed the reader opens on, falling back to the sample when the network is out of reach.

The reader lists the feed's days itself, after its first frame is on screen; these
functions say what to tell the user when that listing fails or comes from an old copy.
"""

from __future__ import annotations

from hotpapers_tui.config import Config
from hotpapers_tui.feeds import Feed, FeedError, open_feed
from hotpapers_tui.feeds.folder import sample_feed
from hotpapers_tui.fetch.api import Fetched, Fetcher, FetchError

FALLBACK = "showing the sample day instead"


def listing_failure(spec: str, exc: BaseException, *, offline: bool) -> tuple[str, bool]:
    """Why the feed ``spec`` could not list its days, as one line, and whether it is because the network is out."""
    cause = exc.__cause__ if isinstance(exc, FeedError) else exc
    if isinstance(cause, FetchError):
        if offline:
            return f"offline: --offline, and the '{spec}' feed is not in the cache yet", True
        if cause.offline:
            # The cause first: a status line at 80 columns cuts what comes last.
            return f"offline: {cause}; the '{spec}' feed cannot be reached and is not cached", True
        return f"the '{spec}' feed failed and is not cached ({cause})", False
    message = str(exc) or type(exc).__name__
    return (message if isinstance(exc, FeedError) else f"{spec}: {message}"), message.startswith("offline")


def listing_note(feed: Feed) -> str | None:
    """What to tell the user about a feed whose days were listed: offline on kept days, or an old copy of the list."""
    start_note = getattr(feed, "start_note", None)
    if isinstance(start_note, str) and start_note:
        return start_note
    listing = getattr(feed, "listing", None)
    if isinstance(listing, Fetched) and listing.stale:
        # Imported here: only remote feeds have listings, and their module pulls in the HTTP client.
        from hotpapers_tui.feeds.github import stale_note

        return f"{stale_note(listing)} (the list of days of '{feed.name}')"
    return None


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
        return sample_feed(), f"default_feed in the config: {exc}; {FALLBACK}"
    try:
        await feed.days()
    except FeedError as exc:
        await feed.aclose()
        why, _ = listing_failure(spec, exc, offline=offline)
        return sample_feed(), f"{why}; {FALLBACK}"
    return feed, listing_note(feed)
