"""The dialog that asks where to save a day as a post (or an export), showing the full path it will write."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from hotpapers_tui.ui.safe_text import content


def target_path(text: str, default_name: str) -> Path | None:
    """The file a typed path stands for, made absolute: a folder gets ``default_name``; None for nothing typed."""
    text = text.strip()
    if not text:
        return None
    path = Path(text).expanduser()
    if path.is_dir():
        path = path / default_name
    return path.absolute()


class SavePostDialog(ModalScreen[Path | None]):
    """Asks for the file to write; dismisses with the absolute path, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default: Path, what: str, title: str | None = None) -> None:
        super().__init__()
        self.title_text = title or f"Save {what} as a Markdown post"
        """The dialog's heading."""
        self.default = default.expanduser().absolute()
        """The path offered: the export folder (``export_dir``, else the current folder) and the canonical name."""
        self.what = what
        """What is being saved, for the dialog's title."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(content((self.title_text, "bold")))
            yield Static(content(("File (a folder saves under the canonical name):", "$text-muted")))
            yield Input(value=str(self.default), id="save-path")
            yield Static(id="save-target", classes="dialog-note")
            yield Static(id="save-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._show_target(str(self.default))

    def _show_target(self, text: str) -> None:
        path = target_path(text, self.default.name)
        note = f"Writes {path}" if path is not None else "Type a file name."
        self.query_one("#save-target", Static).update(content((note, "$text-muted")))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show_target(event.value)

    def _submit(self) -> None:
        path = target_path(self.query_one("#save-path", Input).value, self.default.name)
        if path is None:
            self.query_one("#save-error", Static).update(content("Type a file name."))
            return
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
