"""The dialog that asks where to save a day as a post."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from hotpapers_tui.ui.safe_text import content


class SavePostDialog(ModalScreen[Path | None]):
    """Asks for the file to write; dismisses with the path, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default: Path, what: str, title: str | None = None) -> None:
        super().__init__()
        self.title_text = title or f"Save {what} as a Markdown post"
        """The dialog's heading."""
        self.default = default
        """The path offered: the export folder (or the current one) and the canonical name."""
        self.what = what
        """The day being saved, for the dialog's title."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(content((self.title_text, "bold")))
            yield Static(content(("File (a folder saves under the canonical name):", "$text-muted")))
            yield Input(value=str(self.default), id="save-path")
            yield Static(id="save-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def _submit(self) -> None:
        text = self.query_one("#save-path", Input).value.strip()
        if not text:
            self.query_one("#save-error", Static).update(content("Type a file name."))
            return
        path = Path(text).expanduser()
        if path.is_dir():
            path = path / self.default.name
        self.dismiss(path)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
