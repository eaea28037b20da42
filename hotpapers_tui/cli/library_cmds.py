"""Subcommands over the reading list: ``search``, ``starred``, ``star``/``unstar`` and ``read``/``unread``."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hotpapers_tui.cli.common import CliError, add_feed_option, feed_from_args, run, say_feed_notes
from hotpapers_tui.feeds import Feed
from hotpapers_tui.feeds.base import days_at_hand
from hotpapers_tui.library.bibtex import to_bibtex
from hotpapers_tui.library.marks import Marks, MarksError
from hotpapers_tui.library.query import parse_query
from hotpapers_tui.library.searchindex import (
    IndexChanges,
    IndexedPaper,
    SearchIndex,
    SearchIndexError,
    feed_key,
    sync_days,
)
from hotpapers_tui.textsafety import plain

_ARXIV_ID = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\Z", re.IGNORECASE)
_ABS_URL = re.compile(r"^https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/(.+?)(?:\.pdf)?/?$")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    search = sub.add_parser(
        "search",
        parents=[common],
        help="find papers across every day of a feed",
        description="Print the papers of every day of the feed that match QUERY, newest day first: "
        "date, rank, arXiv id, title. Words match title, authors, categories and abstract; "
        "qualifiers: cat:CATEGORY, author:NAME, is:read, is:unread, is:starred, is:unstarred; "
        "-TERM excludes (write '--' before a query that starts with '-'). "
        "An index beside the cache is brought up to date first.",
    )
    search.add_argument("query", nargs="+", metavar="QUERY", help="words and qualifiers, all of which must match")
    add_feed_option(search)
    search.add_argument("--limit", type=int, default=50, metavar="N", help="print at most N papers (default 50)")
    search.set_defaults(handler=cmd_search)

    starred = sub.add_parser(
        "starred",
        parents=[common],
        help="list starred papers, or print them as BibTeX",
        description="Print the starred papers, most recently starred first.",
    )
    starred.add_argument("--bibtex", action="store_true", help="print BibTeX entries (arXiv eprint style)")
    starred.set_defaults(handler=cmd_starred)

    for name, help_text, handler in (
        ("star", "star a paper (found in the feed's days, to keep its title and authors)", cmd_star),
        ("unstar", "remove a paper's star", cmd_unstar),
        ("read", "mark a paper read", cmd_read),
        ("unread", "mark a paper unread", cmd_unread),
    ):
        cmd = sub.add_parser(name, parents=[common], help=help_text, description=help_text[0].upper() + help_text[1:])
        cmd.add_argument("arxiv_id", metavar="ID", help="an arXiv id (2106.10934), with or without version, or its URL")
        if name == "star":
            add_feed_option(cmd)
        cmd.set_defaults(handler=handler)


@contextmanager
def _library_errors() -> Iterator[None]:
    try:
        yield
    except (MarksError, SearchIndexError) as exc:
        raise CliError(str(exc)) from None


def normalise_id(text: str) -> str:
    """An arXiv id from what a user types: ``arXiv:2106.10934v2``, an abs or pdf URL, or the id itself."""
    text = text.strip()
    url = _ABS_URL.match(text)
    if url:
        text = url.group(1)
    match = _ARXIV_ID.match(text)
    if match is None:
        raise CliError(f"{plain(text)!r}: not an arXiv id (expected e.g. 2106.10934 or hep-th/9901001)")
    return match.group(1)


def _open_marks() -> Marks:
    marks = Marks.open()
    if marks.notice:
        print(f"hotpapers-tui: {marks.notice}", file=sys.stderr)
    return marks


def _open_index() -> SearchIndex:
    index = SearchIndex.open()
    if index.notice:
        print(f"hotpapers-tui: {index.notice}", file=sys.stderr)
    return index


async def _sync(index: SearchIndex, feed: Feed) -> tuple[IndexChanges, int]:
    """Index the feed's days at hand; returns what changed and how many of its days are left out (never built)."""
    try:
        listed = await feed.days()
        # Not every listed day: the live days never built here would each cost a build (see days_at_hand).
        at_hand = await days_at_hand(feed)
        return await sync_days(index, feed, at_hand), len(listed) - len(at_hand)
    finally:
        await feed.aclose()


