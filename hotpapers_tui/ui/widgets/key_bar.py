"""The bottom line: the main keys, from the same binding table as the help screen."""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.widgets import Static

from hotpapers_tui.keymap import BINDINGS, keys_for
from hotpapers_tui.ui.safe_text import Part, content


def key_bar_text(keymap: Mapping[str, str]) -> Content:
    """The footer's keys and labels, with the user's rebindings applied."""
    parts: list[Part] = []
    for binding in BINDINGS:
        if binding.show:
            parts += [(f" {keys_for(binding, keymap)} ", "bold $footer-key-foreground"), f"{binding.label} "]
    parts += [(" ^p ", "bold $footer-key-foreground"), "palette"]
    return content(*parts)


class KeyBar(Static):
    """A one-line footer drawn once: Textual's Footer rebuilds itself on every focus change,
    which made it the largest cost of starting the reader."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, keymap: Mapping[str, str], *, id: str | None = None) -> None:
        super().__init__(key_bar_text(keymap), id=id)
