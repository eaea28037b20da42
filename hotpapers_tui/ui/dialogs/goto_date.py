"""The dialog that asks for a date to go to."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from hotpapers_tui.ui.safe_text import content


def parse_wanted_date(text: str) -> date | str:
    """The date typed, or the message saying why it is not one."""
    text = text.strip()
    if not text:
        return "Type a date as YYYY-MM-DD."
    try:
        return date.fromisoformat(text)
    except ValueError:
        return f"Not a date: {text!r}. Type it as YYYY-MM-DD, e.g. 2021-06-22."


class GotoDateDialog(ModalScreen[date | None]):
    """Asks for a date; dismisses with it, or with None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, initial: date | None, first: date | None, last: date | None) -> None:
        super().__init__()
        self.initial = initial
        """The date the field starts with (the day shown)."""
        self.span = (first, last)
        """The feed's oldest and newest days, shown as a hint."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(content(("Go to date", "bold")))
            first, last = self.span
            hint = f"The feed has days from {first} to {last}." if first and last else "YYYY-MM-DD"
            yield Static(content((hint, "$text-muted")))
            yield Input(
                value=self.initial.isoformat() if self.initial else "",
                placeholder="YYYY-MM-DD",
                id="date-input",
            )
            yield Static(id="date-error", classes="dialog-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        wanted = parse_wanted_date(event.value)
        if isinstance(wanted, str):
            self.query_one("#date-error", Static).update(content(wanted))
            return
        self.dismiss(wanted)

    def action_cancel(self) -> None:
        self.dismiss(None)
