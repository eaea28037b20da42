"""The filter language of the list and of search (words, ``cat:``, ``author:``, ``is:``), and the sort orders.

A query is a list of terms, all of which must match (AND). A term is:

- a free word, or a ``"quoted phrase"``: found, ignoring case, in the title, the
  authors, the categories, the abstract or the arXiv id;
- ``cat:cs.LG``: the paper lists that category (``cat:cs`` matches any ``cs.*``);
- ``author:name``: some author's name contains ``name``;
- ``is:unread``, ``is:read``, ``is:starred``, ``is:unstarred``;
- any of those preceded by ``-`` to exclude what it matches.

A word with an unknown ``prefix:`` is a free word (titles say ``GPT-3:``); an unknown
``is:`` value is reported in :attr:`Query.problems` and ignored, so typing never fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from hotpapers_tui.model import Paper, rank_papers

SortKey = Literal["score", "retweets", "favorites", "tweets", "title"]
SORT_KEYS: tuple[SortKey, ...] = ("score", "retweets", "favorites", "tweets", "title")
"""The sort orders, in the order ``S`` cycles through them."""

IS_VALUES = ("read", "unread", "starred", "unstarred")

_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')


class Searchable(Protocol):
    """What a query looks at: a Paper, or a paper's record in the search index."""

    @property
    def arxiv_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def authors(self) -> tuple[str, ...]: ...
    @property
    def categories(self) -> tuple[str, ...]: ...
    @property
    def abstract(self) -> str: ...


class MarkLookup(Protocol):
    """Where ``is:`` terms look: Marks, or a MarkSet snapshot of it."""

    def is_read(self, arxiv_id: str) -> bool: ...
    def is_starred(self, arxiv_id: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class Term:
    """One term of a query."""

    kind: Literal["word", "cat", "author", "is"]
    """What the term tests."""
    value: str
    """What it looks for, lower-cased (for ``is``: one of IS_VALUES)."""
    negated: bool = False
    """True for a ``-term``: the paper must not match it."""


def haystack(paper: Searchable) -> str:
    """The lower-cased text free words are looked for in."""
    return "\n".join(
        (paper.title, "\n".join(paper.authors), " ".join(paper.categories), paper.abstract, paper.arxiv_id)
    ).lower()


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed filter: all terms must match."""

    text: str
    """The text as typed."""
    terms: tuple[Term, ...] = ()
    """The terms, in the order typed."""
    problems: tuple[str, ...] = ()
    """Terms that were not understood and were ignored, as messages for the user."""

    @property
    def is_empty(self) -> bool:
        """True when the query matches everything."""
        return not self.terms

    @property
    def needs_marks(self) -> bool:
        """True when an ``is:`` term needs to know read and starred marks."""
        return any(t.kind == "is" for t in self.terms)

    def matches(self, paper: Searchable, marks: MarkLookup | None = None, *, text: str | None = None) -> bool:
        """Whether ``paper`` matches every term.

        Without ``marks``, papers count as unread and unstarred. ``text`` may pass a
        precomputed :func:`haystack` of the paper.
        """
        for term in self.terms:
            if term.kind == "word":
                if text is None:
                    text = haystack(paper)
                hit = term.value in text
            elif term.kind == "cat":
                hit = any(_category_matches(c.lower(), term.value) for c in paper.categories)
            elif term.kind == "author":
                hit = any(term.value in a.lower() for a in paper.authors)
            else:
                hit = _is(term.value, paper.arxiv_id, marks)
            if hit == term.negated:
                return False
        return True

    def matches_marks(self, arxiv_id: str, marks: MarkLookup | None) -> bool:
        """Whether a paper passes the query's ``is:`` terms alone (the search index tests the rest)."""
        return all(_is(t.value, arxiv_id, marks) != t.negated for t in self.terms if t.kind == "is")

    def filter(self, papers: Iterable[Paper], marks: MarkLookup | None = None) -> list[Paper]:
        """The papers that match, in their given order."""
        if self.is_empty:
            return list(papers)
        return [p for p in papers if self.matches(p, marks)]


def _category_matches(category: str, wanted: str) -> bool:
    if category == wanted:
        return True
    # "cat:cs" means the whole archive; "cat:cs.lg" only that category.
    return "." not in wanted and category.startswith(wanted + ".")


def _is(value: str, arxiv_id: str, marks: MarkLookup | None) -> bool:
    if value in ("read", "unread"):
        read = marks.is_read(arxiv_id) if marks is not None else False
        return read if value == "read" else not read
    starred = marks.is_starred(arxiv_id) if marks is not None else False
    return starred if value == "starred" else not starred


def parse_query(text: str) -> Query:
    """Parse what the user typed; never raises (see :attr:`Query.problems`)."""
    terms: list[Term] = []
    problems: list[str] = []
    for match in _TOKEN.finditer(text):
        minus, prefix, quoted, bare = match.groups()
        raw = match.group(0)
        value = quoted if quoted is not None else bare
        negated = minus == "-"
        kind = (prefix or "").lower()
        if kind in ("cat", "author", "is") and value:
            folded = value.strip().lower()
            if not folded:
                continue
            if kind == "is" and folded not in IS_VALUES:
                problems.append(f"{raw}: expected is:{', is:'.join(IS_VALUES)}")
                continue
            terms.append(Term(kind, folded, negated))  # type: ignore[arg-type]
            continue
        if prefix is not None:
            # Not a qualifier we know: keep the whole thing as words ("GPT-3:", "arXiv:2106.1").
            word = (f"{prefix}:{value}" if value else f"{prefix}:").strip()
        else:
            word = value.strip() if value else ""
        if not word or word == "-" or word.lower() in ("cat:", "author:", "is:"):
            # Nothing yet, or a qualifier still being typed: it should not empty the list meanwhile.
            continue
        terms.append(Term("word", word.lower(), negated))
    return Query(text, tuple(terms), tuple(problems))


def tweet_count(paper: Paper) -> int:
    """How many posts discuss the paper (the ``tweets`` sort)."""
    return len(paper.tweets)


def sort_papers(papers: Sequence[Paper], key: SortKey) -> list[Paper]:
    """The papers in the order of ``key``: numbers highest first, title A-Z.

    Ties keep the score order of :func:`~hotpapers_tui.model.rank_papers`, so each sort
    is stable and repeatable.
    """
    ranked = rank_papers(papers)
    if key == "score":
        return ranked
    if key == "retweets":
        return sorted(ranked, key=lambda p: -p.retweets)
    if key == "favorites":
        return sorted(ranked, key=lambda p: -p.favorites)
    if key == "tweets":
        return sorted(ranked, key=lambda p: -tweet_count(p))
    if key == "title":
        return sorted(ranked, key=lambda p: p.title.lower())
    raise ValueError(f"unknown sort {key!r}: expected one of {', '.join(SORT_KEYS)}")


def next_sort_key(key: SortKey) -> SortKey:
    """The sort after ``key`` in the cycle of SORT_KEYS."""
    return SORT_KEYS[(SORT_KEYS.index(key) + 1) % len(SORT_KEYS)]
