"""Search across many days: an SQLite index beside the cache, kept in step with the days it was given.

Each indexed day carries a fingerprint of its content, so a day whose papers changed is
indexed again and a day no longer offered is dropped: a search never answers from a
day that is gone or out of date.

Papers are stored with their searchable text lower-cased once, and every term of a
:class:`~hotpapers_tui.library.query.Query` becomes an exact SQL substring test
(``instr``) over it, so a search and the list filter always agree. An FTS5 trigram
index can be added (``fts=True``) to narrow selective words first; measured on 300 days
(``benchmarks/bench_search.py``) it made the build 5 to 15 times slower and the file
2.4 times larger, while the plain scan already answers within the 50 ms goal, so it
is off by default.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from hotpapers_tui import paths
from hotpapers_tui.feeds import Feed, FeedError, FolderFeed
from hotpapers_tui.feeds.base import day_stamp, days_at_hand, load_at_hand
from hotpapers_tui.library.marks import storable_text
from hotpapers_tui.library.query import MarkLookup, Query, Term, haystack, parse_query
from hotpapers_tui.library.sqlitestore import Schema, SQLiteStore, StoreError, StoreKind, key_param
from hotpapers_tui.localfile import MAX_POST_BYTES, FileRefused, read_regular_file
from hotpapers_tui.model import Day, Paper, rank_papers

INDEX_FILENAME = "search.sqlite3"
_SCHEMA_VERSION = 3

_TABLES = """
CREATE TABLE IF NOT EXISTS days (
    feed TEXT NOT NULL,
    date TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (feed, date)
);
CREATE TABLE IF NOT EXISTS papers (
    id INTEGER PRIMARY KEY,
    feed TEXT NOT NULL,
    date TEXT NOT NULL,
    rank INTEGER NOT NULL,
    arxiv_id TEXT NOT NULL,
    title TEXT NOT NULL,
    authors TEXT NOT NULL,
    categories TEXT NOT NULL,
    abstract TEXT NOT NULL,
    abs_url TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS papers_day ON papers (feed, date);
-- What queries test, lower-cased once here so a search is a substring scan in SQLite; a
-- table of its own so that scan reads only this text, not every paper's whole record.
CREATE TABLE IF NOT EXISTS search_text (
    id INTEGER PRIMARY KEY,
    feed TEXT NOT NULL,
    date TEXT NOT NULL,
    rank INTEGER NOT NULL,
    text TEXT NOT NULL,
    lauthors TEXT NOT NULL,
    lcats TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS search_text_day ON search_text (feed, date, rank);
CREATE TRIGGER IF NOT EXISTS papers_text_ad AFTER DELETE ON papers BEGIN
    DELETE FROM search_text WHERE id = old.id;
END;
"""

_FTS = """
CREATE VIRTUAL TABLE IF NOT EXISTS papers_fts USING fts5(
    title, authors, categories, abstract, arxiv_id,
    content='papers', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS papers_ai AFTER INSERT ON papers BEGIN
    INSERT INTO papers_fts (rowid, title, authors, categories, abstract, arxiv_id)
    VALUES (new.id, new.title, new.authors, new.categories, new.abstract, new.arxiv_id);
END;
CREATE TRIGGER IF NOT EXISTS papers_ad AFTER DELETE ON papers BEGIN
    INSERT INTO papers_fts (papers_fts, rowid, title, authors, categories, abstract, arxiv_id)
    VALUES ('delete', old.id, old.title, old.authors, old.categories, old.abstract, old.arxiv_id);
END;
"""


_DROP = (
    "DROP TABLE IF EXISTS papers_fts; DROP TABLE IF EXISTS papers; DROP TABLE IF EXISTS search_text;"
    "DROP TABLE IF EXISTS days;"
)


class SearchIndexError(StoreError):
    """The search index could not be opened or written; the message names the file and why."""


KIND = StoreKind(
    name="the search index",
    label="the search index",
    write_action="update the search index",
    folder="cache folder",
    error=SearchIndexError,
    keep_damaged=False,
    # A process crash is still rolled back (the OS holds the journal); a power cut may damage the
    # file, which the next open finds and builds again. Syncing each day made a cold build 3x slower.
    synchronous="OFF",
)
"""The index is a cache of the feeds' days: a damaged file is deleted and built again."""


def _schema(fts: bool) -> Schema:
    """The index's layout, with or without the FTS5 table; a file of any other layout is rebuilt from nothing."""

    def fits(conn: sqlite3.Connection) -> bool:
        return (conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'papers_fts'").fetchone() is not None) == fts

    return Schema(
        version=_SCHEMA_VERSION,
        create=_TABLES + (_FTS if fts else ""),
        disposable=True,
        drop=_DROP,
        fits=fits,
    )


@dataclass(frozen=True, slots=True)
class IndexedPaper:
    """A paper as a search returns it: enough to show, cite and jump to it (the abstract stays in the index)."""

    date: date
    """The day the paper was listed on."""
    rank: int
    """Its rank that day, 1 for the top paper."""
    arxiv_id: str
    """The arXiv identifier without version."""
    title: str
    """The title as written."""
    authors: tuple[str, ...]
    """Author names in order."""
    categories: tuple[str, ...]
    """arXiv categories, primary first."""
    abs_url: str
    """Link to the abstract page."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: a paper on one day."""

    date: date
    """The day it was listed on."""
    rank: int
    """Its rank that day, 1 for the top paper."""
    arxiv_id: str
    """The arXiv identifier without version."""
    title: str
    """The title as written (untrusted: pass through ``textsafety.plain`` before showing)."""
    paper: IndexedPaper
    """Everything the index keeps about it (authors, categories, link)."""


@dataclass(frozen=True, slots=True)
class IndexChanges:
    """What an update did."""

    indexed: int = 0
    """Days (re)indexed because they were new or their content changed."""
    unchanged: int = 0
    """Days already indexed with the same content."""
    dropped: int = 0
    """Days removed because they are no longer offered (or no longer load)."""
    failed: tuple[tuple[date, str], ...] = ()
    """Days that could not be loaded, with the feed's message; they are left out of the index."""


def default_path() -> Path:
    """Where the index lives: ``search.sqlite3`` in the cache folder."""
    return paths.cache_dir() / INDEX_FILENAME


def fts5_available() -> bool:
    """Whether this Python's SQLite can build the FTS5 trigram index."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def day_fingerprint(day: Day) -> str:
    """A digest of everything the index keeps of a day; equal digests mean nothing to re-index."""
    digest = hashlib.sha256(day.key.encode())
    for paper in rank_papers(day.papers):
        fields = [paper.arxiv_id, paper.title, list(paper.authors), list(paper.categories)]
        fields += [paper.abstract, paper.abs_url]
        digest.update(json.dumps(fields).encode())
    return digest.hexdigest()


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _narrowable(value: str) -> bool:
    # The trigram tokenizer needs three characters; ASCII keeps its case folding identical to Python's.
    return len(value) >= 3 and value.isascii()


class SearchIndex:
    """The cross-day search index, one SQLite file; one instance may be shared by threads."""

    def __init__(self, store: SQLiteStore, *, fts: bool, notice: str = "") -> None:
        self._store = store
        self._lock = store.lock
        self.path = store.path
        """The index file."""
        self.uses_fts = fts
        """True when searches are first narrowed by the FTS5 trigram index."""
        self.notice = notice or store.notice
        """A message about opening (a damaged index was rebuilt), or empty."""

    @classmethod
    def open(cls, path: Path | None = None, *, fts: bool = False) -> SearchIndex:
        """Open or create the index; a damaged one is deleted and started afresh (it is only a cache).

        ``fts`` adds an FTS5 trigram index when this SQLite has one (see the module docstring).
        In a cache folder that cannot be written the index opens for reading only, and
        updating it raises SearchIndexError.
        """
        fts = fts and fts5_available()
        return cls(SQLiteStore.open(path or default_path(), KIND, _schema(fts)), fts=fts)

    @property
    def readonly(self) -> bool:
        """True when the index can be searched but not updated (a read-only file or folder)."""
        return self._store.readonly

    @property
    def _conn(self) -> sqlite3.Connection:
        return self._store.conn

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._store.write() as conn:
            yield conn

    def _read(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        return self._store.read(sql, params)

    def indexed_days(self, feed: str) -> dict[date, str]:
        """The feed's indexed days and the source token each was indexed with."""
        rows = self._read("SELECT date, source FROM days WHERE feed = ?", (key_param(feed),))
        return {date.fromisoformat(str(d)): str(s) for d, s in rows}

    def put_day(self, feed: str, day: Day, *, source: str = "", listed: date | None = None) -> bool:
        """Index one day of ``feed`` unless it is indexed with the same content; True if it was (re)indexed.

        ``listed`` is the date the feed lists the day under (default ``day.date``).
        ``source`` is an optional token of where the day came from (:func:`day_source`)
        that :func:`sync_days` compares to skip reading or parsing unchanged days.
        """
        fingerprint = day_fingerprint(day)
        when = (listed or day.date).isoformat()
        stored = key_param(feed)
        with self._transaction() as conn:
            row = conn.execute("SELECT fingerprint FROM days WHERE feed = ? AND date = ?", (stored, when)).fetchone()
            if row is not None and row[0] == fingerprint:
                conn.execute("UPDATE days SET source = ? WHERE feed = ? AND date = ?", (source, stored, when))
                return False
            conn.execute("DELETE FROM papers WHERE feed = ? AND date = ?", (stored, when))
            for rank, p in enumerate(rank_papers(_storable_papers(day)), start=1):
                cursor = conn.execute(
                    "INSERT INTO papers (feed, date, rank, arxiv_id, title, authors, categories, abstract, abs_url) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        stored,
                        when,
                        rank,
                        p.arxiv_id,
                        p.title,
                        "\n".join(p.authors),
                        " ".join(p.categories),
                        p.abstract,
                        p.abs_url,
                    ),
                )
                conn.execute(
                    "INSERT INTO search_text (id, feed, date, rank, text, lauthors, lcats) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        cursor.lastrowid,
                        stored,
                        when,
                        rank,
                        haystack(p),
                        "\n".join(a.lower() for a in p.authors),
                        "\n" + "\n".join(c.lower() for c in p.categories) + "\n",
                    ),
                )
            conn.execute(
                "INSERT OR REPLACE INTO days (feed, date, key, fingerprint, source) VALUES (?, ?, ?, ?, ?)",
                (stored, when, day.key, fingerprint, source),
            )
        return True

    def drop_days(self, feed: str, keep: Collection[date]) -> int:
        """Remove the feed's indexed days not in ``keep``; returns how many went."""
        keep_iso = {d.isoformat() for d in keep}
        gone = [d for d in self.indexed_days(feed) if d.isoformat() not in keep_iso]
        if not gone:
            return 0
        stored = key_param(feed)
        with self._transaction() as conn:
            for d in gone:
                conn.execute("DELETE FROM papers WHERE feed = ? AND date = ?", (stored, d.isoformat()))
                conn.execute("DELETE FROM days WHERE feed = ? AND date = ?", (stored, d.isoformat()))
        return len(gone)

    def update(self, feed: str, days: Iterable[Day], *, complete: bool = True) -> IndexChanges:
        """Bring the feed's index in step with ``days``.

        With ``complete`` (the default) ``days`` is every day the feed has, and indexed days
        not among them are dropped; with ``complete=False`` they are only added or refreshed.
        """
        indexed = unchanged = 0
        seen: list[date] = []
        for day in days:
            seen.append(day.date)
            if self.put_day(feed, day):
                indexed += 1
            else:
                unchanged += 1
        dropped = self.drop_days(feed, seen) if complete else 0
        return IndexChanges(indexed, unchanged, dropped)

    def search(
        self, feed: str, text: str | Query, limit: int | None = 50, *, marks: MarkLookup | None = None
    ) -> list[Hit]:
        """Papers of the feed's indexed days matching the query, newest day first, then by rank.

        ``marks`` answers ``is:`` terms (without it, papers count as unread and unstarred).
        An empty query matches nothing: listing every paper is not a search.
        """
        query = text if isinstance(text, Query) else parse_query(text)
        if query.is_empty:
            return []
        where = ["s.feed = ?"]
        params: list[object] = [key_param(feed)]
        narrow: list[str] = []
        for term in query.terms:
            if term.kind == "is":
                continue
            term = replace(term, value=storable_text(term.value))
            condition, values = _condition(term)
            where.append(f"NOT ({condition})" if term.negated else condition)
            params.extend(values)
            if self.uses_fts and not term.negated and _narrowable(term.value):
                column = {"word": "", "cat": "categories : ", "author": "authors : "}[term.kind]
                narrow.append(column + _fts_phrase(term.value))
        if narrow:
            where.append("s.id IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)")
            params.append(" AND ".join(narrow))
        sql = (
            "SELECT p.date, p.rank, p.arxiv_id, p.title, p.authors, p.categories, p.abs_url "
            f"FROM search_text s JOIN papers p ON p.id = s.id WHERE {' AND '.join(where)} ORDER BY s.date DESC, s.rank"
        )
        # is: terms are checked here, against the marks; without them SQLite can stop at the limit.
        if limit is not None and not query.needs_marks:
            sql += " LIMIT ?"
            params.append(limit)
        hits: list[Hit] = []
        for row in self._read(sql, tuple(params)):
            paper = _indexed_paper(row)
            if query.needs_marks and not query.matches_marks(paper.arxiv_id, marks):
                continue
            hits.append(Hit(paper.date, paper.rank, paper.arxiv_id, paper.title, paper))
            if limit is not None and len(hits) >= limit:
                break
        return hits

    def find(self, feed: str, arxiv_id: str) -> IndexedPaper | None:
        """The most recent indexed listing of a paper in the feed, or None."""
        rows = self._read(
            "SELECT date, rank, arxiv_id, title, authors, categories, abs_url FROM papers "
            "WHERE feed = ? AND arxiv_id = ? ORDER BY date DESC LIMIT 1",
            (key_param(feed), arxiv_id),
        )
        return _indexed_paper(rows[0]) if rows else None


def _indexed_paper(row: tuple[object, ...]) -> IndexedPaper:
    return IndexedPaper(
        date=date.fromisoformat(str(row[0])),
        rank=int(str(row[1])),
        arxiv_id=str(row[2]),
        title=str(row[3]),
        authors=tuple(str(row[4]).split("\n")) if row[4] else (),
        categories=tuple(str(row[5]).split(" ")) if row[5] else (),
        abs_url=str(row[6]),
    )


def _condition(term: Term) -> tuple[str, list[object]]:
    """SQL testing one term exactly as :meth:`Query.matches` does, over the stored lower-cased columns."""
    if term.kind == "word":
        return "instr(s.text, ?) > 0", [term.value]
    if "\n" in term.value:
        # Names and categories hold no newline, so such a value matches nothing (and must not span two).
        return "0", []
    if term.kind == "author":
        return "instr(s.lauthors, ?) > 0", [term.value]
    if "." in term.value:
        return "instr(s.lcats, ?) > 0", [f"\n{term.value}\n"]
    return "(instr(s.lcats, ?) > 0 OR instr(s.lcats, ?) > 0)", [f"\n{term.value}\n", f"\n{term.value}."]


def _storable_papers(day: Day) -> list[Paper]:
    papers = []
    for p in day.papers:
        fields = (p.title, p.abstract, p.abs_url, p.arxiv_id, *p.authors, *p.categories)
        if all(storable_text(f) == f for f in fields):
            papers.append(p)
            continue
        papers.append(
            replace(
                p,
                arxiv_id=storable_text(p.arxiv_id),
                title=storable_text(p.title),
                authors=tuple(storable_text(a) for a in p.authors),
                categories=tuple(storable_text(c) for c in p.categories),
                abstract=storable_text(p.abstract),
                abs_url=storable_text(p.abs_url),
            )
        )
    return papers


def feed_key(feed: Feed) -> str:
    """The name a feed's days are indexed under: its name, with a folder's path made absolute.

    ``dir:posts`` typed in two different folders are two different feeds.
    """
    if isinstance(feed, FolderFeed) and feed.name.startswith("dir:"):
        return f"dir:{feed.folder.resolve()}"
    return feed.name


async def sync_feed(
    index: SearchIndex,
    feed: Feed,
    *,
    progress: Callable[[int, int], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> IndexChanges:
    """Bring the index in step with the days of ``feed`` at hand (raises FeedError if it cannot list them).

    The days at hand (:func:`feeds.base.days_at_hand`) are every day of most feeds; of
    the live feed and the timeline, the archive's days and the live days kept here: the
    others would each cost a build, which a search never starts. See :func:`sync_days`.
    """
    return await sync_days(index, feed, await days_at_hand(feed), progress=progress, stop=stop)


def post_stat(path: Path) -> str:
    """A post file's name, size, modification and change times: all unchanged, the file need not be read again.

    The change time (``ctime``) cannot be set back by a program, so an edit that kept the
    size and put the modification time back is still seen.
    """
    try:
        info = path.stat()
    except OSError:
        return ""
    return f"{path.name}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


def post_token(path: Path) -> str:
    """The source token stored for a post file: its :func:`post_stat`, then a digest of its bytes ("" if unread).

    The post is read as every post is (a regular file within ``MAX_POST_BYTES``): a FIFO
    or a huge file put in its place gets no token, and the load that follows says why.
    """
    stat = post_stat(path)
    try:
        data = read_regular_file(path, MAX_POST_BYTES)
    except (OSError, FileRefused):
        return ""
    return f"{stat}|{path.name}:{hashlib.blake2b(data, digest_size=16).hexdigest()}"


def day_source(feed: Feed, day: date) -> str:
    """The source token to store with ``day`` of ``feed``: a post file's :func:`post_token`, else the feed's stamp."""
    if isinstance(feed, FolderFeed):
        path = feed.files().get(day)
        return post_token(path) if path is not None else ""
    return day_stamp(feed, day)


def _same_content(stored: str, token: str) -> bool:
    # Older tokens are the digest part alone; every form ends with it.
    digest = token.rsplit("|", 1)[-1]
    return bool(stored) and (stored == digest or stored.rsplit("|", 1)[-1] == digest)


def set_day_source(index: SearchIndex, feed: str, listed: date, source: str) -> None:
    """Record a new source token for an indexed day whose content did not change."""
    with index._transaction() as conn:
        conn.execute(
            "UPDATE days SET source = ? WHERE feed = ? AND date = ?", (source, key_param(feed), listed.isoformat())
        )


async def sync_days(
    index: SearchIndex,
    feed: Feed,
    days: Collection[date],
    *,
    progress: Callable[[int, int], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> IndexChanges:
    """Index the feed's ``days`` (its complete list) that are not indexed with their current content.

    The one pass both the reader and ``hotpapers-tui search`` run. For a folder of posts,
    a post whose name, size and times match what was stored is not read at all; one whose
    bytes did not change is read but not parsed again. Other feeds' days are loaded once
    and again only when the feed's :func:`feeds.base.day_stamp` changes (a remote post is
    cached for good; a kept live day changes when it is built again). Days are loaded
    with :func:`feeds.base.load_at_hand`, so no live day is ever built here; a feed that
    answers from the cache only reports the days it cannot give in ``failed``, never
    fetched. Indexed days the feed no longer lists are dropped, and so are those that no
    longer load (an old entry must not answer for a post that became unreadable).
    ``progress(done, total)`` is called before each day; ``stop()`` returning True ends
    the pass early.
    """
    key = feed_key(feed)
    wanted = sorted(days)
    dropped = index.drop_days(key, wanted)
    known = index.indexed_days(key)
    files = feed.files() if isinstance(feed, FolderFeed) else None
    indexed = unchanged = 0
    failed: list[tuple[date, str]] = []
    for n, d in enumerate(wanted):
        if stop is not None and stop():
            break
        if progress is not None:
            progress(n, len(wanted))
        stored = known.get(d)
        if files is not None:
            path = files.get(d)
            stat = post_stat(path) if path is not None else ""
            if stored is not None and stat and stored.startswith(stat + "|"):
                unchanged += 1
                continue
            source = post_token(path) if path is not None else ""
            if stored is not None and source and _same_content(stored, source):
                set_day_source(index, key, d, source)
                unchanged += 1
                continue
        else:
            source = day_stamp(feed, d)
            if stored is not None and stored == source:
                unchanged += 1
                continue
        try:
            loaded = await load_at_hand(feed, d)
        except FeedError as exc:
            failed.append((d, str(exc)))
            continue
        if index.put_day(key, loaded.day, source=source, listed=d):
            indexed += 1
        else:
            unchanged += 1
    if progress is not None:
        progress(len(wanted), len(wanted))
    gone = [d for d, _ in failed if d in known]
    if gone:
        dropped += index.drop_days(key, [d for d in wanted if d not in set(gone)])
    return IndexChanges(indexed, unchanged, dropped, tuple(failed))
