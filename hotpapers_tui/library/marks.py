"""Read and starred marks per arXiv id, kept in a small SQLite database in the data folder."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hotpapers_tui import paths
from hotpapers_tui.library.bibtex import Citable
from hotpapers_tui.library.sqlitestore import Schema, SQLiteStore, StoreError, StoreKind

MARKS_FILENAME = "marks.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (
    arxiv_id TEXT PRIMARY KEY,
    read INTEGER NOT NULL DEFAULT 0,
    read_at TEXT,
    starred INTEGER NOT NULL DEFAULT 0,
    starred_at TEXT,
    title TEXT NOT NULL DEFAULT '',
    authors TEXT NOT NULL DEFAULT '[]',
    categories TEXT NOT NULL DEFAULT '[]',
    abs_url TEXT NOT NULL DEFAULT '',
    listed TEXT
);
CREATE INDEX IF NOT EXISTS marks_starred ON marks (starred) WHERE starred = 1;
"""
_SCHEMA_VERSION = 1
DEFAULT_SHOWN_SECONDS = 2.0


class MarksError(StoreError):
    """The marks database could not be opened or written; the message names the file and why."""


SCHEMA = Schema(version=_SCHEMA_VERSION, create=_SCHEMA)
"""The marks table's layout; a file of a newer version is refused, never overwritten."""

KIND = StoreKind(
    name="the marks",
    label="the marks database",
    write_action="save the mark",
    folder="data folder",
    error=MarksError,
    keep_damaged=True,
    synchronous="FULL",
)
"""The marks cannot be rebuilt from anything: a damaged file is kept aside, and every commit is synced."""


@dataclass(frozen=True, slots=True)
class StarredPaper:
    """A starred paper with what was known of it when starred: enough to cite it offline."""

    arxiv_id: str
    """The arXiv identifier without version."""
    title: str
    """The title as written (empty if the paper was starred by id alone)."""
    authors: tuple[str, ...]
    """Author names in order."""
    categories: tuple[str, ...]
    """arXiv categories, primary first."""
    abs_url: str
    """Link to the abstract page."""
    listed: date | None
    """The first Hot Papers day the paper was starred from, when known."""
    starred_at: datetime | None
    """When the star was set (local time)."""


@dataclass(frozen=True, slots=True)
class MarkSet:
    """A snapshot of the marks, for checking many papers quickly (filtering as the user types)."""

    read: frozenset[str]
    """Ids marked read."""
    starred: frozenset[str]
    """Ids starred."""

    def is_read(self, arxiv_id: str) -> bool:
        return arxiv_id in self.read

    def is_starred(self, arxiv_id: str) -> bool:
        return arxiv_id in self.starred


@dataclass(frozen=True, slots=True)
class ReadPolicy:
    """When a paper counts as read without ``r``: its detail shown for a while, its link opened, both or neither."""

    after_shown: float | None = DEFAULT_SHOWN_SECONDS
    """Seconds the detail must stay shown before the paper counts as read; None: showing never marks."""
    on_open: bool = True
    """Whether opening the paper's link (abstract or PDF) marks it read."""

    @classmethod
    def parse(cls, setting: str) -> ReadPolicy:
        """A policy from the config's words: ``shown``, ``shown:SECONDS``, ``opened``, ``shown+opened``, ``never``.

        Raises ValueError with a message for the user.
        """
        after: float | None = None
        on_open = False
        for part in filter(None, (p.strip().lower() for p in setting.split("+"))):
            word, _, seconds = part.partition(":")
            if word == "never" and not seconds and setting.strip().lower() == "never":
                return cls(after_shown=None, on_open=False)
            if word == "opened" and not seconds:
                on_open = True
            elif word == "shown":
                try:
                    after = float(seconds) if seconds else DEFAULT_SHOWN_SECONDS
                except ValueError:
                    after = -1.0
                if not 0 <= after <= 3600:
                    raise ValueError(f"{setting!r}: 'shown:SECONDS' needs a number of seconds from 0 to 3600")
            else:
                raise ValueError(f"{setting!r}: expected 'shown', 'shown:SECONDS', 'opened', 'shown+opened' or 'never'")
        if after is None and not on_open:
            raise ValueError(f"{setting!r}: expected 'shown', 'shown:SECONDS', 'opened', 'shown+opened' or 'never'")
        return cls(after_shown=after, on_open=on_open)


