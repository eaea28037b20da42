"""Feeds over a GitHub folder of posts: ``github:OWNER/REPO/PATH[@REF]`` and the published ``archive``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date
from typing import Any
from urllib.parse import quote

from hotpapers_tui.feeds.base import DayLoad, FeedError, Progress
from hotpapers_tui.feeds.spec import ARCHIVE_SPEC, GIT_REF, GITHUB_HELP, GithubFolder, parse_github_spec
from hotpapers_tui.fetch.api import Fetched, Fetcher, FetchError, Freshness
from hotpapers_tui.fetch.client import require_json
from hotpapers_tui.posts import PostError, day_from_filename, parse_post

__all__ = ["ARCHIVE_SPEC", "GITHUB_HELP", "GithubFeed", "GithubFolder", "parse_github_spec", "stale_note"]
"""The names of a folder spec are defined in :mod:`feeds.spec` and offered here too."""

_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
"""A git object id (SHA-1, or SHA-256 in repositories that use it)."""
SYMLINK = "120000"
"""A tree entry of this mode is a symbolic link: its raw URL serves the target's path, not a post."""


def _subtree(entries: list[Any], name: str) -> str | None:
    """The sha of the sub-folder ``name`` among a tree's entries, or None."""
    for entry in entries:
        if isinstance(entry, dict) and entry.get("path") == name and entry.get("type") == "tree":
            sha = entry.get("sha")
            return sha if isinstance(sha, str) and _SHA.fullmatch(sha) else None
    return None


def stale_note(fetched: Fetched) -> str:
    """What to tell the user about an answer served from an old cached copy."""
    if not fetched.stale:
        return ""
    when = fetched.fetched_at.astimezone(UTC)
    return f"offline: showing data from {when:%Y-%m-%d %H:%M} UTC"


