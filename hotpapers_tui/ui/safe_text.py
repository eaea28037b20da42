"""Untrusted text turned into Textual content that is shown literally, never read as markup."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from hotpapers_tui.latex import latex_to_unicode
from hotpapers_tui.textsafety import plain

Part = str | tuple[str, str]
"""A piece of untrusted text, alone or with a style of ours (``("title", "bold $accent")``)."""


def content(*parts: Part, keep_newlines: bool = False) -> Content:
    """Content built from plain strings: brackets stay brackets, escape sequences are gone.

    A part made only of newlines is layout of ours and kept; inside untrusted parts,
    newlines become spaces unless ``keep_newlines``.
    """
    cleaned: list[str | tuple[str, str]] = []
    for part in parts:
        if isinstance(part, str) and part and not part.strip("\n"):
            cleaned.append(part)
        elif isinstance(part, tuple):
            cleaned.append((plain(part[0], keep_newlines=keep_newlines), part[1]))
        else:
            cleaned.append(plain(part, keep_newlines=keep_newlines))
    return Content.assemble(*cleaned)


def shown_title(title: str) -> str:
    """A title as every part of the reader shows it: LaTeX as Unicode, plain, one line, single spaces.

    The archive's titles carry runs of spaces and line breaks that would only be noise.
    """
    return " ".join(plain(latex_to_unicode(title)).split())


def cell(text: str, *, justify: str = "left", style: str = "") -> Text:
    """A DataTable cell: a Rich Text, because a ``str`` cell would be parsed as markup."""
    return Text(plain(text), style=style, justify=justify, no_wrap=True, overflow="ellipsis")  # type: ignore[arg-type]