def default_path() -> Path:
    """Where the marks live: ``marks.sqlite3`` in the data folder (``$HOTPAPERS_DATA_DIR`` overrides)."""
    return paths.data_dir() / MARKS_FILENAME


def storable_text(text: str) -> str:
    """``text`` as SQLite can store it: lone surrogates (from escaped JSON) replaced, all else kept."""
    return text if text.isascii() else text.encode("utf-8", "replace").decode("utf-8")


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class Marks:
    """The reader's marks: which papers are read and which are starred, keyed by arXiv id.

    Every change runs in its own synced transaction, so a crash or a full disk leaves the
    database as it was before the change. Several processes may use one file at once
    (see :mod:`hotpapers_tui.library.sqlitestore` for how a damaged file is replaced
    without losing a change another process reported as saved).
    """

    def __init__(self, store: SQLiteStore, notice: str = "") -> None:
        self._store = store
        # The reader may touch marks from a worker thread as well as the UI thread.
        self._lock = store.lock
        self.path = store.path
        """The database file."""
        self.notice = notice or store.notice
        """A message for the user about opening (a damaged database moved aside), or empty."""

    @classmethod
    def open(cls, path: Path | None = None, *, readonly: bool = False) -> Marks:
        """Open (creating if needed) the marks database; raises MarksError when it cannot.

        A file that is not a readable SQLite database is renamed aside and a new one
        started; ``notice`` then says where the old file went. Where the file or its
        folder cannot be written (or with ``readonly``) the marks open for reading only:
        see :attr:`readonly`.
        """
        return cls(SQLiteStore.open(path or default_path(), KIND, SCHEMA, readonly=readonly))

    @property
    def readonly(self) -> bool:
        """True when the marks can be read but not changed (a read-only file or folder); changes raise MarksError."""
        return self._store.readonly

    @property
    def _conn(self) -> sqlite3.Connection:
        return self._store.conn

    def close(self) -> None:
        """Close the database; further calls raise MarksError."""
        self._store.close()

    def __enter__(self) -> Marks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._store.write() as conn:
            yield conn

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        return self._store.read(sql, params)

    def is_read(self, arxiv_id: str) -> bool:
        """Whether the paper is marked read."""
        return bool(self._read(_FLAG_SQL["read"], (storable_text(arxiv_id),)))

    def is_starred(self, arxiv_id: str) -> bool:
        """Whether the paper is starred."""
        return bool(self._read(_FLAG_SQL["starred"], (storable_text(arxiv_id),)))

    def set_read(self, arxiv_id: str, read: bool = True) -> None:
        """Mark the paper read or unread."""
        with self._write() as conn:
            _store_read(conn, storable_text(arxiv_id), read)

    def toggle_read(self, arxiv_id: str) -> bool:
        """Flip the read mark (read and write in one transaction); returns the new state."""
        key = storable_text(arxiv_id)
        with self._write() as conn:
            new = conn.execute(_FLAG_SQL["read"], (key,)).fetchone() is None
            _store_read(conn, key, new)
        return new

    def set_starred(self, paper: Citable | str, starred: bool = True, *, listed: date | None = None) -> None:
        """Star or unstar a paper (a Paper, an indexed paper, or an id alone).

        Starring a paper object keeps its title, authors, categories, link and ``listed``
        day so the starred list and BibTeX need no network later.
        """
        with self._write() as conn:
            _store_star(conn, paper, starred, listed)

    def toggle_star(self, paper: Citable | str, *, listed: date | None = None) -> bool:
        """Flip the star (read and write in one transaction); returns the new state.

        See :meth:`set_starred` for what is kept.
        """
        key = storable_text(paper if isinstance(paper, str) else paper.arxiv_id)
        with self._write() as conn:
            new = conn.execute(_FLAG_SQL["starred"], (key,)).fetchone() is None
            _store_star(conn, paper, new, listed)
        return new

    def read_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` marked read."""
        wanted = list(dict.fromkeys(storable_text(i) for i in ids))
        found: set[str] = set()
        # Chunks stay under SQLite's limit on bound parameters.
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._read(f"SELECT arxiv_id FROM marks WHERE read = 1 AND arxiv_id IN ({marks})", chunk)
            found.update(r[0] for r in rows)
        return found

    def unread_count(self, ids: Iterable[str]) -> int:
        """How many of ``ids`` (duplicates counted once) are not marked read: the header's unread count."""
        unique = set(ids)
        return len(unique) - len(self.read_ids(unique))

    def snapshot(self) -> MarkSet:
        """All read and starred ids at once, for filtering many papers without a query each."""
        read = frozenset(r[0] for r in self._read("SELECT arxiv_id FROM marks WHERE read = 1"))
        starred = frozenset(r[0] for r in self._read("SELECT arxiv_id FROM marks WHERE starred = 1"))
        return MarkSet(read, starred)

    def starred(self) -> list[StarredPaper]:
        """The starred papers, most recently starred first."""
        rows = self._read(
            "SELECT arxiv_id, title, authors, categories, abs_url, listed, starred_at FROM marks "
            "WHERE starred = 1 ORDER BY starred_at DESC, arxiv_id"
        )
        return [
            StarredPaper(
                arxiv_id=row[0],
                title=row[1],
                authors=tuple(_json_list(row[2])),
                categories=tuple(_json_list(row[3])),
                abs_url=row[4] or f"https://arxiv.org/abs/{row[0]}",
                listed=_parse_date(row[5]),
                starred_at=_parse_datetime(row[6]),
            )
            for row in rows
        ]

    # -- for the reader: one day's marks, changes by others, a day at once ------------

    def marks_for(self, ids: Iterable[str]) -> MarkSet:
        """The read and starred marks of ``ids`` alone (one day's papers), in one query per 500 ids."""
        wanted = list(dict.fromkeys(storable_text(i) for i in ids))
        read: set[str] = set()
        starred: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for arxiv_id, is_read, is_starred in self._read(
                f"SELECT arxiv_id, read, starred FROM marks WHERE arxiv_id IN ({marks})", chunk
            ):
                if is_read:
                    read.add(arxiv_id)
                if is_starred:
                    starred.add(arxiv_id)
        return MarkSet(frozenset(read), frozenset(starred))

    def data_version(self) -> int:
        """A number that changes when another connection (the CLI, a second reader) commits to the marks.

        SQLite's ``PRAGMA data_version``: it costs no disk read, and this connection's own
        writes leave it unchanged, so polling it finds exactly the changes made elsewhere.
        """
        rows = self._read("PRAGMA data_version")
        return int(rows[0][0]) if rows else 0

    def set_read_many(self, ids: Iterable[str], read: bool = True) -> list[str]:
        """Mark all of ``ids`` read (or unread) in one transaction; returns those whose mark changed, for an undo."""
        wanted = list(dict.fromkeys(storable_text(i) for i in ids))
        changed: list[str] = []
        with self._write() as conn:
            for key in wanted:
                if (conn.execute(_FLAG_SQL["read"], (key,)).fetchone() is not None) != read:
                    _store_read(conn, key, read)
                    changed.append(key)
        return changed


_FLAG_SQL = {
    "read": "SELECT 1 FROM marks WHERE arxiv_id = ? AND read = 1",
    "starred": "SELECT 1 FROM marks WHERE arxiv_id = ? AND starred = 1",
}


def _store_read(conn: sqlite3.Connection, key: str, read: bool) -> None:
    conn.execute(
        "INSERT INTO marks (arxiv_id, read, read_at) VALUES (?, ?, ?) "
        "ON CONFLICT (arxiv_id) DO UPDATE SET read = excluded.read, read_at = excluded.read_at",
        (key, int(read), _now() if read else None),
    )


def _store_star(conn: sqlite3.Connection, paper: Citable | str, starred: bool, listed: date | None) -> None:
    key = storable_text(paper if isinstance(paper, str) else paper.arxiv_id)
    conn.execute(
        "INSERT INTO marks (arxiv_id, starred, starred_at) VALUES (?, ?, ?) "
        "ON CONFLICT (arxiv_id) DO UPDATE SET starred = excluded.starred, starred_at = excluded.starred_at",
        (key, int(starred), _now() if starred else None),
    )
    if not isinstance(paper, str) and starred:
        conn.execute(
            "UPDATE marks SET title = ?, authors = ?, categories = ?, abs_url = ?, "
            "listed = COALESCE(listed, ?) WHERE arxiv_id = ?",
            (
                storable_text(paper.title),
                json.dumps([storable_text(a) for a in paper.authors]),
                json.dumps([storable_text(c) for c in paper.categories]),
                storable_text(paper.abs_url),
                listed.isoformat() if listed else None,
                key,
            ),
        )


def _json_list(text: str) -> list[str]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _parse_datetime(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
