"""One SQLite file as a store: opening it (read-only when it must), its schema version, write transactions, damage.

The marks and the search index are each one such file. Several processes may open one
file at once (the reader, a ``star`` from another terminal), so everything that could
lose a write is coordinated through an OS lock (``flock``) on a sibling ``NAME.lock``
file that is never moved:

- every read and every write transaction holds the lock shared, and first checks that the
  file the connection holds is still the one at the path (device and inode); if it was
  replaced, the connection is dropped and the live file opened before going on;
- replacing the file (moving a damaged one aside, or deleting a damaged cache) and
  rebuilding its tables for a new schema happen only under the lock held exclusively,
  after checking again under that lock, so it happens once, and never while another
  process is between its check and its write.

Stores use SQLite's rollback journal rather than WAL: a connection left holding a file
that was moved aside would, on closing, delete the ``-wal`` and ``-shm`` files by name,
and by then those names belong to the new file and hold its latest writes.

A folder or file that cannot be written is opened read-only: reads work, and every write
raises the store's error saying why. Folders the store creates are made user-only (0700),
and its files 0600.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

LOCK_TIMEOUT = 10.0
"""Seconds to wait for the lock file before giving up with "locked; try again"."""

BUSY_TIMEOUT = 10.0
"""Seconds SQLite itself waits on a locked database (its busy handler)."""

_SIDE_SUFFIXES = ("-journal", "-wal", "-shm")


class StoreError(Exception):
    """A store could not be opened, read or written; the message names the file and why."""


@dataclass(frozen=True, slots=True)
class StoreKind:
    """What a store is called in its messages, and how it treats damage and durability."""

    name: str
    """What it is, for "cannot open/read NAME" (``the marks``)."""
    label: str
    """What it is, for "LABEL was damaged" (``the marks database``)."""
    write_action: str
    """What a write does, for "cannot ACTION" (``save the mark``)."""
    folder: str
    """The folder it lives in, for "cannot create the FOLDER" (``data folder``)."""
    error: type[StoreError]
    """The error raised for this store."""
    keep_damaged: bool
    """True: a damaged file is renamed ``NAME.corrupt-TIMESTAMP``; False (a cache): it is deleted."""
    synchronous: str = "FULL"
    """SQLite's ``synchronous`` setting: FULL for data that cannot be rebuilt."""
    journal: str = "delete"
    """SQLite's rollback ``journal_mode`` (``delete``, ``truncate`` or ``persist``; never WAL, see above)."""


@dataclass(frozen=True, slots=True)
class Schema:
    """The layout a store's code expects, recorded in SQLite's ``user_version``."""

    version: int
    """The version this code reads and writes (1 or more)."""
    create: str
    """SQL building every table of ``version`` in a new (version 0) file."""
    upgrades: Mapping[int, str] = field(default_factory=dict)
    """SQL taking a file of version N to N + 1, for each older version still upgradable."""
    disposable: bool = False
    """A cache: a file of any other version, or one ``fits`` refuses, is emptied and built afresh."""
    drop: str = ""
    """For a disposable store, SQL dropping every table before it is built afresh."""
    fits: Callable[[sqlite3.Connection], bool] | None = None
    """An extra check of the layout (e.g. an optional table present), for a disposable store."""

    def needs_work(self, conn: sqlite3.Connection) -> bool:
        """Whether the file must be created, upgraded or rebuilt before use."""
        version = _user_version(conn)
        if version == self.version:
            return self.fits is not None and not self.fits(conn)
        if version > self.version and not self.disposable:
            raise sqlite3.OperationalError(f"written by a newer version (schema {version})")
        return True

    def script(self, conn: sqlite3.Connection) -> str:
        """The SQL bringing the file to this version (run in one transaction)."""
        version = _user_version(conn)
        if self.disposable:
            if version == self.version and (self.fits is None or self.fits(conn)):
                return ""
            return self.drop + self.create
        if version == 0:
            return self.create
        steps = []
        for old in range(version, self.version):
            if old not in self.upgrades:
                raise sqlite3.OperationalError(f"schema {version} is too old to upgrade")
            steps.append(self.upgrades[old])
        return "".join(steps)


