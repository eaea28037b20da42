"""BibTeX export: entries parse with a real BibTeX parser and carry the papers' fields back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import bibtexparser
from hypothesis import given, settings
from hypothesis import strategies as st

from hotpapers_tui.library.bibtex import arxiv_year, escape_title, to_bibtex
from hotpapers_tui.library.marks import Marks
from hotpapers_tui.textsafety import plain
from tests.library.conftest import make_paper

_UNESCAPES = {
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    r"\&": "&",
    r"\%": "%",
    r"\$": "$",
    r"\#": "#",
    r"\_": "_",
}
_UNESCAPE = re.compile("|".join(re.escape(k) for k in sorted(_UNESCAPES, key=len, reverse=True)))


# A math span as the module writes it: unescaped "$" delimiters around LaTeX kept as written.
_WRITTEN_MATH = re.compile(r"(?<!\\)\$([^$]+?)(?<!\\)\$")
_MATH_UNESCAPE = re.compile(r"\\([&%#])")


def unescape(text: str) -> str:
    """The inverse of the module's escaping, for checking round trips.

    Math spans are kept as LaTeX (only ``& % #`` escaped), so ``$\\_$`` inside one is the
    title's own text, not an escaped underscore.
    """
    out: list[str] = []
    last = 0
    for match in _WRITTEN_MATH.finditer(text):
        out.append(_UNESCAPE.sub(lambda m: _UNESCAPES[m.group(0)], text[last : match.start()]))
        out.append("$" + _MATH_UNESCAPE.sub(r"\1", match.group(1)) + "$")
        last = match.end()
    out.append(_UNESCAPE.sub(lambda m: _UNESCAPES[m.group(0)], text[last:]))
    return "".join(out)


def parse(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return {entry.key: {f.key: f.value for f in entry.fields} | {"@": entry.entry_type} for entry in library.entries}


def test_fields_round_trip_through_a_bibtex_parser() -> None:
    paper = make_paper(
        "2106.10934",
        "GRAND: Graph Neural Diffusion",
        authors=("Benjamin Paul Chamberlain", "Michael M. Bronstein"),
        categories=("cs.LG", "stat.ML"),
    )
    entries = parse(to_bibtex([paper]))
    assert entries == {
        "chamberlain2021grand": {
            "@": "misc",
            "author": "Benjamin Paul Chamberlain and Michael M. Bronstein",
            "title": "GRAND: Graph Neural Diffusion",
            "year": "2021",
            "eprint": "2106.10934",
            "archivePrefix": "arXiv",
            "primaryClass": "cs.LG",
            "url": "https://arxiv.org/abs/2106.10934",
        }
    }


def test_latex_specials_in_titles_and_authors_are_escaped() -> None:
    title = r"50% of R&D: #1 on {C}_{++} ~ a^b \cite{x} costs $5"
    paper = make_paper("2106.00001", title, authors=("Jean_Luc {Picard}", "Anne & Co", "Smith and Sons"))
    [fields] = parse(to_bibtex([paper])).values()
    assert unescape(fields["title"]) == title
    assert "\\&" in fields["title"] and "\\%" in fields["title"] and "\\$5" in fields["title"]
    assert "\\cite" not in fields["title"]
    # A name holding the word "and" is braced so BibTeX does not split it.
    assert fields["author"] == (
        r"Jean\_Luc \textbraceleft{}Picard\textbraceright{} and Anne \& Co and {Smith and Sons}"
    )


def test_balanced_math_is_kept_as_math() -> None:
    paper = make_paper("2106.00001", r"Sorting in $O(n \log n)$ time with $\ell_{1}$ & 100% less")
    [fields] = parse(to_bibtex([paper])).values()
    assert fields["title"] == r"Sorting in $O(n \log n)$ time with $\ell_{1}$ \& 100\% less"


def test_math_that_could_break_the_entry_is_escaped_instead() -> None:
    assert escape_title("cost $5 and $} sneaky") == r"cost \$5 and \$\textbraceright{} sneaky"
    assert escape_title("from $5 to $10") == r"from \$5 to \$10"
    assert escape_title("$x$ and $ y $") == r"$x$ and \$ y \$"
    assert escape_title("a lone $ sign") == r"a lone \$ sign"
    assert escape_title("empty $$ math") == r"empty \$\$ math"
    assert escape_title(r"price \$3 and $x$") == r"price \textbackslash{}\$3 and $x$"
    paper = make_paper("2106.00001", "oops $}{$ and $x}$ } @misc{evil,")
    [fields] = parse(to_bibtex([paper])).values()
    assert unescape(fields["title"]) == "oops $}{$ and $x}$ } @misc{evil,"


def test_citation_keys_are_unique() -> None:
    papers = [
        make_paper("2106.00001", "Attention is all you need", authors=("Ashish Vaswani",)),
        make_paper("2106.00002", "Attention, again", authors=("Ashish Vaswani",)),
        make_paper("2106.00003", "Attention thrice", authors=("A. Vaswani",)),
        make_paper("2106.00004", "", authors=()),
        make_paper("2106.00005", "Ünïcödé names", authors=("Zoë Ångström",)),
    ]
    entries = parse(to_bibtex(papers))
    assert list(entries) == [
        "vaswani2021attention",
        "vaswani2021attentionb",
        "vaswani2021attentionc",
        "arxiv210600004",
        "angstrom2021unicode",
    ]
    assert "author" not in entries["arxiv210600004"]


def test_years_come_from_the_id_then_the_listing_day() -> None:
    assert arxiv_year("2106.10934") == 2021
    assert arxiv_year("0704.0001") == 2007
    assert arxiv_year("hep-th/9901001") == 1999
    assert arxiv_year("math.GT/0309136") == 2003
    assert arxiv_year("not-an-id") is None
    odd = make_paper("weird-id", "Odd")
    [fields] = parse(to_bibtex([odd], listed=dt.date(2020, 5, 1))).values()
    assert fields["year"] == "2020"
    [no_year] = parse(to_bibtex([odd])).values()
    assert "year" not in no_year


def test_starred_papers_export_without_the_network() -> None:
    with Marks.open() as marks:
        marks.set_starred(make_paper("2106.10934", "GRAND", authors=("B. Chamberlain",)), listed=dt.date(2021, 6, 22))
        marks.set_starred("hep-th/9901001")
        entries = parse(to_bibtex(marks.starred()))
    assert {e["eprint"] for e in entries.values()} == {"2106.10934", "hep-th/9901001"}
    by_id = {e["eprint"]: e for e in entries.values()}
    assert by_id["2106.10934"]["title"] == "GRAND"
    assert by_id["hep-th/9901001"]["year"] == "1999"


def test_control_characters_do_not_reach_the_output() -> None:
    paper = make_paper("2106.00001", "Bad\x1b[31m red\x07 title\nsplit", authors=("Eve\u202eReversed",))
    text = to_bibtex([paper])
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    [fields] = parse(text).values()
    assert fields["title"] == "Bad red title split"


_TEXT = st.text(alphabet=st.sampled_from(list("ab Z9&%$#_{}~^\\@,=\"'é")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(titles=st.lists(_TEXT, min_size=1, max_size=4), authors=st.lists(_TEXT, max_size=3))
def test_any_text_gives_parseable_entries_that_round_trip(titles: list[str], authors: list[str]) -> None:
    papers = [make_paper(f"2106.{n:05d}", t, authors=tuple(authors)) for n, t in enumerate(titles)]
    entries = parse(to_bibtex(papers))
    assert len(entries) == len(papers)
    for paper, fields in zip(papers, entries.values(), strict=True):
        assert fields["eprint"] == paper.arxiv_id
        assert fields["title"].count("{") == fields["title"].count("}")
        assert unescape(fields["title"]) == plain(paper.title)


def test_an_id_or_url_ending_in_a_newline_is_not_taken_as_safe() -> None:
    # "$" matches before a final newline: such an id or URL used to be written raw into its field.
    paper = dataclasses.replace(make_paper("2101.00001\n"), abs_url="https://arxiv.org/abs/2101.00001\n")
    entry = to_bibtex([paper], listed=dt.date(2021, 1, 4))
    fields = dict(re.findall(r"^  (\w+) = \{(.*)\},?$", entry, re.M))
    assert fields["eprint"] == "2101.00001"
    assert fields["url"] == "https://arxiv.org/abs/2101.00001"
    assert fields["year"] == "2021"  # from the listing day: the id is not a well-formed one
    assert arxiv_year("2101.00001\n") is None and arxiv_year("hep-th/9901001\n") is None
    assert arxiv_year("2101.00001") == 2021 and arxiv_year("hep-th/9901001") == 1999
    assert len(bibtexparser.parse_string(entry).entries) == 1
