"""Textual bindings built from the core binding table (hotpapers_tui.keymap)."""

from __future__ import annotations

from textual.binding import Binding

from hotpapers_tui.keymap import BINDINGS

# Keys that focused widgets (the list, the scrolling detail) would otherwise take first.
_PRIORITY = {"oldest_day", "newest_day"}


def bindings_for(where: str) -> list[Binding]:
    """The bindings that live on one part of the UI: ``""`` (the reader), ``list``, ``narrow``."""
    return [
        Binding(
            b.keys,
            # List bindings act on the reader screen, not on the list widget itself.
            f"screen.{b.action}" if where == "list" else b.action,
            b.label,
            show=b.show,
            id=b.id,
            tooltip=b.command,
            priority=b.id in _PRIORITY,
        )
        for b in BINDINGS
        if b.where == where
    ]
