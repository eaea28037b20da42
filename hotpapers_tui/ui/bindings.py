"""Textual bindings built from the core binding table (hotpapers_tui.keymap)."""

from __future__ import annotations

from textual.binding import Binding

from hotpapers_tui.keymap import BINDINGS


def bindings_for(where: str) -> list[Binding]:
    """The bindings that live on one part of the UI: ``""`` (the reader screen), ``list`` or ``detail``.

    Each keeps its id, so the config's ``[keymap]`` rebinds it through ``App.set_keymap``.
    """
    return [
        Binding(b.keys, b.action, b.label, show=b.show, id=b.id, tooltip=b.command)
        for b in BINDINGS
        if b.where == where
    ]
