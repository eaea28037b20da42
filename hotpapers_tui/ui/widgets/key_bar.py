"""The bottom line: the main keys, from the same binding table as the help screen; a click on one runs it."""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.style import Style
from textual.widgets import Static

from hotpapers_tui.keymap import BINDINGS, KeyBinding, keys_for


def _action(binding: KeyBinding) -> str:
    # Actions of the table are the screen's unless they name their namespace (app.quit).
    return binding.action if "." in binding.action else f"screen.{binding.action}"


def key_bar_text(keymap: Mapping[str, str], width: int = 0) -> Content:
    """The footer's keys and labels, with the user's rebindings applied; cut to ``width`` keeping help last."""
    shown = [b for b in BINDINGS if b.show]
    items: list[tuple[KeyBinding, Content]] = []
    for binding in shown:
        keys = keys_for(binding, keymap).split(" / ")[0]
        item = Content.assemble((f" {keys} ", "bold $footer-key-foreground"), f"{binding.label} ")
        items.append((binding, item.stylize(Style.from_meta({"@click": _action(binding)}))))
    if width:
        always = {"help", "quit"}
        room = width - sum(item.cell_length for binding, item in items if binding.id in always)
        keep = set(always)
        for binding, item in items:
            if binding.id in always:
                continue
            if item.cell_length > room:
                break  # keep the table's order: once one does not fit, the rest go too
            keep.add(binding.id)
            room -= item.cell_length
        items = [(binding, item) for binding, item in items if binding.id in keep]
    return Content.assemble(*(item for _, item in items))


class KeyBar(Static):
    """A one-line footer of the main keys; clicking a key runs its action (as Textual's Footer does).

    Drawn once per width: Textual's Footer rebuilds itself on every focus change, which
    made it the largest cost of starting the reader.
    """

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        link-style: none;
        link-style-hover: reverse;
    }
    """

    def __init__(self, keymap: Mapping[str, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keymap = dict(keymap)
        """The user's rebindings, by binding id."""
        self._width = 0

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._width = self.size.width
            self.update(key_bar_text(self.keymap, self._width), layout=False)

    @property
    def text(self) -> str:
        """The keys shown, as plain text."""
        return str(self.content)