def _synced_index(feed: Feed) -> SearchIndex:
    """The search index, brought up to date with every day of ``feed`` (which is closed after)."""
    try:
        index = _open_index()
    except BaseException:
        run(feed.aclose())
        raise
    try:
        changes, left_out = run(_sync(index, feed))
    except BaseException:
        index.close()
        raise
    say_feed_notes(feed)
    if left_out > 0:
        days = "live day" if left_out == 1 else "live days"
        print(
            f"hotpapers-tui: {plain(feed.name)}: {left_out} {days} never built here are not searched "
            "(search never builds one; show or export a day to build it)",
            file=sys.stderr,
        )
    for day, message in changes.failed:
        print(f"hotpapers-tui: {day.isoformat()} left out of the search: {plain(message)}", file=sys.stderr)
    if changes.indexed or changes.dropped:
        print(
            f"hotpapers-tui: index of {plain(feed.name)}: {changes.indexed} days indexed, {changes.dropped} dropped",
            file=sys.stderr,
        )
    return index


def cmd_search(args: argparse.Namespace) -> int:
    query = parse_query(" ".join(args.query))
    if query.problems:
        raise CliError("; ".join(plain(p) for p in query.problems))
    if query.is_empty:
        raise CliError("the query has no terms to search for")
    if args.limit is not None and args.limit < 1:
        raise CliError("--limit must be at least 1")
    feed = feed_from_args(args)
    with _library_errors():
        index = _synced_index(feed)
        try:
            if query.needs_marks:
                with _open_marks() as marks:
                    hits = index.search(feed_key(feed), query, args.limit, marks=marks.snapshot())
            else:
                hits = index.search(feed_key(feed), query, args.limit)
        finally:
            index.close()
    for hit in hits:
        print(f"{hit.date.isoformat()}  {hit.rank:>3}  {plain(hit.arxiv_id):<16} {plain(hit.title)}")
    if not hits:
        print("hotpapers-tui: no papers match", file=sys.stderr)
    return 0


def cmd_starred(args: argparse.Namespace) -> int:
    with _library_errors(), _open_marks() as marks:
        papers = marks.starred()
    if args.bibtex:
        sys.stdout.write(to_bibtex(papers))
        return 0
    for paper in papers:
        listed = paper.listed.isoformat() if paper.listed else "-"
        title = plain(paper.title) or "(title not known)"
        print(f"{plain(paper.arxiv_id):<16} {listed:<10}  {title}")
    if not papers:
        print("hotpapers-tui: no starred papers", file=sys.stderr)
    return 0


def _find_for_star(feed: Feed, arxiv_id: str) -> IndexedPaper | None:
    """The paper as the feed lists it, or None when the index cannot say (told on stderr); CliError if absent."""
    try:
        index = _synced_index(feed)
    except SearchIndexError as exc:
        # A mark lives in its own store: without the index it is kept by id alone, with no title.
        print(
            f"hotpapers-tui: the search index is unavailable for titles ({exc}); starring by id alone", file=sys.stderr
        )
        return None
    with _library_errors():
        try:
            found = index.find(feed_key(feed), arxiv_id)
        finally:
            index.close()
    if found is None:
        raise CliError(f"{arxiv_id}: not in any day of {plain(feed.name)} (choose the feed with --feed)")
    return found


def cmd_star(args: argparse.Namespace) -> int:
    arxiv_id = normalise_id(args.arxiv_id)
    found = _find_for_star(feed_from_args(args), arxiv_id)
    with _library_errors(), _open_marks() as marks:
        if found is None:
            marks.set_starred(arxiv_id, True)
        else:
            marks.set_starred(found, True, listed=found.date)
    print(f"starred {arxiv_id}: {plain(found.title)}" if found is not None else f"starred {arxiv_id}")
    return 0


def _set_mark(args: argparse.Namespace, *, star: bool | None = None, read: bool | None = None) -> int:
    arxiv_id = normalise_id(args.arxiv_id)
    with _library_errors(), _open_marks() as marks:
        if star is not None:
            marks.set_starred(arxiv_id, star)
        if read is not None:
            marks.set_read(arxiv_id, read)
    return 0


def cmd_unstar(args: argparse.Namespace) -> int:
    return _set_mark(args, star=False)


def cmd_read(args: argparse.Namespace) -> int:
    return _set_mark(args, read=True)


def cmd_unread(args: argparse.Namespace) -> int:
    return _set_mark(args, read=False)
