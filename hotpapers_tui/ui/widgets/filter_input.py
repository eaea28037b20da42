"""The filter line over the list: typed words and qualifiers narrow the day's papers."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class FilterInput(Input):
    """A one-line input that escape clears and closes, and down leaves for the list."""

    DEFAULT_CSS = """
    FilterInput {
        height: 1;
        border: none;
        padding: 0 1;
        display: none;
    }
    FilterInput.-shown { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Clear filter", show=False),
        Binding("down", "leave", "To the list", show=False),
    ]

    class Closed(Message):
        """The user cleared the filter with escape."""

    class Left(Message):
        """The user went back to the list, keeping the filter."""

    def action_close(self) -> None:
        self.value = ""
        self.post_message(self.Closed())

    def action_leave(self) -> None:
        self.post_message(self.Left())
