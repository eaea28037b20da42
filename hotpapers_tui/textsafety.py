"""Making untrusted text safe to show: escape sequences, controls and deceptive invisible characters removed.

What ``plain`` does, and why:

- Terminal escape sequences (CSI, OSC including OSC 8 links and OSC 52 clipboard
  writes, DCS, SOS, PM, APC, in their 7-bit and 8-bit forms) are removed with their
  payload. A string sequence without its terminator (BEL or ST) ends at the next
  escape, control character or line end, so one stray ESC costs at most the rest of
  its line, never the rest of the text.
- Every remaining C0 and C1 control but newline is removed; tab becomes a space.
- Bidirectional embeddings, overrides, isolates and marks are removed: they make text
  display in a different order from the one it is stored in.
- Invisible characters that only serve to disguise text are removed: zero-width space,
  word joiner, BOM, invisible operators, interlinear annotation marks. The
  zero-width joiner and non-joiner are kept between two non-ASCII characters, where
  emoji sequences (👩‍💻), Indic conjuncts and Persian words need them, and removed
  anywhere else. Tag characters are kept only in the flag sequences that start with
  U+1F3F4 (🏴 subdivision flags).
- Line and paragraph separators (U+2028, U+2029) count as newlines.
- Lone surrogates (JSON can carry them as ``\\ud800``) become U+FFFD, so the text can
  always be encoded for the terminal.

What it leaves alone: Rich/Textual markup such as ``[bold]`` (the UI builds Text objects
from plain strings, so brackets show literally), CJK and emoji, combining marks, and long
words: a 10,000-character word is kept whole and the UI folds it at the widget's width.
"""

from __future__ import annotations

import re

# String sequences end at ST (ESC \ or 0x9c) or BEL; unterminated ones stop before the next control or line end.
_STRING_BODY = r"[^\x00-\x08\x0a-\x1f\x7f-\x9f]*"
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    rf"|\x1b[\]PX^_]{_STRING_BODY}(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]"  # other escapes: two bytes, or with intermediate bytes (ESC ( B)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    rf"|[\x90\x98\x9d\x9e\x9f]{_STRING_BODY}(?:\x07|\x1b\\|\x9c)?"  # 8-bit OSC, DCS, SOS, PM, APC
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides, isolates and marks.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Zero-width space, word joiner, invisible operators, BOM, interlinear annotations, Mongolian vowel separator.
_INVISIBLE = re.compile(r"[\u200b\u2060-\u2064\ufeff\ufff9-\ufffb\u180e]")
_JOINERS = re.compile(r"[\u200c\u200d]+")
_JOINABLE = re.compile(r"[^\x00-\x7f\s\u200c\u200d]")
_TAGS = re.compile(r"(\U0001f3f4?)[\U000e0000-\U000e007f]+")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
# Any character one of the steps below would touch; most text has none and is returned as is.
_SUSPECT = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069"
    r"\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)


def _joiners(match: re.Match[str]) -> str:
    """A run of ZWJ/ZWNJ, kept only with a non-ASCII, non-space character on both sides."""
    text, start, end = match.string, match.start(), match.end()
    if start > 0 and end < len(text) and _JOINABLE.match(text[start - 1]) and _JOINABLE.match(text[end]):
        return match[0]
    return ""


def plain(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with nothing left that a terminal would act on or that disguises what it says.

    Newlines become spaces unless ``keep_newlines``; tabs become spaces. See the module
    docstring for the full list.
    """
    if not _SUSPECT.search(text):
        return text
    text = _SURROGATES.sub("\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text.replace("\t", " "))
    text = _BIDI.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = _JOINERS.sub(_joiners, text)
    text = _TAGS.sub(lambda m: m[0] if m[1] else "", text)
    if not keep_newlines:
        text = text.replace("\n", " ")
    return text
