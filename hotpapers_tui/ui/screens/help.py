"""The help screen: every key, generated from the binding table the README also shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from hotpapers_tui.keymap import BINDINGS, WHERE_NAMES, keys_for
from hotpapers_tui.ui.safe_text import content


def help_rows(keymap: Mapping[str, str]) -> list[tuple[str, str]]:
    """(keys, what they do) for every binding, with the user's rebindings applied."""
    rows = [(keys_for(b, keymap), b.command + (f" ({WHERE_NAMES[b.where]})" if b.where else "")) for b in BINDINGS]
    rows.append(("ctrl+p", "Command palette: every action by name"))
    return rows


def key_cells(rows: list[tuple[str, str]]) -> list[Static]:
    """The key table as cells, key then description: a long description wraps inside its own column.

    One text per column with the keys padded used to wrap a long description back to the
    left edge, where it read as a key (``unfilter`` under ``escape``).
    """
    cells: list[Static] = []
    for keys, what in rows:
        cells.append(Static(content((keys, "bold")), classes="help-key"))
        cells.append(Static(content(what), classes="help-what"))
    return cells


HELP_NOTE = (
    "The detail follows the highlighted paper; a click on a row highlights it, a click on a link label "
    "(abs, pdf, post) opens it. tab moves between the list and the detail. Press escape, q or ? to close."
)


class HelpScreen(ModalScreen[None]):
    """Lists every key of the reader: in two columns where the screen is wide enough, else one that scrolls."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.keymap = dict(keymap)
        """The user's rebindings, by binding id."""

    def compose(self) -> ComposeResult:
        rows = help_rows(self.keymap)
        wide = self.app.size.width >= 110
        with VerticalScroll(classes="dialog -wide" if wide else "dialog", id="help"):
            yield Static(content(("Keys", "bold $accent")), classes="help-title")
            if wide:
                # Two tables side by side, row by row: a row that wraps keeps its neighbour level with it.
                half = (len(rows) + 1) // 2
                left, right = rows[:half], rows[half:] + [("", "")] * (2 * half - len(rows))
                with Grid(classes="help-table -wide"):
                    for pair in zip(left, right, strict=True):
                        yield from key_cells(list(pair))
            else:
                with Grid(classes="help-table"):
                    yield from key_cells(rows)
            yield Static(content((HELP_NOTE, "$text-muted")), classes="help-note")

    def action_close(self) -> None:
        self.dismiss(None)
