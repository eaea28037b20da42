"""The line above the list: which feed and day this is, and how fresh."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from hotpapers_tui.feeds import DayLoad
from hotpapers_tui.ui.safe_text import Part, content


def counted_at(load: DayLoad) -> datetime:
    """When the day's counts were taken: the latest paper count, else when the post was made."""
    times = [paper.counted_at for paper in load.day.papers]
    return max(times) if times else load.day.generated_at


def header_text(feed_name: str, load: DayLoad, position: int, total: int, extra: str = "") -> Content:
    """The header for a loaded day, the ``position``-th (1-based) of the feed's ``total`` days."""
    day = load.day
    when = day.date.strftime("%A %Y-%m-%d")
    if day.end_date is not None:
        when += f" to {day.end_date.strftime('%A %Y-%m-%d')}"
    count = len(day.papers)
    parts: list[Part] = [
        (feed_name, "bold $accent"),
        "  ",
        (when, "bold"),
        "  ",
        (f"day {position} of {total}  " if position else "", "$text-muted"),
        f"{count} paper{'s' if count != 1 else ''}",
        ("  counts of ", "$text-muted"),
        f"{counted_at(load):%Y-%m-%d %H:%M}",
        (f"  {extra}" if extra else "", "$text-muted"),
    ]
    if load.stale or load.note:
        note = load.note
        if load.stale and not note:
            since = f" from {load.fetched_at:%Y-%m-%d %H:%M}" if load.fetched_at else ""
            note = f"offline: showing data{since}"
        parts += ["\n", (note, "$warning")]
    return content(*parts)


class DayHeader(Static):
    """Feed, weekday and date, paper count, when counted, and where the day sits in the feed."""

    def show_loading(self, feed_name: str, what: str) -> None:
        """Say what is being loaded, before any day is shown."""
        self.update(content((feed_name, "bold $accent"), "  ", (what, "$text-muted")))

    def show_day(self, feed_name: str, load: DayLoad, position: int, total: int, extra: str = "") -> None:
        """Describe the shown day; ``extra`` adds the reading state (unread count, sort, filter)."""
        self.update(header_text(feed_name, load, position, total, extra))
