"""BibTeX entries for papers, in the arXiv eprint style, with LaTeX special characters escaped.

Titles and authors are untrusted text, so every LaTeX special character in them is
escaped (``& % $ # _ { } ~ ^ \\``; braces as ``\\textbraceleft{}``, since BibTeX
counts even escaped braces when finding the end of a field), with one exception: inline math in a title. Many
arXiv titles carry math such as ``$O(n \\log n)$`` or ``$\\ell_1$``, and escaping it
would print the markup instead of the formula. A ``$...$`` span is kept as math when
it looks like math by Pandoc's rule (no space just inside either ``$``, no digit just
after the closing one, so "costs $5 and $10" is text) and its braces balance (so it
cannot end the field early); inside it only ``& % #`` are escaped. A ``$`` without a partner, or a span that fails those
checks, is escaped like any other text. Non-ASCII letters are kept as UTF-8, which
biber and modern BibTeX read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Protocol

from hotpapers_tui.textsafety import plain

_TEXT_ESCAPES = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
}
_MATH_ESCAPES = {"&": r"\&", "%": r"\%", "#": r"\#"}
# Pandoc's rule for inline math: "$" then no space, content, no space then "$" not followed by a digit
# ("costs $5 and $10" stays text).
_MATH = re.compile(r"(?<!\\)\$(?=\S)([^$]+?)(?<=\S)(?<!\\)\$(?!\d)")
# The next four are used with fullmatch: "$" would also accept a value ending in a newline.
_NEW_ID = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")
_OLD_ID = re.compile(r"[a-z\-]+(?:\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}")
_SAFE_ID = re.compile(r"[A-Za-z0-9.\-/]+")
_SAFE_URL = re.compile(r"https?://[^\s{}%#\\\"]+")
_STOP_WORDS = frozenset(
    ["a", "an", "the", "on", "of", "for", "to", "in", "and", "with", "towards", "toward", "via", "from", "is"]
)


class Citable(Protocol):
    """What an entry needs: a Paper, a StarredPaper or an indexed paper."""

    @property
    def arxiv_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def authors(self) -> tuple[str, ...]: ...
    @property
    def categories(self) -> tuple[str, ...]: ...
    @property
    def abs_url(self) -> str: ...


def escape_text(text: str) -> str:
    """``text`` with every LaTeX special character escaped."""
    return "".join(_TEXT_ESCAPES.get(ch, ch) for ch in text)


def _balanced(text: str) -> bool:
    # BibTeX counts every brace, escaped or not, to find the end of a field; LaTeX skips escaped ones.
    if text.count("{") != text.count("}"):
        return False
    depth = 0
    escaped = False
    for ch in text:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not escaped


def escape_title(title: str) -> str:
    """A title for BibTeX: text escaped, well-formed ``$...$`` math kept (see the module docstring)."""
    title = plain(title)
    out: list[str] = []
    done = 0
    for match in _MATH.finditer(title):
        if not _balanced(match.group(1)):
            continue
        out.append(escape_text(title[done : match.start()]))
        out.append("$" + "".join(_MATH_ESCAPES.get(ch, ch) for ch in match.group(1)) + "$")
        done = match.end()
    out.append(escape_text(title[done:]))
    return "".join(out)


def escape_author(name: str) -> str:
    """One author name for the ``author`` field, escaped; braced if it contains the word ``and``."""
    name = escape_text(" ".join(plain(name).split()))
    if re.search(r"\band\b", name, re.IGNORECASE):
        return "{" + name + "}"
    return name


def arxiv_year(arxiv_id: str) -> int | None:
    """The year an arXiv id was issued (``2106.10934`` -> 2021, ``hep-th/9901001`` -> 1999), or None."""
    match = _NEW_ID.fullmatch(arxiv_id) or _OLD_ID.fullmatch(arxiv_id)
    if match is None:
        return None
    yy, mm = int(match.group(1)), int(match.group(2))
    if not 1 <= mm <= 12:
        return None
    # Old-style ids began in 1991; new-style ones in 2007.
    return (1900 if yy >= 91 else 2000) + yy


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _last_name(author: str) -> str:
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0]
    parts = author.split()
    return parts[-1] if parts else ""


def _title_word(title: str) -> str:
    without_math = re.sub(r"\$[^$]*\$", " ", title)
    for word in re.findall(r"[^\W\d_]+", without_math):
        ascii_word = _ascii_word(word)
        if len(ascii_word) >= 3 and ascii_word not in _STOP_WORDS:
            return ascii_word
    return ""


def citation_key(paper: Citable, year: int | None) -> str:
    """A readable key: first author's last name, year, first significant title word (``vaswani2017attention``)."""
    name = _ascii_word(_last_name(paper.authors[0])) if paper.authors else ""
    key = f"{name}{year or ''}{_title_word(paper.title)}"
    if not name or not key:
        key = "arxiv" + _ascii_word(paper.arxiv_id)
    return key


def _entry(paper: Citable, key: str, year: int | None) -> str:
    arxiv_id = (
        paper.arxiv_id if _SAFE_ID.fullmatch(paper.arxiv_id) else escape_text(" ".join(plain(paper.arxiv_id).split()))
    )
    url = paper.abs_url if _SAFE_URL.fullmatch(paper.abs_url) else f"https://arxiv.org/abs/{arxiv_id}"
    fields: list[tuple[str, str]] = []
    if paper.authors:
        fields.append(("author", " and ".join(escape_author(a) for a in paper.authors)))
    fields.append(("title", escape_title(paper.title)))
    if year is not None:
        fields.append(("year", str(year)))
    fields.append(("eprint", arxiv_id))
    fields.append(("archivePrefix", "arXiv"))
    if paper.categories:
        fields.append(("primaryClass", escape_text(plain(paper.categories[0]))))
    fields.append(("url", url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def to_bibtex(papers: Iterable[Citable], *, listed: date | None = None) -> str:
    """BibTeX ``@misc`` entries for ``papers``, with citation keys unique within the output.

    The year is the arXiv id's year; failing that the paper's ``listed``/``date``
    attribute if it has one, then ``listed``; an entry with none has no year field.
    """
    used: set[str] = set()
    entries: list[str] = []
    for paper in papers:
        year = arxiv_year(paper.arxiv_id)
        if year is None:
            when = getattr(paper, "listed", None) or getattr(paper, "date", None) or listed
            year = when.year if isinstance(when, date) else None
        base = citation_key(paper, year)
        key = base
        suffix = ord("b")
        while key in used:
            key = f"{base}{chr(suffix)}" if suffix <= ord("z") else f"{base}{suffix - ord('a')}"
            suffix += 1
        used.add(key)
        entries.append(_entry(paper, key, year))
    return "\n".join(entries)