class GithubFeed:
    """The posts of a GitHub folder: listed through the git trees API, read by raw file URLs.

    The contents API lists at most 1,000 entries of a folder, silently; a tree lists them
    all (GitHub cuts only past 100,000 entries or 7 MB, and says so with ``truncated``).
    The folder's tree is reached from the ref's root tree, one sub-tree per path part; a
    tree named by its sha never changes, so those answers are cached for good.
    """

    def __init__(self, folder: GithubFolder, fetcher: Fetcher, *, name: str, owns_fetcher: bool = False) -> None:
        self.folder = folder
        self.fetcher = fetcher
        """Every request goes through it."""
        self._name = name
        self._owns_fetcher = owns_fetcher
        self._files: dict[date, str] | None = None
        self.listing: Fetched | None = None
        """The ref's root tree as last fetched (its ``stale`` and ``fetched_at`` say how old the day list is)."""
        self.listing_note = ""
        """Set when GitHub cut the folder's listing (``truncated``): what was listed and what may be missing."""

    @property
    def name(self) -> str:
        return self._name

    @property
    def start_note(self) -> str | None:
        """A notice for the reader's start: the listing was cut (None when it was whole)."""
        return self.listing_note or None

    @property
    def _ref(self) -> str:
        # Raw URLs need a name; HEAD stands for the default branch there.
        return self.folder.ref or "HEAD"

    async def _api(self, path: str, freshness: Freshness, refresh: bool) -> tuple[Fetched, Any]:
        try:
            fetched = await self.fetcher.get(
                "github_api",
                path,
                headers={"Accept": "application/vnd.github+json"},
                freshness=freshness,
                refresh=refresh,
                validate=require_json,
            )
        except FetchError as exc:
            raise FeedError(f"{self.name}: cannot list the posts: {exc}") from exc
        return fetched, fetched.json()

    async def _default_branch(self, refresh: bool) -> str:
        f = self.folder
        _, repo = await self._api(f"/repos/{f.owner}/{f.repo}", Freshness.LISTING, refresh)
        branch = repo.get("default_branch") if isinstance(repo, dict) else None
        if not isinstance(branch, str) or not GIT_REF.fullmatch(branch) or ".." in branch:
            raise FeedError(f"{self.name}: GitHub did not say which branch is the default")
        return branch

    async def _tree(self, sha_or_ref: str, freshness: Freshness, refresh: bool) -> tuple[Fetched, list[Any], bool]:
        f = self.folder
        fetched, body = await self._api(
            f"/repos/{f.owner}/{f.repo}/git/trees/{quote(sha_or_ref, safe='')}", freshness, refresh
        )
        entries = body.get("tree") if isinstance(body, dict) else None
        if not isinstance(entries, list):
            raise FeedError(f"{self.name}: the listing is not a folder (expected a git tree)")
        return fetched, entries, body.get("truncated") is True

    async def _listing(self, refresh: bool) -> dict[date, str]:
        if self._files is not None and not refresh:
            return self._files
        f = self.folder
        ref = f.ref or await self._default_branch(refresh)
        # The ref moves: its root tree is a listing, refetched after a day. Trees below are
        # asked by sha, content-addressed: kept for good.
        root, entries, truncated = await self._tree(ref, Freshness.LISTING, refresh)
        where = "the repository's top folder"
        for part in [p for p in f.path.split("/") if p]:
            sha = _subtree(entries, part)
            if sha is None:
                if truncated:
                    raise FeedError(f"{self.name}: GitHub cut the listing of {where} before reaching {part!r}")
                raise FeedError(f"{self.name}: no folder {part!r} in {where} on {ref}")
            _, entries, truncated = await self._tree(sha, Freshness.FOREVER, False)
            where = part
        self.listing = root
        files: dict[date, str] = {}
        for entry in entries:
            if not isinstance(entry, dict) or entry.get("type") != "blob" or entry.get("mode") == SYMLINK:
                continue
            name = entry.get("path")
            if not isinstance(name, str) or "/" in name:
                continue
            dates = day_from_filename(name)
            if dates is not None:
                files[dates[0]] = name
        self.listing_note = (
            f"GitHub cut the listing of {f.path or where} (truncated): {len(files)} days listed, others may be missing"
            if truncated
            else ""
        )
        self._files = dict(sorted(files.items()))
        return self._files

    async def days(self) -> Sequence[date]:
        return list(await self._listing(refresh=False))

    async def fetch_post(self, day: date, *, refresh: bool = False) -> tuple[str, Fetched]:
        """The post file of ``day`` as fetched (its source name and the answer), not parsed yet.

        Enough for prefetching a day: the answer lands in the cache for a later ``load``.
        """
        name = (await self._listing(refresh=False)).get(day)
        if name is None:
            raise FeedError(f"{self.name}: no post for {day.isoformat()}")
        f = self.folder
        file_path = f"{f.path}/{name}" if f.path else name
        try:
            fetched = await self.fetcher.get(
                "github_raw",
                f"/{f.owner}/{f.repo}/{quote(self._ref)}/{quote(file_path)}",
                freshness=Freshness.FOREVER,
                refresh=refresh,
            )
        except FetchError as exc:
            raise FeedError(f"{self.name}: cannot read {name}: {exc}") from exc
        return f"{f.owner}/{f.repo}/{file_path}", fetched

    async def load(self, day: date, *, refresh: bool = False, progress: Progress | None = None) -> DayLoad:
        if progress is not None:
            progress(f"reading the post of {day.isoformat()}")
        source, fetched = await self.fetch_post(day, refresh=refresh)
        try:
            text = fetched.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = fetched.body.count(b"\n", 0, exc.start) + 1
            raise FeedError(f"{source}: line {line}: expected UTF-8 text, found undecodable bytes") from None
        try:
            loaded = parse_post(text, source=source)
        except PostError as exc:
            raise FeedError(str(exc)) from exc
        note = "; ".join(n for n in (stale_note(fetched), self.listing_note) if n)
        return DayLoad(loaded, stale=fetched.stale, fetched_at=fetched.fetched_at, note=note)

    async def aclose(self) -> None:
        if self._owns_fetcher:
            await self.fetcher.aclose()
