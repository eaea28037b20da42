"""The filter line over the list: typed words and qualifiers narrow the day's papers."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class FilterInput(Input):
    """An input that escape clears and closes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Clear filter", show=False)]

    class Closed(Message):
        """The user cleared the filter with escape."""

    def action_close(self) -> None:
        self.value = ""
        self.post_message(self.Closed())
