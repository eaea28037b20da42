"""What the list and the detail share: line-API scroll views sized without a screen layout."""

from __future__ import annotations

from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


def set_line_count(widget: ScrollView, lines: int) -> None:
    """Give a line-API widget ``lines`` lines of content, without a layout of the screen when it can.

    Setting ``virtual_size`` asks for a layout of the whole screen (it is a layout
    reactive), which made every day switch and cursor move cost a full repaint. When the
    scrollbar stays as it was (shown or hidden), only the widget and its scrollbar need
    drawing again: the size is set without the layout (``set_reactive``), the scrollbar
    is told the new length, and the scroll offset is clamped to it. All three are public
    Textual API; a layout would do the same, with the whole screen arranged again.
    """
    size = Size(widget.scrollable_content_region.width, lines)
    if widget.virtual_size == size:
        return
    height = widget.scrollable_content_region.height
    if not widget.is_mounted or (widget.virtual_size.height > height) != (lines > height):
        widget.virtual_size = size
        return
    widget.set_reactive(ScrollView.virtual_size, size)
    if widget.show_vertical_scrollbar:
        # What the compositor gives the scrollbar when it arranges the screen; a reactive, so it redraws.
        widget.vertical_scrollbar.window_virtual_size = lines
    # A shorter content can leave the offset past its end: scroll_to clamps it to the new maximum.
    widget.scroll_to(y=widget.scroll_y, animate=False, immediate=True)
    widget.refresh()


class LineView(ScrollView):
    """A scroll view drawn line by line, whose width and style are looked up once per frame.

    Each lookup walks the styles; ``render_line`` runs once per visible line, so a frame
    of 40 lines looked them up 80 times. :meth:`frame` gives them cached within
    ``render_lines`` (a frame), and looked up afresh outside one.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._frame: tuple[int, Style] | None = None

    def frame(self) -> tuple[int, Style]:
        """The content width and the widget's style, for the frame being drawn."""
        return self._frame or (self.scrollable_content_region.width, self.rich_style)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame = (self.scrollable_content_region.width, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None
