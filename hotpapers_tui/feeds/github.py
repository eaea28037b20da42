"""Feeds over a GitHub folder of posts: ``github:OWNER/REPO/PATH[@REF]`` and the published ``archive``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date
from urllib.parse import quote

from hotpapers_tui.feeds.base import DayLoad, FeedError, Progress
from hotpapers_tui.fetch.api import Fetched, Fetcher, FetchError, Freshness
from hotpapers_tui.fetch.client import require_json
from hotpapers_tui.posts import PostError, day_from_filename, parse_post

ARCHIVE_SPEC = "github:TatsuyaShirakawa/daily-arxiv-gatsby/content/posts@master"
"""The published Hot Papers archive."""

GITHUB_HELP = "github:OWNER/REPO/PATH[@REF] (a repository folder of posts; REF defaults to the default branch)"

_NAME_PART = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass(frozen=True, slots=True)
class GithubFolder:
    """Where a folder of posts lives on GitHub."""

    owner: str
    repo: str
    path: str
    ref: str | None = None


def parse_github_spec(spec: str) -> GithubFolder:
    """``github:OWNER/REPO/PATH[@REF]`` taken apart; raises FeedError saying what is expected."""
    body = spec.removeprefix("github:")
    where, at, ref = body.partition("@")
    parts = [p for p in where.strip("/").split("/") if p]
    if len(parts) < 2 or (at and not ref):
        raise FeedError(f"{spec!r}: expected {GITHUB_HELP}")
    owner, repo, folder = parts[0], parts[1], "/".join(parts[2:])
    for part in parts:
        if not _NAME_PART.match(part) or part in (".", ".."):
            raise FeedError(f"{spec!r}: {part!r} is not a GitHub name or folder; expected {GITHUB_HELP}")
    if ref and (".." in ref or not re.match(r"^[A-Za-z0-9_./-]+$", ref)):
        raise FeedError(f"{spec!r}: {ref!r} is not a branch, tag or commit")
    return GithubFolder(owner, repo, folder, ref or None)


def stale_note(fetched: Fetched) -> str:
    """What to tell the user about an answer served from an old cached copy."""
    if not fetched.stale:
        return ""
    when = fetched.fetched_at.astimezone(UTC)
    return f"offline: showing data from {when:%Y-%m-%d %H:%M} UTC"


class GithubFeed:
    """The posts of a GitHub folder: listed by the contents API, read by raw file URLs."""

    def __init__(self, folder: GithubFolder, fetcher: Fetcher, *, name: str, owns_fetcher: bool = False) -> None:
        self.folder = folder
        self.fetcher = fetcher
        """Every request goes through it."""
        self._name = name
        self._owns_fetcher = owns_fetcher
        self._files: dict[date, str] | None = None
        self.listing: Fetched | None = None
        """The last listing answer (its ``stale`` and ``fetched_at`` say how old the day list is)."""

    @property
    def name(self) -> str:
        return self._name

    @property
    def _ref(self) -> str:
        # The contents API takes the default branch without ?ref; raw URLs need a name, HEAD works there.
        return self.folder.ref or "HEAD"

    async def _listing(self, refresh: bool) -> dict[date, str]:
        if self._files is not None and not refresh:
            return self._files
        f = self.folder
        api_path = f"/repos/{f.owner}/{f.repo}/contents/{quote(f.path)}".rstrip("/")
        params = {"ref": f.ref} if f.ref else None
        try:
            fetched = await self.fetcher.get(
                "github_api",
                api_path,
                params=params,
                headers={"Accept": "application/vnd.github+json"},
                freshness=Freshness.LISTING,
                refresh=refresh,
                validate=require_json,
            )
        except FetchError as exc:
            raise FeedError(f"{self.name}: cannot list the posts: {exc}") from exc
        self.listing = fetched
        entries = fetched.json()
        if not isinstance(entries, list):
            raise FeedError(f"{self.name}: the listing is not a folder (expected a JSON list of files)")
        files: dict[date, str] = {}
        for entry in entries:
            if not isinstance(entry, dict) or entry.get("type") != "file":
                continue
            name = entry.get("name")
            if not isinstance(name, str) or "/" in name:
                continue
            dates = day_from_filename(name)
            if dates is not None:
                files[dates[0]] = name
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
        return DayLoad(loaded, stale=fetched.stale, fetched_at=fetched.fetched_at, note=stale_note(fetched))

    async def aclose(self) -> None:
        if self._owns_fetcher:
            await self.fetcher.aclose()
