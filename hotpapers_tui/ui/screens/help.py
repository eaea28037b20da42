"""The help screen: every key, generated from the binding table the README also shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from hotpapers_tui.keymap import BINDINGS, WHERE_NAMES, keys_for
from hotpapers_tui.ui.safe_text import Part, content


def help_text(keymap: Mapping[str, str]) -> Content:
    """The key table as the help screen shows it, with the user's rebindings applied."""
    rows = [(keys_for(b, keymap), b.command + (f" ({WHERE_NAMES[b.where]})" if b.where else "")) for b in BINDINGS]
    rows.append(("ctrl+p", "Command palette: every action by name"))
    width = max(len(keys) for keys, _ in rows) + 2
    parts: list[Part] = [("Keys", "bold $accent"), "\n\n"]
    for keys, what in rows:
        parts += [(keys.ljust(width), "bold"), what, "\n"]
    parts += [
        "\n",
        ("The detail follows the highlighted paper; a click on a row highlights it, a click on", "$text-muted"),
        "\n",
        ("a link label (abs, pdf, post) opens it. tab moves between the list and the detail.", "$text-muted"),
        "\n",
        ("Press escape, q or ? to close this screen.", "$text-muted"),
    ]
    return content(*parts, keep_newlines=True)


class HelpScreen(ModalScreen[None]):
    """Lists every key of the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.keymap = dict(keymap)
        """The user's rebindings, by binding id."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(help_text(self.keymap))

    def action_close(self) -> None:
        self.dismiss(None)
