"""Every terminal-level attack tried against ``plain`` and how it is handled (summarised in the README)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from hotpapers_tui.textsafety import plain

ESC = "\x1b"
ST = ESC + "\\"
BEL = "\x07"

# (attack, untrusted input, what plain() must return)
ATTACKS: list[tuple[str, str, str]] = [
    ("ANSI colour (CSI SGR)", f"{ESC}[31mred{ESC}[0m text", "red text"),
    ("CSI cursor move / clear screen", f"a{ESC}[2J{ESC}[H{ESC}[10;10fb", "ab"),
    ("CSI with private parameters", f"a{ESC}[?1049hb{ESC}[?25l", "ab"),
    ("unterminated CSI at the end", f"title{ESC}[", "title"),
    ("OSC 52 clipboard write, BEL-terminated", f"x{ESC}]52;c;cm0gLXJmIH4={BEL}y", "xy"),
    ("OSC 52 clipboard write, ST-terminated", f"x{ESC}]52;c;cm0gLXJmIH4={ST}y", "xy"),
    ("OSC 52 unterminated: swallows only to the line end", f"x{ESC}]52;c;cm0g\nnext", "x next"),
    ("OSC 8 hyperlink hiding its target", f"{ESC}]8;;https://evil.example{ST}arxiv{ESC}]8;;{ST}", "arxiv"),
    ("OSC 8 hyperlink, BEL-terminated", f"{ESC}]8;;file:///etc/passwd{BEL}paper{ESC}]8;;{BEL}", "paper"),
    ("OSC 0 window title change", f"{ESC}]0;pwned{BEL}title", "title"),
    ("OSC cut short by another escape", f"a{ESC}]0;half{ESC}[1mb", "ab"),
    ("DCS (device control string)", f"a{ESC}Pq#0;2;0;0;0{ST}b", "ab"),
    ("APC", f"a{ESC}_Gf=100;payload{ST}b", "ab"),
    ("PM", f"a{ESC}^privacy{ST}b", "ab"),
    ("SOS", f"a{ESC}Xstring{ST}b", "ab"),
    ("DCS unterminated", f"a{ESC}Pq#0;2", "a"),
    ("two-byte escapes (RIS reset, charset switch)", f"a{ESC}cb{ESC}(0c{ESC}7d", "abcd"),
    ("bare ESC", f"a{ESC}", "a"),
    ("8-bit CSI", "a\x9b31mb", "ab"),
    ("8-bit OSC 52", "a\x9d52;c;cm0=\x9cb", "ab"),
    ("8-bit DCS", "a\x90payload\x9cb", "ab"),
    ("8-bit APC unterminated", "a\x9fpayload", "a"),
    ("other C1 controls (NEL, IND)", "a\x85b\x84c", "abc"),
    ("C0 controls: BEL, backspace, DEL, NUL", "a\x07b\x08c\x7fd\x00e", "abcde"),
    ("carriage return overwriting the line", "safe\rEVIL", "safeEVIL"),
    ("CRLF line end", "one\r\ntwo", "one two"),
    ("tab", "a\tb", "a b"),
    ("newline (one-line fields)", "a\nb", "a b"),
    ("line and paragraph separators", "a\u2028b\u2029c", "a b c"),
    ("bidi override RLO (Trojan Source)", "abc\u202edcba\u202c", "abcdcba"),
    ("bidi embeddings LRE/RLE/PDF", "\u202aa\u202bb\u202c", "ab"),
    ("bidi isolates LRI/RLI/FSI/PDI", "\u2066a\u2067b\u2068c\u2069", "abc"),
    ("bidi marks LRM/RLM/ALM", "a\u200eb\u200fc\u061cd", "abcd"),
    ("zero-width space splitting a word", "ad\u200bmin", "admin"),
    ("word joiner and invisible operators", "a\u2060b\u2062c", "abc"),
    ("BOM inside text", "\ufeffTitle", "Title"),
    ("interlinear annotation", "a\ufff9b\ufffac\ufffbd", "abcd"),
    ("ZWJ between ASCII letters", "ad\u200dmin", "admin"),
    ("ZWNJ between ASCII letters", "ad\u200cmin", "admin"),
    ("ZWJ at the start or end", "\u200dx\u200d", "x"),
    ("tag characters smuggling hidden ASCII", "hi\U000e0069\U000e0067\U000e006e", "hi"),
    ("lone surrogate from JSON", "a\ud800b", "a\ufffdb"),
]

# Text that must come through unchanged.
KEPT: list[tuple[str, str]] = [
    ("Rich/Textual markup (the UI shows it literally)", "[bold red]Re[/] [WIP] [v2] [link=https://x]"),
    ("CJK", "大規模言語モデルの評価 한국어"),
    ("wide emoji", "🔥🚀 results"),
    ("ZWJ emoji sequence", "👩\u200d💻 and 👨\u200d👩\u200d👧"),
    ("emoji with skin tone and variation selector", "👍🏽 ❤\ufe0f"),
    ("ZWNJ in Persian", "می\u200cخواهم"),
    ("ZWJ in a Devanagari conjunct", "क्\u200dष"),
    ("subdivision flag (tag characters after 🏴)", "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"),
    ("combining accents", "e\u0301 n\u0303"),
    ("LaTeX and symbols", "$\\mathcal{O}(n^2)$ < 5 & > 3"),
]


@pytest.mark.parametrize(("attack", "text", "expected"), ATTACKS, ids=[a for a, _, _ in ATTACKS])
def test_attack_is_neutralised(attack: str, text: str, expected: str) -> None:
    assert plain(text) == expected


@pytest.mark.parametrize(("what", "text"), KEPT, ids=[w for w, _ in KEPT])
def test_legitimate_text_is_kept(what: str, text: str) -> None:
    assert plain(text) == text


def test_keep_newlines() -> None:
    assert plain("a\r\nb\u2028c\x1b[1m", keep_newlines=True) == "a\nb\nc"


def test_ten_thousand_character_word_is_kept_whole_and_folds() -> None:
    word = "x" * 10_000
    assert plain(f"start {word} end") == f"start {word} end"
    # Wrapping is the UI's job: a Rich Text folds an over-long word at the width, losing nothing.
    console = Console(width=40, file=io.StringIO())
    lines = Text(word).wrap(console, 40)
    assert all(line.cell_len <= 40 for line in lines)
    assert "".join(line.plain for line in lines) == word


def test_wide_characters_fold_by_cells() -> None:
    text = plain("漢字" * 2000 + "🔥" * 100)
    console = Console(width=21, file=io.StringIO())
    lines = Text(text).wrap(console, 21)
    assert all(line.cell_len <= 21 for line in lines)
    assert "".join(line.plain for line in lines) == text


SAFE_TO_SHOW = st.text(st.characters(codec="utf-8"), max_size=200)
NASTY = st.lists(
    st.sampled_from([ESC, "[", "]", "P", "\\", BEL, "\x9b", "\x9c", "\x9d", "\u202e", "\u200d", "\u200b", "\n", "a"])
    | st.text(max_size=5),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(SAFE_TO_SHOW, NASTY))
def test_output_never_carries_anything_a_terminal_acts_on(text: str) -> None:
    out = plain(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in out)
    assert not any(c in out for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u200b")
    out.encode("utf-8")
    assert plain(out) == out


@settings(max_examples=300, deadline=None)
@given(st.one_of(SAFE_TO_SHOW, NASTY))
def test_quick_path_agrees_with_the_full_cleaning(text: str) -> None:
    # A leading NUL forces every step to run; it is removed without touching its neighbours.
    assert plain("\x00" + text) == plain(text)
