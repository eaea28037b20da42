"""The ranked list of a day's papers, drawn through Textual's line API.

Each row is rendered once per paper (per width and mark state) and kept, so switching
back to a day, sorting, filtering or moving the cursor re-renders nothing already drawn,
and a changed mark redraws one row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.message import Message
from textual.strip import Strip

from hotpapers_tui.dayloader import EMPTY_LIST, ListedPapers
from hotpapers_tui.library.query import MarkLookup
from hotpapers_tui.model import Paper
from hotpapers_tui.textsafety import plain
from hotpapers_tui.ui.bindings import bindings_for
from hotpapers_tui.ui.safe_text import shown_title
from hotpapers_tui.ui.widgets.line_view import LineView, set_line_count

ROW_CACHE = 4096
"""How many rendered rows are kept: about a hundred 40-paper days at two widths."""
SCORE_WIDTH = 5
UNREAD, STAR = "•", "★"


def compact_number(value: int) -> str:
    """A count in at most five cells: 12345, then 123k, 12.3M."""
    if -10_000 < value < 100_000:
        return str(value)
    for divisor, unit in ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k")):
        if abs(value) >= divisor:
            shown = value / divisor
            return f"{shown:.1f}{unit}" if abs(shown) < 10 else f"{shown:.0f}{unit}"
    return str(value)


class PaperList(LineView, can_focus=True):
    """A day's papers: unread and star markers, rank, score and the title in the rest of the width."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-list--cursor",
        "paper-list--marker",
        "paper-list--star",
        "paper-list--rank",
        "paper-list--score",
        "paper-list--read",
        "paper-list--empty",
    }
    DEFAULT_CSS = """
    PaperList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
    }
    PaperList > .paper-list--cursor { background: $block-cursor-blurred-background; }
    PaperList:focus > .paper-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    PaperList > .paper-list--marker { color: $accent; text-style: bold; }
    PaperList > .paper-list--star { color: $warning; }
    PaperList > .paper-list--rank { color: $text-muted; }
    PaperList > .paper-list--score { text-style: bold; }
    PaperList > .paper-list--read { color: $text-muted; }
    PaperList > .paper-list--empty { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("list")]

    @dataclass
    class PaperHighlighted(Message):
        """The highlighted paper changed; ``by_user`` when a key or click moved the cursor there."""

        paper_list: PaperList
        paper: Paper | None
        by_user: bool

        @property
        def control(self) -> PaperList:
            return self.paper_list

    @dataclass
    class PaperChosen(Message):
        """The user clicked the highlighted paper again: they want to read it."""

        paper_list: PaperList
        paper: Paper

        @property
        def control(self) -> PaperList:
            return self.paper_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.listed: ListedPapers = EMPTY_LIST
        """The papers shown, with their ranks in the day."""
        self.marks: MarkLookup | None = None
        """Read and star marks the markers show, or None when marks are unavailable."""
        self.day_key = ""
        """The day the papers belong to: part of each cached row's key."""
        self.empty_text = "Loading..."
        """What the list says when it has no rows."""
        self.cursor = 0
        """The highlighted row."""
        self._rows: LRUCache[tuple[object, ...], Strip] = LRUCache(ROW_CACHE)
        self._styles_for: tuple[bool, dict[str, Style]] | None = None

    # -- what the list shows -----------------------------------------------------

    @property
    def papers(self) -> tuple[Paper, ...]:
        """The papers shown, in row order."""
        return self.listed.papers

    @property
    def highlighted(self) -> Paper | None:
        """The paper under the cursor, or None for an empty list."""
        papers = self.listed.papers
        return papers[self.cursor] if 0 <= self.cursor < len(papers) else None

    def show(
        self,
        listed: ListedPapers,
        marks: MarkLookup | None,
        *,
        day_key: str,
        select: str | None = None,
        empty_text: str = "No papers on this day.",
    ) -> None:
        """Show ``listed``; the cursor goes to the paper with id ``select`` if listed, else to the top.

        Posts PaperHighlighted with ``by_user=False``: placing the cursor is not the user's act.
        """
        self.listed = listed
        self.marks = marks
        self.day_key = day_key
        self.empty_text = empty_text
        row = listed.index_of(select)
        self.cursor = row if row is not None else 0
        self._set_height(len(listed.papers))
        self._keep_cursor_visible(center=row is not None)
        self.refresh()
        self.post_message(self.PaperHighlighted(self, self.highlighted, False))

    def show_message(self, text: str) -> None:
        """Empty the list and say ``text`` in it (loading, an error)."""
        self.listed = EMPTY_LIST
        self.empty_text = text
        self.cursor = 0
        self._set_height(0)
        self.refresh()

    def set_marks(self, marks: MarkLookup | None) -> int:
        """Show new marks; only rows whose markers changed are drawn again. Returns how many."""
        old, self.marks = self.marks, marks
        changed = 0
        for row, paper in enumerate(self.listed.papers):
            if _state(old, paper) != _state(marks, paper):
                self.refresh_line(row)
                changed += 1
        return changed

    def _set_height(self, rows: int) -> None:
        set_line_count(self, rows)

    # -- the cursor --------------------------------------------------------------

    def move_to(self, row: int, *, by_user: bool = True) -> None:
        """Highlight ``row`` (clamped to the list) and say so."""
        papers = self.listed.papers
        if not papers:
            return
        row = max(0, min(row, len(papers) - 1))
        if row == self.cursor:
            return
        self.refresh_line(self.cursor)
        self.cursor = row
        self.refresh_line(row)
        self._keep_cursor_visible()
        self.post_message(self.PaperHighlighted(self, self.highlighted, by_user))

    def _keep_cursor_visible(self, *, center: bool = False) -> None:
        height = self.scrollable_content_region.height or self.size.height
        top = self.scroll_offset.y
        row = self.cursor
        if center and not top <= row < top + height:
            target = max(0, row - height // 2)
        elif row < top:
            target = row
        elif height and row >= top + height:
            target = row - height + 1
        else:
            return
        self.scroll_to(y=target, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first_paper(self) -> None:
        self.move_to(0)

    def action_last_paper(self) -> None:
        self.move_to(len(self.listed.papers) - 1)

    def _page(self) -> int:
        return max(1, (self.scrollable_content_region.height or 2) - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + self._page())

    def action_page_up(self) -> None:
        self.move_to(self.cursor - self._page())

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + self.scroll_offset.y
        if not 0 <= row < len(self.listed.papers):
            return
        if row == self.cursor:
            paper = self.highlighted
            if paper is not None:
                self.post_message(self.PaperChosen(self, paper))
        else:
            self.move_to(row)

    # -- drawing -----------------------------------------------------------------

    def on_show(self) -> None:
        # Hidden for a moment (a layout in progress, the narrow detail), the list lost its focus
        # and nothing took it: keys would go nowhere until the user clicked.
        if self.screen.focused is None:
            self.focus()

    def on_focus(self) -> None:
        self.refresh_line(self.cursor)

    def on_blur(self) -> None:
        self.refresh_line(self.cursor)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rows.clear()
        self._styles_for = None

    def render_line(self, y: int) -> Strip:
        row = y + self.scroll_offset.y
        width, blank = self.frame()
        papers = self.listed.papers
        if not papers:
            if row == 0 and width:
                return self._text_strip(self.empty_text, width, "paper-list--empty")
            return Strip.blank(width, blank)
        if row >= len(papers):
            return Strip.blank(width, blank)
        paper = papers[row]
        rank = self.listed.ranks[row]
        unread, starred = _state(self.marks, paper)
        cursor = row == self.cursor
        key = (self.day_key, paper.arxiv_id, rank, unread, starred, width, cursor and (self.has_focus or 2))
        strip = self._rows.get(key)
        if strip is None:
            strip = self._render_row(paper, rank, unread, starred, width, cursor)
            self._rows[key] = strip
        return strip

    def _render_row(self, paper: Paper, rank: int, unread: bool, starred: bool, width: int, cursor: bool) -> Strip:
        # Rich Text rendered once per row (as Textual's Log does): far cheaper than a Visual per row.
        styles = self._styles()
        rank_width = len(str(self.listed.total or 1))
        title = shown_title(paper.title)
        row = Text.assemble(
            (UNREAD if unread else " ", styles["marker"]),
            (STAR if starred else " ", styles["star"]),
            " ",
            (str(rank).rjust(rank_width), styles["rank"]),
            " ",
            (compact_number(paper.score).rjust(SCORE_WIDTH), styles["score"]),
            " ",
            (title, styles["read"] if not unread and self.marks is not None else ""),
            style=styles["cursor" if cursor else "base"],
            no_wrap=True,
            overflow="ellipsis",
            end="",
        )
        row.truncate(width, overflow="ellipsis", pad=True)
        return Strip(row.render(self.app.console), width)

    def _text_strip(self, text: str, width: int, component: str) -> Strip:
        line = Text(" " + plain(text), style=self._styles()["empty"], no_wrap=True, end="")
        line.truncate(width, overflow="ellipsis", pad=True)
        return Strip(line.render(self.app.console), width)

    def _styles(self) -> dict[str, Style]:
        # Kept until the next restyle (notify_style_update) and per focus, which changes the cursor's style.
        focused = self.has_focus
        if self._styles_for is not None and self._styles_for[0] == focused:
            return self._styles_for[1]
        get = self.get_component_rich_style
        base = self.rich_style
        styles = {
            "base": base,
            "cursor": base + get("paper-list--cursor"),
            "marker": get("paper-list--marker", partial=True),
            "star": get("paper-list--star", partial=True),
            "rank": get("paper-list--rank", partial=True),
            "score": get("paper-list--score", partial=True),
            "read": get("paper-list--read", partial=True),
            "empty": base + get("paper-list--empty", partial=True),
        }
        self._styles_for = (focused, styles)
        return styles


def _state(marks: MarkLookup | None, paper: Paper) -> tuple[bool, bool]:
    """(unread, starred) as the markers show them; without marks, neither."""
    if marks is None:
        return False, False
    return not marks.is_read(paper.arxiv_id), marks.is_starred(paper.arxiv_id)
