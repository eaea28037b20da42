"""The line above the list (feed, day, counts, reading state) and the status line for what does not fit in it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.content import Content
from textual.widgets import Static

from hotpapers_tui.feeds.base import DayLoad
from hotpapers_tui.ui.safe_text import content


@dataclass(frozen=True, slots=True)
class Badge:
    """One piece of the header: its text, its style, and whether it may move to the status line."""

    text: str
    style: str = ""
    essential: bool = False
    """Essential pieces stay in the header even when cut; the others move to the status line when they do not fit."""


def short_name(feed_name: str, limit: int = 24) -> str:
    """A feed's name cut to ``limit`` cells for the header, keeping its kind and its end (``dir:…/content/posts``)."""
    if len(feed_name) <= limit:
        return feed_name
    kind, sep, rest = feed_name.partition(":")
    head = f"{kind}{sep}…" if sep else "…"
    return head + rest[-(limit - len(head)) :] if sep else head + feed_name[-(limit - 1) :]


def day_badges(feed_name: str, load: DayLoad, position: int, total: int) -> list[Badge]:
    """The header of a shown day: feed, weekday and date, place among the feed's days, paper count."""
    day = load.day
    when = day.date.strftime("%a %Y-%m-%d")
    if day.end_date is not None:
        when += f" to {day.end_date.strftime('%a %Y-%m-%d')}"
    count = len(day.papers)
    badges = [Badge(short_name(feed_name), "bold $accent", essential=True), Badge(when, "bold", essential=True)]
    if position:
        badges.append(Badge(f"day {position}/{total}", "$text-muted"))
    badges.append(Badge(f"{count} paper{'s' if count != 1 else ''}"))
    return badges


def fit(badges: Sequence[Badge], width: int, gap: int = 2) -> tuple[Content, list[Badge]]:
    """The badges that fit in one line of ``width`` cells, in order, and those left over (for the status line)."""
    kept: list[Badge] = []
    left: list[Badge] = []
    used = 1  # the padding cell on the left
    for badge in badges:
        need = len(badge.text) + (gap if kept else 0)
        if badge.essential or used + need <= width:
            kept.append(badge)
            used += need
        else:
            left.append(badge)
    parts: list[str | tuple[str, str]] = []
    for n, badge in enumerate(kept):
        if n:
            parts.append(" " * gap)
        parts.append((badge.text, badge.style))
    return content(*parts), left


class DayHeader(Static):
    """One line: feed, day, where it sits, papers and unread, and state badges (sort, filter, offline, loading)."""

    DEFAULT_CSS = """
    DayHeader {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.badges: list[Badge] = []
        """What the header shows, or would if it were wide enough."""
        self.overflow: list[Badge] = []
        """The badges that did not fit and went to the status line."""
        self._shown: Content | None = None

    def show(self, badges: Sequence[Badge]) -> list[Badge]:
        """Show as many of ``badges`` as fit; returns those that did not, for the status line."""
        self.badges = list(badges)
        return self._fit()

    def _fit(self) -> list[Badge]:
        width = self.size.width or self.app.size.width
        shown, self.overflow = fit(self.badges, width - 1)
        if shown != self._shown:
            self._shown = shown
            # One line always: the layout never needs to change for a new header.
            self.update(shown, layout=False)
        return self.overflow

    @property
    def text(self) -> str:
        """What the header shows, as plain text."""
        return str(self.content)


class StatusLine(Static):
    """A line under the header for what the header has no room for, and for notes that stay (offline, building)."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
        display: none;
    }
    StatusLine.-shown { display: block; }
    StatusLine.-warning { color: $text-warning; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._whole = ""
        self._text = ""

    def say(self, parts: Sequence[str], *, warning: bool = False, whole: Sequence[str] = ()) -> None:
        """Show ``parts`` joined on one line; nothing to say hides the line.

        ``whole`` is the same said in full (notes the line shortens or cuts), shown on hover.
        """
        text = "  ".join(p for p in parts if p)
        self.set_class(bool(text), "-shown")
        self.set_class(warning, "-warning")
        if text != self._text:
            # Drawn again only when it says something new (every mark and tick would redraw it otherwise).
            self._text = text
            self.update(content(text), layout=False)
        full = "\n".join(p for p in (whole or parts) if p)
        if full != self._whole:
            self._whole = full
            self.tooltip = content(full, keep_newlines=True) if full else None

    @property
    def text(self) -> str:
        """What the line says, as plain text."""
        return str(self.content) if self.has_class("-shown") else ""
