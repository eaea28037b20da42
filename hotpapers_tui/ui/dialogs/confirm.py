"""A yes/no question, defaulting to no."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from hotpapers_tui.ui.safe_text import content


class ConfirmDialog(ModalScreen[bool]):
    """Asks a question; dismisses with True only for an explicit yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "No"),
        Binding("y", "answer(True)", "Yes"),
    ]

    def __init__(self, title: str, question: str, yes: str = "Replace") -> None:
        super().__init__()
        self.title_text = title
        """The dialog's heading."""
        self.question = question
        """The question, untrusted parts (paths) included: shown literally."""
        self.yes = yes
        """The label of the button that agrees."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(content((self.title_text, "bold $warning")))
            yield Static(content(self.question))
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="warning", id="yes")
                yield Button("Cancel (n)", variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
