"""Feeds over local post files: a folder of posts (``dir:PATH``) and the shipped sample."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date
from importlib import resources
from pathlib import Path

from hotpapers_tui.feeds.base import DayLoad, FeedError, Progress
from hotpapers_tui.paths import shown
from hotpapers_tui.posts import PostError, day_from_filename, read_post

SAMPLE_NAME = "2021-06-22---Hot-Papers.md"


def sample_path() -> Path:
    """Where the sample post shipped inside the package lies."""
    return Path(str(resources.files("hotpapers_tui") / "data" / SAMPLE_NAME))


class FolderFeed:
    """The posts of one folder, known by their canonical file names.

    The folder's path may hold bytes that are not UTF-8 (they reach Python as
    ``surrogateescape`` characters): it is used as it is for the files, and every
    message shows it with ``\\xNN`` escapes, so that printing one never fails.
    """

    def __init__(self, folder: Path, name: str | None = None) -> None:
        self.folder = folder
        """The folder holding the posts."""
        self._name = name or f"dir:{folder}"
        self._files: dict[date, Path] | None = None

    @property
    def name(self) -> str:
        return self._name

    def files(self) -> dict[date, Path]:
        """The folder's post files by date, scanned once."""
        if self._files is None:
            if not self.folder.is_dir():
                raise FeedError(f"{shown(self.folder)}: not a folder of posts")
            found: dict[date, Path] = {}
            try:
                entries = list(self.folder.iterdir())
            except OSError as exc:
                raise FeedError(f"{shown(self.folder)}: cannot list the folder ({exc.strerror or exc})") from None
            for path in entries:
                dates = day_from_filename(path.name)
                if dates is not None and path.is_file():
                    found[dates[0]] = path
            self._files = dict(sorted(found.items()))
        return self._files

    async def days(self) -> Sequence[date]:
        return list(self.files())

    async def load(self, day: date, *, refresh: bool = False, progress: Progress | None = None) -> DayLoad:
        path = self.files().get(day)
        if path is None:
            raise FeedError(f"{shown(self.name)}: no post for {day.isoformat()}")
        try:
            loaded = await asyncio.to_thread(read_post, path)
        except PostError as exc:
            raise FeedError(shown(str(exc))) from exc
        return DayLoad(loaded)

    async def aclose(self) -> None:
        return None


def sample_feed() -> FolderFeed:
    """The feed of the sample post shipped inside the package."""
    return FolderFeed(sample_path().parent, name="sample")