class _Damaged(Exception):
    """The file at the path is not a usable SQLite database."""


READ_ONLY = "the file or its folder is read-only"


def describe(exc: sqlite3.Error) -> str:
    """An SQLite error in words for the user."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return READ_ONLY
    if "disk is full" in text or "disk I/O" in text:
        return f"cannot write ({text}); nothing was changed"
    if "locked" in text or "busy" in text:
        return "another program holds the database locked; try again"
    return text


def looks_corrupt(exc: sqlite3.Error) -> bool:
    """Whether an SQLite error means the file's content is damaged (as opposed to locked, missing or read-only)."""
    text = str(exc)
    return any(s in text for s in ("not a database", "malformed", "corrupt", "encrypted"))


def key_param(text: str) -> str | bytes:
    """A key as SQLite can store it without loss: the text itself, or its bytes when it holds lone surrogates.

    A folder name that is not UTF-8 reaches Python as a str with surrogate escapes, which
    SQLite's text cannot hold. Such a key is stored as a BLOB of its UTF-8 bytes with the
    surrogates kept (``surrogatepass``), which decodes back to the same str. SQLite never
    finds a BLOB equal to a TEXT value, so such keys cannot collide with ordinary ones.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")
    return text


def key_from_param(value: str | bytes) -> str:
    """The key :func:`key_param` stored."""
    return value.decode("utf-8", "surrogatepass") if isinstance(value, bytes) else value


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each user-only (0700); existing folders are left as they are."""
    missing: list[Path] = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for level in reversed(missing):
        with contextlib.suppress(FileExistsError):
            level.mkdir(mode=0o700)
            # mkdir's mode passes through the umask.
            os.chmod(level, 0o700)
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _folder_writable(path: Path) -> bool:
    """Whether the folder of a store at ``path`` can take new files (its journal, its lock file)."""
    return os.access(path.parent, os.W_OK | os.X_OK, effective_ids=os.access in os.supports_effective_ids)


def _writable(path: Path) -> bool:
    """Whether a store at ``path`` can be written: its folder can take new files and the file (if any) is writable.

    Ask with the store's lock held, so that the file is not being replaced meanwhile.
    """
    if not _folder_writable(path):
        return False
    return not os.path.lexists(path) or os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids)


def _ro_uri(path: Path, *, immutable: bool = False) -> str:
    quoted = urllib.parse.quote(os.fsencode(path.absolute()))
    return f"file:{quoted}?mode=ro" + ("&immutable=1" if immutable else "")


