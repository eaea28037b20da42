"""The dialog that searches every day seen in this feed and jumps to a paper."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from hotpapers_tui.latex import latex_to_unicode
from hotpapers_tui.library.searchindex import Hit
from hotpapers_tui.textsafety import plain
from hotpapers_tui.ui.safe_text import content

Search = Callable[[str], list[Hit]]
"""Runs a query over the feed's indexed days."""


class SearchDaysDialog(ModalScreen[Hit | None]):
    """Type a query, pick a result; dismisses with the hit, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, search: Search, days_indexed: int) -> None:
        super().__init__()
        self.search = search
        """The index's search, bound to this feed."""
        self.days_indexed = days_indexed
        """How many days the index holds, for the hint."""
        self.hits: list[Hit] = []
        """The results listed, in order."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog search-dialog"):
            yield Label(content(("Search all days", "bold")))
            hint = f"{self.days_indexed} days seen in this feed. Words, cat:cs.LG, author:name, is:starred."
            yield Static(content((hint, "$text-muted")))
            yield Input(placeholder="search", id="search-input")
            yield OptionList(id="search-results")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.hits = self.search(event.value)
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(
            Option(
                content(
                    (f"{hit.date.isoformat()}  #{hit.rank:<3} ", "$text-muted"),
                    plain(latex_to_unicode(hit.title)),
                )
            )
            for hit in self.hits
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.hits:
            results = self.query_one(OptionList)
            results.highlighted = 0
            results.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.hits[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
