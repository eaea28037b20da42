"""The dialog that searches every day of the feed and jumps to a paper.

Each query runs in a thread worker, and a newer keystroke cancels the one before, so
typing never waits for SQLite. While days are still being indexed the dialog says how
far that has got and runs the query again when more days arrive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from hotpapers_tui.library.searchindex import Hit
from hotpapers_tui.ui.safe_text import content, shown_title

Search = Callable[[str], list[Hit]]
"""Runs a query over the feed's indexed days (blocking: called from a worker thread)."""
HINT = "Words, cat:cs.LG, author:name, is:starred; down or enter to the results."


def matches_text(count: int, limit: int) -> str:
    if count == 0:
        return "No match."
    if count >= limit:
        return f"The first {count} matches, newest day first."
    return f"{count} match{'es' if count != 1 else ''}, newest day first."


class SearchDaysDialog(ModalScreen[Hit | None]):
    """Type a query, pick a result; dismisses with the hit, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "to_results", "Results", show=False),
    ]

    def __init__(self, search: Search, coverage: str, *, limit: int = 200) -> None:
        super().__init__()
        self.search = search
        """The index's search, bound to this feed."""
        self.coverage = coverage
        """Which days the search covers (and how far indexing has got)."""
        self.limit = limit
        """At most this many results are listed."""
        self.hits: list[Hit] = []
        """The results listed, in order."""
        self.searched = ""
        """The query the listed results answer."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog search-dialog"):
            yield Label(content(("Search every day", "bold")))
            yield Static(content((self.coverage, "$text-muted")), id="search-coverage")
            yield Input(placeholder="search", id="search-input")
            yield Static(content((HINT, "$text-muted")), id="search-status")
            yield OptionList(id="search-results")

    def set_coverage(self, text: str, *, again: bool = False) -> None:
        """Say which days are covered now; ``again`` runs the query once more over the new days."""
        self.coverage = text
        self.query_one("#search-coverage", Static).update(content((text, "$text-muted")))
        if again:
            value = self.query_one("#search-input", Input).value
            if value.strip():
                self.run_query(value)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if not event.value.strip():
            self.workers.cancel_group(self, "query")
            self._show(event.value, [])
            return
        self.query_one("#search-status", Static).update(content(("Searching...", "$text-muted")))
        self.run_query(event.value)

    @work(thread=True, exclusive=True, group="query", exit_on_error=False)
    def run_query(self, text: str) -> None:
        """Search in a thread; a newer query cancels this one and its answer is dropped."""
        hits = self.search(text)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, text, hits)

    def _show(self, text: str, hits: list[Hit]) -> None:
        if text != self.query_one("#search-input", Input).value:
            return  # an answer to a query already replaced
        self.searched, self.hits = text, hits
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(
            Option(content((f"{hit.date.isoformat()}  #{hit.rank:<3} ", "$text-muted"), shown_title(hit.title)))
            for hit in hits
        )
        status = matches_text(len(hits), self.limit) if text.strip() else HINT
        self.query_one("#search-status", Static).update(content((status, "$text-muted")))

    def action_to_results(self) -> None:
        results = self.query_one(OptionList)
        if self.hits:
            results.highlighted = 0 if results.highlighted is None else results.highlighted
            results.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.hits:
            self.action_to_results()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.hits[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
