"""LaTeX in abstracts and titles shown as readable Unicode (``$\\gamma$`` as γ), via pylatexenc."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pylatexenc.latex2text import LatexNodes2Text

# Only math spans are converted: outside them an abstract is plain prose, where a bare
# '%' or '&' would be read by a LaTeX parser as a comment or an alignment and eat text.
# Inline math follows the rule Markdown readers use, so that prices ("$5 and $10") stay
# prose: no space just inside the dollars, and no digit right after the closing one.
_MATH = re.compile(
    r"\$\$(?P<display>[^$]+?)\$\$"
    r"|\$(?P<inline>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?!\d)"
    r"|\\\((?P<paren>.+?)\\\)"
)


@lru_cache(maxsize=1)
def _converter() -> LatexNodes2Text:
    # Imported on first math span: a screen of titles without math should not wait for it.
    from pylatexenc.latex2text import LatexNodes2Text

    # pylatexenc logs malformed macros to the root logger, which would print over a
    # full-screen reader; a span it cannot read is kept as written instead.
    logging.getLogger("pylatexenc").setLevel(logging.CRITICAL)
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


def _balanced(source: str) -> bool:
    depth = 0
    for char in source.replace("\\{", "").replace("\\}", ""):
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


def _convert_math(source: str) -> str | None:
    """One math span as Unicode, or None when the converter cannot make sense of it."""
    if not _balanced(source):
        return None
    # A '%' in math is still a comment to the parser; in an abstract it is always a percent sign.
    escaped = re.sub(r"(?<!\\)%", r"\\%", source)
    try:
        text = _converter().latex_to_text(escaped)
    except Exception:  # pylatexenc raises a variety of parse errors on malformed input
        return None
    if "%s" in text and "%s" not in source:
        return None  # a macro missing its arguments: pylatexenc leaves its format string
    text = " ".join(text.split())
    return text or None


@lru_cache(maxsize=4096)
def latex_to_unicode(text: str) -> str:
    """``text`` with its ``$...$``, ``$$...$$`` and ``\\(...\\)`` spans rendered as Unicode.

    Text outside math is returned unchanged, and a span the converter cannot read is kept
    as written, so nothing the author wrote is ever lost.
    """
    if "$" not in text and "\\(" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        source = match.group("display") or match.group("inline") or match.group("paren") or ""
        converted = _convert_math(source)
        return match.group(0) if converted is None else converted

    return _MATH.sub(replace, text)
