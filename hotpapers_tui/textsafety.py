"""Making untrusted text safe to show: control characters and escape sequences removed."""

from __future__ import annotations

import re

# CSI/OSC/DCS and other ESC sequences, then any remaining C0/C1 controls but newline and tab.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, BEL or ST terminated
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c]*(?:\x07|\x9c)?"  # 8-bit OSC
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional overrides and isolates can make text read differently from what it is.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def plain(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with escape sequences, control and bidi-override characters removed.

    Newlines become spaces unless ``keep_newlines``; tabs become spaces.
    """
    text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text.replace("\t", " ").replace("\r", ""))
    text = _BIDI.sub("", text)
    if not keep_newlines:
        text = text.replace("\n", " ")
    return text
