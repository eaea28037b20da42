"""The reader's key bindings as data: the one table the UI, the help screen and the README share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KeyBinding:
    """One command of the reader and the keys that run it."""

    id: str
    """Stable name, used by the config file's ``[keymap]`` table to rebind it."""
    keys: str
    """Default keys, comma separated, in Textual's key names (``left_square_bracket``)."""
    action: str
    """The action the UI runs (``next_day``; ``app.quit`` for the application's own)."""
    label: str
    """Short label for the footer."""
    command: str
    """What it does, as the help screen and the command palette name it."""
    show: bool = True
    """Whether the footer shows it."""
    where: str = ""
    """Which part of the reader holds the key when not the whole screen: ``list`` or ``detail``."""


BINDINGS: tuple[KeyBinding, ...] = (
    # Moving in the list; home/end act on the pane that has focus.
    KeyBinding("cursor_down", "down,j", "cursor_down", "Down", "Next paper", show=False, where="list"),
    KeyBinding("cursor_up", "up,k", "cursor_up", "Up", "Previous paper", show=False, where="list"),
    KeyBinding("first_paper", "home", "first_paper", "First", "First paper", show=False, where="list"),
    KeyBinding("last_paper", "end,G", "last_paper", "Last", "Last paper", show=False, where="list"),
    KeyBinding("page_down", "pagedown", "page_down", "Page down", "A page down", show=False, where="list"),
    KeyBinding("page_up", "pageup", "page_up", "Page up", "A page up", show=False, where="list"),
    KeyBinding("next_unread", "n", "next_unread", "Unread", "Next unread paper (or the next day's)"),
    # Reading the detail.
    KeyBinding("show_detail", "enter", "show_detail", "Detail", "Read the detail (opens it when narrow)"),
    KeyBinding(
        "hide_detail",
        "escape",
        "hide_detail",
        "Back",
        "Back: to the list, stop a load, unfilter",
        show=False,
    ),
    KeyBinding("detail_page_down", "space", "detail_page_down", "Page", "Page the detail down", show=False),
    KeyBinding("detail_page_up", "b,shift+space", "detail_page_up", "Page up", "Page the detail up", show=False),
    KeyBinding("focus_next", "tab", "app.focus_next", "Focus", "Focus the other pane", show=False),
    KeyBinding(
        "focus_previous", "shift+tab", "app.focus_previous", "Focus", "Focus the other pane, backwards", show=False
    ),
    KeyBinding("detail_down", "down,j", "scroll_down", "Down", "Scroll the detail down", show=False, where="detail"),
    KeyBinding("detail_up", "up,k", "scroll_up", "Up", "Scroll the detail up", show=False, where="detail"),
    KeyBinding("detail_top", "home", "scroll_home", "Top", "Top of the detail", show=False, where="detail"),
    KeyBinding("detail_bottom", "end,G", "scroll_end", "Bottom", "Bottom of the detail", show=False, where="detail"),
    # Days.
    KeyBinding("prev_day", "left_square_bracket", "prev_day", "Prev", "Previous day"),
    KeyBinding("next_day", "right_square_bracket", "next_day", "Next", "Next day"),
    KeyBinding("list_prev_day", "left", "screen.prev_day", "Prev day", "Previous day", show=False, where="list"),
    KeyBinding("list_next_day", "right", "screen.next_day", "Next day", "Next day", show=False, where="list"),
    KeyBinding("oldest_day", "left_curly_bracket", "oldest_day", "Oldest", "Go to the oldest day", show=False),
    KeyBinding("newest_day", "right_curly_bracket", "newest_day", "Newest", "Go to the newest day", show=False),
    KeyBinding("goto_date", "g", "goto_date", "Date", "Go to date", show=False),
    KeyBinding("refresh", "R", "refresh", "Refresh", "Refresh the day; retry a failed feed or day", show=False),
    # Links.
    KeyBinding("open_abs", "o", "open_abs", "Abs", "Open abstract page"),
    KeyBinding("open_pdf", "p", "open_pdf", "PDF", "Open PDF"),
    KeyBinding("open_tweet", "t", "open_tweet", "Post", "Open the top post", show=False),
    KeyBinding("copy_abs", "y", "copy_abs", "Copy", "Copy abstract URL", show=False),
    # Marks, filter, sort.
    KeyBinding("toggle_read", "r", "toggle_read", "Read", "Toggle the paper's read mark", show=False),
    KeyBinding("toggle_star", "asterisk", "toggle_star", "Star", "Toggle the paper's star", show=False),
    KeyBinding("mark_day_read", "A", "mark_day_read", "All read", "Mark the papers listed read (u undoes)", show=False),
    KeyBinding("undo", "u", "undo", "Undo", "Undo the last change of marks", show=False),
    KeyBinding("filter", "slash", "filter", "Filter", "Filter (words, cat:, author:, is:)"),
    KeyBinding("cycle_sort", "S", "cycle_sort", "Sort", "Cycle the sort order", show=False),
    KeyBinding("search_days", "F", "search_days", "Search", "Search every day of this feed"),
    # Saving.
    KeyBinding("save_post", "s", "save_post", "Save", "Save day as Markdown post"),
    KeyBinding("bibtex_day", "B", "bibtex_day", "BibTeX", "Export this day as BibTeX", show=False),
    KeyBinding("bibtex_starred", "ctrl+b", "bibtex_starred", "Starred", "Export starred papers as BibTeX", show=False),
    KeyBinding("help", "question_mark", "help", "Help", "Show keys (help)"),
    KeyBinding("quit", "q", "app.quit", "Quit", "Quit"),
)
"""Every binding of the reader, in the order the help screen lists them."""

_KEY_NAMES = {
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "question_mark": "?",
    "asterisk": "*",
    "slash": "/",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
}


WHERE_NAMES = {"list": "in the list", "detail": "in the detail"}
"""How the help and the README say where a key works."""


def display_key(key: str) -> str:
    """A Textual key name as a user types it (``left_square_bracket`` as ``[``)."""
    return _KEY_NAMES.get(key, key)


def keys_for(binding: KeyBinding, keymap: Mapping[str, str] | None = None) -> str:
    """The keys bound to ``binding``, after the user's ``keymap`` (id -> keys), for display."""
    keys = (keymap or {}).get(binding.id, binding.keys)
    return " / ".join(display_key(key.strip()) for key in keys.split(",") if key.strip())


def unknown_ids(keymap: Mapping[str, str]) -> list[str]:
    """The ids of a keymap that name no binding, for a clear configuration error."""
    known = {binding.id for binding in BINDINGS}
    return sorted(set(keymap) - known)


def markdown_table(keymap: Mapping[str, str] | None = None) -> str:
    """The bindings as the README's Markdown table."""
    lines = ["| key | id | what it does |", "|---|---|---|"]
    for binding in BINDINGS:
        keys = keys_for(binding, keymap).replace("|", "\\|")
        where = f" ({WHERE_NAMES[binding.where]})" if binding.where else ""
        lines.append(f"| `{keys}` | `{binding.id}` | {binding.command}{where} |")
    lines.append("| `ctrl+p` | | Command palette: every action above by name |")
    return "\n".join(lines) + "\n"
