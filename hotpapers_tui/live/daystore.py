"""Built live days kept on disk as JSON, so a day is shown again without rebuilding and offline."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hotpapers_tui.daydata import DayDataError, day_from_json, day_to_json
from hotpapers_tui.export import ExportError, write_text_atomic
from hotpapers_tui.feeds.base import FeedError
from hotpapers_tui.localfile import MAX_JSON_DAY_BYTES, FileRefused, read_regular_file
from hotpapers_tui.model import Day
from hotpapers_tui.paths import shown

MAX_KEPT_DAY_BYTES = MAX_JSON_DAY_BYTES
"""A kept day larger than this is refused (a built day of 300 papers is about 1 MB)."""


class LiveDayStore:
    """One JSON file per built day under a private folder.

    A file that is damaged (not JSON, not a day) counts as missing: the day is built again
    and the file replaced. One that is not read at all (a FIFO, a device, larger than
    ``MAX_KEPT_DAY_BYTES``) is an error naming it: it cannot be replaced either, and
    building the day again and again would only hide it.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        """Where the days are kept (created mode 0700 on first write)."""

    def _path(self, day: date) -> Path:
        return self.folder / f"{day.isoformat()}.json"

    def get(self, day: date) -> tuple[Day, datetime] | None:
        """The stored day and when it was built, or None; FeedError for a file that is not read (see the class)."""
        path = self._path(day)
        try:
            raw = read_regular_file(path, MAX_KEPT_DAY_BYTES)
        except FileRefused as exc:
            raise FeedError(f"{shown(path)}: the kept live day {exc}; remove it to build the day again") from None
        except OSError:
            return None
        try:
            data: Any = json.loads(raw.decode("utf-8"))
            built_at = datetime.fromisoformat(data["built_at"])
            extra = data.get("extra") or {}
            stored = day_from_json(data["day"], for_post=False)  # keeps per-post counts
        except (ValueError, KeyError, TypeError, RecursionError, DayDataError):
            return None
        if not isinstance(extra, dict):
            return None
        return replace(stored, extra={str(k): str(v) for k, v in extra.items()}), built_at

    def stamp(self, day: date) -> str:
        """The kept file's size and times ("" when none): it changes whenever the day is kept again."""
        try:
            info = os.stat(self._path(day))
        except OSError:
            return ""
        return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"

    def put(self, built: Day, built_at: datetime) -> None:
        """Keep ``built``; a failed write only means the next look-up rebuilds."""
        payload = {"built_at": built_at.isoformat(), "extra": built.extra, "day": day_to_json(built)}
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.folder, 0o700)
            write_text_atomic(self._path(built.date), json.dumps(payload, ensure_ascii=False), overwrite=True)
        except (OSError, ExportError):
            return

    def days(self) -> list[date]:
        """The stored days, oldest first."""
        found: list[date] = []
        try:
            names = [p.stem for p in self.folder.glob("*.json")]
        except OSError:
            return []
        for name in names:
            try:
                found.append(date.fromisoformat(name))
            except ValueError:
                continue
        return sorted(found)
