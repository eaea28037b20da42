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
    """Where the key works when not everywhere (``list``, ``narrow``)."""


BINDINGS: tuple[KeyBinding, ...] = (
    KeyBinding("prev_day", "left_square_bracket", "prev_day", "Prev", "Previous day"),
    KeyBinding("next_day", "right_square_bracket", "next_day", "Next", "Next day"),
    KeyBinding("list_prev_day", "left", "prev_day", "Prev day", "Previous day", show=False, where="list"),
    KeyBinding("list_next_day", "right", "next_day", "Next day", "Next day", show=False, where="list"),
    KeyBinding("goto_date", "g", "goto_date", "Date", "Go to date"),
    KeyBinding("oldest_day", "home", "oldest_day", "Oldest", "Go to the oldest day", show=False),
    KeyBinding("newest_day", "end", "newest_day", "Newest", "Go to the newest day", show=False),
    KeyBinding("refresh", "R", "refresh", "Refresh", "Refresh this day", show=False),
    KeyBinding("open_abs", "o", "open_abs", "Abs", "Open abstract page"),
    KeyBinding("open_pdf", "p", "open_pdf", "PDF", "Open PDF"),
    KeyBinding("open_tweet", "t", "open_tweet", "Tweet", "Open top tweet", show=False),
    KeyBinding("copy_abs", "y", "copy_abs", "Copy", "Copy abstract URL", show=False),
    KeyBinding("save_post", "s", "save_post", "Save", "Save day as Markdown post"),
    KeyBinding("show_detail", "enter", "show_detail", "Detail", "Show the paper's detail", show=False, where="narrow"),
    KeyBinding("hide_detail", "escape", "hide_detail", "List", "Back to the list", show=False, where="narrow"),
    KeyBinding("toggle_read", "r", "toggle_read", "Read", "Toggle the paper's read mark", show=False),
    KeyBinding("toggle_star", "asterisk", "toggle_star", "Star", "Toggle the paper's star", show=False),
    KeyBinding("filter", "slash", "filter", "Filter", "Filter the list (cat: author: is:unread)", show=False),
    KeyBinding(
        "cycle_sort",
        "S",
        "cycle_sort",
        "Sort",
        "Cycle the sort order",
        show=False,
    ),
    KeyBinding("search_days", "F", "search_days", "Search", "Search all days seen in this feed", show=False),
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
}


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
        where = f" ({'in the list' if binding.where == 'list' else 'narrow screens'})" if binding.where else ""
        lines.append(f"| `{keys}` | `{binding.id}` | {binding.command}{where} |")
    lines.append("| `ctrl+p` | | Command palette: every action above by name |")
    return "\n".join(lines) + "\n"
