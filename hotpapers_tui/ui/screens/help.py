"""The help screen: every key, generated from the binding table the README also shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from hotpapers_tui.keymap import BINDINGS, WHERE_NAMES, keys_for
from hotpapers_tui.ui.safe_text import Part, content


def help_rows(keymap: Mapping[str, str]) -> list[tuple[str, str]]:
    """(keys, what they do) for every binding, with the user's rebindings applied."""
    rows = [(keys_for(b, keymap), b.command + (f" ({WHERE_NAMES[b.where]})" if b.where else "")) for b in BINDINGS]
    rows.append(("ctrl+p", "Command palette: every action by name"))
    return rows


def key_column(rows: list[tuple[str, str]], width: int) -> Content:
    """Rows of the key table, keys padded to ``width``."""
    parts: list[Part] = []
    for keys, what in rows:
        parts += [(keys.ljust(width), "bold"), what, "\n"]
    return content(*parts, keep_newlines=True)


HELP_NOTE = (
    "The detail follows the highlighted paper; a click on a row highlights it, a click on a link label "
    "(abs, pdf, post) opens it. tab moves between the list and the detail. Press escape, q or ? to close."
)


def help_text(keymap: Mapping[str, str]) -> Content:
    """The whole key table in one column, as narrow screens show it."""
    rows = help_rows(keymap)
    return key_column(rows, max(len(keys) for keys, _ in rows) + 2)


class HelpScreen(ModalScreen[None]):
    """Lists every key of the reader: in two columns where the screen is wide enough, else one that scrolls."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.keymap = dict(keymap)
        """The user's rebindings, by binding id."""

    def compose(self) -> ComposeResult:
        rows = help_rows(self.keymap)
        width = max(len(keys) for keys, _ in rows) + 2
        wide = self.app.size.width >= 110
        with VerticalScroll(classes="dialog -wide" if wide else "dialog", id="help"):
            yield Static(content(("Keys", "bold $accent")), classes="help-title")
            if wide:
                half = (len(rows) + 1) // 2
                with Horizontal(classes="help-columns"):
                    yield Static(key_column(rows[:half], width), classes="help-column")
                    yield Static(key_column(rows[half:], width), classes="help-column")
            else:
                yield Static(key_column(rows, width), classes="help-column")
            yield Static(content((HELP_NOTE, "$text-muted")), classes="help-note")

    def action_close(self) -> None:
        self.dismiss(None)
