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
from hotpapers_tui.model import Day


class LiveDayStore:
    """One JSON file per built day under a private folder; unreadable files count as missing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        """Where the days are kept (created mode 0700 on first write)."""

    def _path(self, day: date) -> Path:
        return self.folder / f"{day.isoformat()}.json"

    def get(self, day: date) -> tuple[Day, datetime] | None:
        """The stored day and when it was built, or None."""
        try:
            data: Any = json.loads(self._path(day).read_text(encoding="utf-8"))
            built_at = datetime.fromisoformat(data["built_at"])
            extra = data.get("extra") or {}
            stored = day_from_json(data["day"], for_post=False)  # keeps per-post counts
        except (OSError, ValueError, KeyError, TypeError, DayDataError):
            return None
        if not isinstance(extra, dict):
            return None
        return replace(stored, extra={str(k): str(v) for k, v in extra.items()}), built_at

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