class FileLock:
    """An OS lock (``flock``) on a store's sibling ``NAME.lock`` file: shared to use the store, exclusive to replace it.

    Re-entrant within one holder (the store's thread lock serialises its users); the
    lock file is opened once and kept. When it cannot be opened (a read-only folder
    without one), locking is skipped: nothing can replace a file there anyway.
    """

    def __init__(self, path: Path, *, create: bool) -> None:
        self.path = path
        """The lock file."""
        self._fd: int | None = None
        self._depth = 0
        self._mode = 0
        flags = os.O_RDWR | os.O_CREAT if create else os.O_RDONLY
        with contextlib.suppress(OSError):
            self._fd = os.open(path, flags | os.O_NOFOLLOW, 0o600)

    @property
    def active(self) -> bool:
        """Whether the lock file is open (locking is in effect)."""
        return self._fd is not None

    @contextlib.contextmanager
    def hold(self, exclusive: bool = False) -> Iterator[None]:
        """Hold the lock (shared or exclusive) for the block; raises TimeoutError after :data:`LOCK_TIMEOUT`."""
        if self._fd is None:
            yield
            return
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        outer_mode = self._mode
        if self._depth == 0 or (mode == fcntl.LOCK_EX and outer_mode == fcntl.LOCK_SH):
            self._acquire(mode)
            self._mode = mode
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
                self._mode = 0
            elif self._mode != outer_mode:
                fcntl.flock(self._fd, outer_mode)
                self._mode = outer_mode

    def _acquire(self, mode: int) -> None:
        assert self._fd is not None
        deadline = time.monotonic() + LOCK_TIMEOUT
        pause = 0.001
        while True:
            try:
                fcntl.flock(self._fd, mode | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"{self.path} stayed locked for {LOCK_TIMEOUT:.0f} s") from None
                time.sleep(pause)
                pause = min(pause * 2, 0.05)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class SQLiteStore:
    """One open store file: a connection, the lock that guards replacing the file, and the transaction helpers.

    One instance may be shared by threads: every use holds :attr:`lock`.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        kind: StoreKind,
        schema: Schema,
        *,
        file_lock: FileLock,
        identity: tuple[int, int] | None,
        readonly: bool,
        notice: str = "",
    ) -> None:
        self._conn = conn
        self._file_lock = file_lock
        self._identity = identity
        self._schema = schema
        self.path = path
        """The database file."""
        self.kind = kind
        """What the store is called and how it treats damage."""
        self.readonly = readonly
        """True when the file or its folder cannot be written: reads work, writes raise."""
        self.notice = notice
        """A message for the user about the last opening (a damaged file moved aside), or empty."""
        self.lock = threading.RLock()
        """Held by every use of the connection (threads share one store)."""

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection to the live file (hold :attr:`lock` while using it)."""
        return self._conn

    # -- opening ---------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, kind: StoreKind, schema: Schema, *, readonly: bool = False) -> SQLiteStore:
        """Open (creating if needed) the store at ``path``; raises ``kind.error`` when it cannot.

        ``readonly`` opens it for reading only; so does a folder or file that cannot be
        written. A damaged file is moved aside (or deleted, for a cache) and a new one
        started; :attr:`notice` then says so.
        """
        error = kind.error
        path = path.expanduser()
        if not readonly:
            try:
                make_private_folder(path.parent)
            except PermissionError:
                readonly = True
            except OSError as exc:
                raise error(f"{path.parent}: cannot create the {kind.folder} ({exc.strerror or exc})") from None
        file_lock = FileLock(path.with_name(path.name + ".lock"), create=not readonly and _folder_writable(path))
        try:
            # Asked under the lock: another process may be moving a damaged file aside at this moment.
            with file_lock.hold():
                writable = not readonly and _writable(path)
                return cls._open_with(path, kind, schema, file_lock, writable=writable)
        except BaseException as exc:
            file_lock.close()
            if isinstance(exc, OSError):
                raise error(f"{path}: cannot open {kind.name} ({_os_reason(exc)})") from None
            raise

    @classmethod
    def _open_with(
        cls, path: Path, kind: StoreKind, schema: Schema, file_lock: FileLock, *, writable: bool
    ) -> SQLiteStore:
        if writable:
            try:
                conn, identity, notice = _open_writable(path, kind, schema, file_lock)
            except sqlite3.OperationalError as exc:
                # Permissions os.access cannot see (a read-only mount, ACLs): read what is there.
                if describe(exc) != READ_ONLY:
                    raise kind.error(f"{path}: cannot open {kind.name} ({describe(exc)})") from None
            else:
                return cls(
                    conn, path, kind, schema, file_lock=file_lock, identity=identity, readonly=False, notice=notice
                )
        conn, identity = _open_readonly(path, kind, schema, file_lock)
        return cls(conn, path, kind, schema, file_lock=file_lock, identity=identity, readonly=True)

    def close(self) -> None:
        """Close the store; further use raises the store's error."""
        with self.lock:
            # No identity: a closed store must not come back to life by following a replaced file.
            self._identity = None
            self._conn.close()
            self._file_lock.close()

    def _follow_live_file(self) -> None:
        """If the file was replaced since it was opened (moved aside by another process), open the live one.

        Called with the file lock held, so the file cannot be replaced between this check
        and the read or write that follows.
        """
        if self._identity is None or _identity(self.path) == self._identity:
            return
        # The old connection is only closed: in rollback-journal mode that touches no file by name.
        self._conn.close()
        if self.readonly:
            self._conn, self._identity = _open_readonly(self.path, self.kind, self._schema, self._file_lock)
        else:
            self._conn, self._identity, self.notice = _open_writable(
                self.path, self.kind, self._schema, self._file_lock
            )

    # -- using -----------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction on the live file (``BEGIN IMMEDIATE`` ... ``COMMIT``), rolled back on any error.

        SQLite and OS errors become the store's error ("cannot ACTION (why)"); others pass through.
        """
        kind = self.kind
        with self.lock:
            if self.readonly:
                raise kind.error(f"{self.path}: cannot {kind.write_action} ({READ_ONLY})")
            try:
                with self._file_lock.hold():
                    self._follow_live_file()
                    conn = self._conn
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        yield conn
                    except BaseException:
                        conn.execute("ROLLBACK")
                        raise
                    conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                raise kind.error(f"{self.path}: cannot {kind.write_action} ({describe(exc)})") from None
            except OSError as exc:
                raise kind.error(f"{self.path}: cannot {kind.write_action} ({_os_reason(exc)})") from None

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """All rows of one query on the live file."""
        with self.lock:
            try:
                with self._file_lock.hold():
                    self._follow_live_file()
                    return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise self.kind.error(f"{self.path}: cannot read {self.kind.name} ({describe(exc)})") from None
            except OSError as exc:
                raise self.kind.error(f"{self.path}: cannot read {self.kind.name} ({_os_reason(exc)})") from None


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, TimeoutError):
        return f"another program holds it locked: {exc}"
    return exc.strerror or str(exc)


def _connect(path: Path, kind: StoreKind) -> sqlite3.Connection:
    if not path.exists():
        # SQLite would create it 0644; the store is the user's alone.
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    else:
        with contextlib.suppress(OSError):
            st = os.stat(path)
            if st.st_uid == os.geteuid() and st.st_mode & 0o077:
                os.chmod(path, 0o600)
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)


def _check(conn: sqlite3.Connection) -> None:
    """Raise _Damaged if the file is not a sound SQLite database."""
    try:
        # quick_check reads every page, so damage anywhere is caught now rather than mid-session.
        row = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and not looks_corrupt(exc):
            raise
        raise _Damaged(str(exc)) from None
    if row is None or row[0] != "ok":
        raise _Damaged(f"database disk image is malformed ({row[0] if row else 'no answer'})")


def _close_quietly(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
    conn.close()


def _attempt(path: Path, kind: StoreKind, schema: Schema, *, may_change: bool) -> tuple[sqlite3.Connection, bool]:
    """Connect and check the file; returns the connection and whether it still needs its schema built or upgraded.

    With ``may_change`` (the exclusive lock held) the journal mode is set and the schema
    brought up to date here. Raises _Damaged, or sqlite3 errors for other failures.
    """
    conn = _connect(path, kind)
    try:
        _check(conn)
        pending = schema.needs_work(conn)
        if may_change:
            # Rollback journal, not WAL (see the module docstring); converts files written in WAL mode.
            with contextlib.suppress(sqlite3.OperationalError):
                conn.execute(f"PRAGMA journal_mode={kind.journal}")
            if pending:
                script = schema.script(conn)
                conn.executescript(f"BEGIN IMMEDIATE;{script}PRAGMA user_version={schema.version};COMMIT;")
                pending = False
        conn.execute(f"PRAGMA synchronous={kind.synchronous}")
    except BaseException:
        _close_quietly(conn)
        raise
    return conn, pending


def _open_writable(
    path: Path, kind: StoreKind, schema: Schema, file_lock: FileLock
) -> tuple[sqlite3.Connection, tuple[int, int] | None, str]:
    """Open the live file for writing; damage and schema work happen once, under the exclusive lock."""
    with file_lock.hold():
        try:
            conn, pending = _attempt(path, kind, schema, may_change=False)
        except _Damaged:
            pending = True
        else:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if not pending and mode == kind.journal:
                return conn, _identity(path), ""
            _close_quietly(conn)
    notice = ""
    with file_lock.hold(exclusive=True):
        # Looked at again under the exclusive lock: another process may have repaired or upgraded it meanwhile.
        try:
            conn, _ = _attempt(path, kind, schema, may_change=True)
        except _Damaged:
            notice = _replace_damaged(path, kind)
            try:
                conn, _ = _attempt(path, kind, schema, may_change=True)
            except _Damaged as exc:
                raise kind.error(f"{path}: cannot open {kind.name} ({exc})") from None
        return conn, _identity(path), notice


def _replace_damaged(path: Path, kind: StoreKind) -> str:
    """Move the damaged file (and its journals) aside or delete it; the notice for the user. Exclusive lock held."""
    if not kind.keep_damaged:
        for suffix in ("", *_SIDE_SUFFIXES):
            try:
                os.remove(f"{path}{suffix}")
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise kind.error(f"{path}: {kind.label} is damaged and cannot be deleted ({exc.strerror})") from None
        return f"{kind.label} was damaged and has been started afresh"
    try:
        moved = _move_aside(path)
    except OSError as exc:
        raise kind.error(f"{path}: {kind.label} is damaged and cannot be moved aside ({exc.strerror})") from None
    return f"{kind.label} was damaged; it was moved to {moved.name} and a new one started"


def _move_aside(path: Path) -> Path:
    """Rename a damaged database (and its journal files) to ``NAME.corrupt-TIMESTAMP``."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while any(os.path.lexists(f"{target}{suffix}") for suffix in ("", *_SIDE_SUFFIXES)):
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    path.rename(target)
    for suffix in _SIDE_SUFFIXES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            with contextlib.suppress(OSError):
                side.rename(target.with_name(target.name + suffix))
    return target


