"""The answer cache on disk: diskcache rows of bytes and JSON only, never pickles."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import diskcache

from hotpapers_tui.fetch.api import Freshness


class UnsafeCacheRow(Exception):
    """A cache row that would need unpickling: refused, never loaded."""


_VALUE_FILE = re.compile(r"[0-9a-f]{2}[/\\][0-9a-f]{2}[/\\][0-9a-f]{28}\.val")
"""The only file names diskcache gives values; a row naming another path was tampered with.

Checked with fullmatch: ``$`` alone would also accept a name ending in a newline."""


class SafeDisk(diskcache.Disk):  # type: ignore[misc]
    """A diskcache Disk that stores str keys and bytes values only and refuses to unpickle.

    diskcache's own JSONDisk still unpickles any row whose mode says "pickle"; a cache
    file anyone could write to would then run their code. Here such rows are refused.
    """

    def put(self, key: Any) -> tuple[Any, bool]:
        if not isinstance(key, str):
            raise TypeError("cache keys are strings")
        return super().put(key)  # type: ignore[no-any-return]

    def get(self, key: Any, raw: bool) -> Any:
        if not raw:
            raise UnsafeCacheRow("cache key stored as a pickle")
        return super().get(key, raw)

    def store(self, value: Any, read: bool, key: Any = diskcache.core.UNKNOWN) -> Any:
        if read or not isinstance(value, bytes):
            raise TypeError("cache values are bytes")
        return super().store(value, read, key=key)

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        if mode not in (diskcache.core.MODE_RAW, diskcache.core.MODE_BINARY):
            raise UnsafeCacheRow(f"cache row of mode {mode} refused")
        if read:
            raise UnsafeCacheRow("cache rows are not read as files")
        if filename is not None and not _VALUE_FILE.fullmatch(filename):
            raise UnsafeCacheRow("cache row names a file outside the cache")
        return super().fetch(mode, filename, value, read)

    def remove(self, file_path: str) -> None:
        # diskcache deletes the named file and its empty parent folders: only ever its own.
        if _VALUE_FILE.fullmatch(file_path):
            super().remove(file_path)


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    """One answer as the cache keeps it."""

    url: str
    status: int
    fetched_at: datetime
    kind: Freshness
    body: bytes


def _pack(answer: CachedAnswer) -> bytes:
    header = {
        "url": answer.url,
        "status": answer.status,
        "fetched_at": answer.fetched_at.isoformat(),
        "kind": answer.kind.value,
    }
    return json.dumps(header, separators=(",", ":")).encode() + b"\n" + answer.body


def _unpack(data: bytes) -> CachedAnswer:
    head, sep, body = data.partition(b"\n")
    if not sep:
        raise ValueError("no header")
    header = json.loads(head)
    fetched_at = datetime.fromisoformat(header["fetched_at"])
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    return CachedAnswer(
        url=str(header["url"]),
        status=int(header["status"]),
        fetched_at=fetched_at,
        kind=Freshness(header["kind"]),
        body=body,
    )


@dataclass(frozen=True, slots=True)
class CacheInfo:
    """What ``cache info`` reports."""

    directory: Path
    size_bytes: int
    entries: dict[str, int]
    """Entry counts by kind (the Freshness value each was stored with)."""


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) so that only the user can enter the last folder."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    # mkdir's mode is filtered by the umask and ignored for an existing folder.
    os.chmod(path, 0o700)


class AnswerCache:
    """Answers by key, on disk, with the time they were fetched and what they mean."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        """The cache folder (mode 0700)."""
        self._cache: diskcache.Cache | None = None

    def _open(self) -> diskcache.Cache:
        if self._cache is None:
            make_private_dir(self.directory)
            self._cache = diskcache.Cache(str(self.directory), disk=SafeDisk, eviction_policy="none")
        return self._cache

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except (sqlite3.Error, OSError) as exc:
            raise CacheError(f"{self.directory}: cache unusable ({exc})") from exc

    def get(self, key: str) -> CachedAnswer | None:
        """The answer kept under ``key``, or None; a refused or damaged row is dropped and None."""
        with self._guard():
            cache = self._open()
            try:
                data = cache.get(key)
            except UnsafeCacheRow:
                cache.delete(key)
                return None
            if not isinstance(data, bytes):
                return None
            try:
                return _unpack(data)
            except (ValueError, KeyError, TypeError):
                cache.delete(key)
                return None

    def put(self, key: str, answer: CachedAnswer) -> None:
        with self._guard():
            self._open().set(key, _pack(answer), tag=answer.kind.value)

    def info(self) -> CacheInfo:
        with self._guard():
            cache = self._open()
            counts: dict[str, int] = {}
            # diskcache keeps the tag in its own column; counting there avoids reading every value.
            for tag, count in cache._sql("SELECT tag, COUNT(*) FROM Cache GROUP BY tag").fetchall():
                counts[str(tag)] = int(count)
            return CacheInfo(self.directory, int(cache.volume()), counts)

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        with self._guard():
            return int(self._open().clear())

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None


class CacheError(Exception):
    """The cache folder cannot be used; the message names it."""
