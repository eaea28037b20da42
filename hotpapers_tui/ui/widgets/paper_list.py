"""The ranked list of a day's papers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from hotpapers_tui.latex import latex_to_unicode
from hotpapers_tui.library.query import MarkLookup
from hotpapers_tui.model import Paper
from hotpapers_tui.ui.bindings import bindings_for
from hotpapers_tui.ui.safe_text import cell

# (label, width); the title takes what the others leave.
_COLUMNS: tuple[tuple[str, int], ...] = (
    ("", 1),
    ("#", 3),
    ("score", 5),
    ("RT", 5),
    ("fav", 5),
    ("title", 0),
    ("category", 8),
    ("tw", 2),
)
_MIN_TITLE = 20
ROW_CACHE = 32
"""How many days' rows are kept ready."""


class PaperList(DataTable[Text]):
    """A day's papers in rank order; the highlighted row is the paper the reader acts on."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("list")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.papers: tuple[Paper, ...] = ()
        """The papers shown, in row order."""
        self.marks: MarkLookup | None = None
        """Read and star marks the markers show, or None when marks are unavailable."""
        self._ranks: list[int] | None = None
        self._title_width = 0
        # Keyed by the identity of a day's papers tuple (hashing 40 papers would cost more than
        # it saves); the tuple is kept with its rows so the id cannot be reused meanwhile.
        self._rows: dict[int, tuple[tuple[Paper, ...], list[list[Text]]]] = {}

    def _wanted_title_width(self) -> int:
        # Each column is padded by one cell on both sides.
        fixed = sum(width + 2 for _, width in _COLUMNS if width) + 2
        return max(_MIN_TITLE, self.size.width - fixed - 2)

    def _build_columns(self) -> None:
        self.clear(columns=True)
        self._title_width = self._wanted_title_width()
        for label, width in _COLUMNS:
            self.add_column(label, width=width or self._title_width, key=label or "mark")

    def show_papers(
        self,
        papers: Sequence[Paper],
        *,
        keep_cursor: bool = False,
        ranks: Sequence[int] | None = None,
        marks: MarkLookup | None = None,
    ) -> None:
        """Replace the rows with ``papers``; the cursor goes to the top unless ``keep_cursor``.

        ``ranks`` are the papers' ranks in the day when the list is filtered or sorted;
        ``marks`` flags unread (``•``) and starred (``★``) papers.
        """
        row = self.cursor_row if keep_cursor else 0
        self.papers = tuple(papers)
        self.marks = marks
        self._ranks = list(ranks) if ranks is not None else None
        if not self.columns or self._title_width != self._wanted_title_width():
            self._build_columns()
        else:
            self.clear()
        rows = self._rows_for(self.papers, ranks)
        self.add_rows([[self._marker(paper), *cells] for paper, cells in zip(self.papers, rows, strict=True)])
        if self.papers:
            self.move_cursor(row=min(row, len(self.papers) - 1), animate=False)

    def _marker(self, paper: Paper) -> Text:
        if self.marks is None:
            return cell("")
        if self.marks.is_starred(paper.arxiv_id):
            return cell("★", style="bold")
        return cell("" if self.marks.is_read(paper.arxiv_id) else "•", style="bold")

    def show_marks(self, marks: MarkLookup | None) -> None:
        """Redraw the read/star markers after a mark changed."""
        self.marks = marks
        for index, paper in enumerate(self.papers):
            self.update_cell_at(Coordinate(index, 0), self._marker(paper))

    def _rows_for(self, papers: tuple[Paper, ...], ranks: Sequence[int] | None = None) -> list[list[Text]]:
        # Days are revisited often ([ then ]); their cells are built once. Filtered or
        # sorted views are built each time: they change as the user types.
        known = self._rows.get(id(papers)) if ranks is None else None
        if known is not None:
            return known[1]
        numbers = list(ranks) if ranks is not None else list(range(1, len(papers) + 1))
        rows = [
            [
                cell(str(rank), justify="right"),
                cell(str(paper.score), justify="right", style="bold"),
                cell(str(paper.retweets), justify="right"),
                cell(str(paper.favorites), justify="right"),
                cell(latex_to_unicode(paper.title)),
                cell(paper.primary_category),
                cell(str(len(paper.tweets)), justify="right"),
            ]
            for rank, paper in zip(numbers, papers, strict=True)
        ]
        if ranks is not None:
            return rows
        if len(self._rows) >= ROW_CACHE:
            self._rows.pop(next(iter(self._rows)))
        self._rows[id(papers)] = (papers, rows)
        return rows

    @property
    def highlighted(self) -> Paper | None:
        """The paper under the cursor, or None for an empty day."""
        if not self.papers or not 0 <= self.cursor_row < len(self.papers):
            return None
        return self.papers[self.cursor_row]

    def on_resize(self) -> None:
        if self.papers and self._title_width != self._wanted_title_width():
            self.show_papers(self.papers, keep_cursor=True, ranks=self._ranks, marks=self.marks)