def _open_readonly(
    path: Path, kind: StoreKind, schema: Schema, file_lock: FileLock
) -> tuple[sqlite3.Connection, tuple[int, int] | None]:
    """Open the file for reading only; a missing file reads as an empty store."""
    error = kind.error
    with file_lock.hold():
        if not path.exists():
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            conn.executescript(f"BEGIN;{schema.create}PRAGMA user_version={schema.version};COMMIT;")
            return conn, None
        try:
            conn = sqlite3.connect(_ro_uri(path), uri=True, isolation_level=None, check_same_thread=False)
            try:
                conn.execute("PRAGMA user_version").fetchone()
            except sqlite3.OperationalError:
                conn.close()
                # A WAL-mode file needs its -shm file, which a read-only folder cannot get; nobody can
                # write there either, so reading it as unchanging is sound.
                conn = sqlite3.connect(
                    _ro_uri(path, immutable=True), uri=True, isolation_level=None, check_same_thread=False
                )
            conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
        except sqlite3.Error as exc:
            raise error(f"{path}: cannot open {kind.name} ({describe(exc)})") from None
        try:
            _check(conn)
            pending = _user_version(conn) == 0 or schema.needs_work(conn)
        except _Damaged as exc:
            _close_quietly(conn)
            raise error(f"{path}: {kind.label} is damaged, and its folder is read-only ({exc})") from None
        except sqlite3.Error as exc:
            _close_quietly(conn)
            raise error(f"{path}: cannot open {kind.name} ({describe(exc)})") from None
        if pending:
            version = _user_version(conn)
            _close_quietly(conn)
            if version != 0:
                raise error(f"{path}: cannot open {kind.name} (schema {version} needs an upgrade, and it is read-only)")
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            conn.executescript(f"BEGIN;{schema.create}PRAGMA user_version={schema.version};COMMIT;")
            return conn, None
        return conn, _identity(path)
