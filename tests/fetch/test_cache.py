"""The answer cache keeps bytes and JSON only: a row crafted to unpickle runs nothing."""

from __future__ import annotations

import os
import pickle
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import diskcache
import pytest

from hotpapers_tui.fetch.api import Freshness
from hotpapers_tui.fetch.cache import AnswerCache, CachedAnswer, SafeDisk, UnsafeCacheRow

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


class RunsCode:
    """Unpickling this writes a marker file: the attack a tampered cache would carry."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def answer(body: bytes, kind: Freshness = Freshness.FOREVER) -> CachedAnswer:
    return CachedAnswer("https://example.org/x", 200, WHEN, kind, body)


def tamper(directory: Path, key: str, payload: bytes) -> None:
    """Rewrite a row as diskcache would store a pickled value."""
    with sqlite3.connect(directory / "cache.db") as db:
        changed = db.execute(
            "UPDATE Cache SET mode = ?, value = ?, filename = NULL WHERE key = ?",
            (diskcache.core.MODE_PICKLE, sqlite3.Binary(payload), key),
        ).rowcount
    assert changed == 1


def test_round_trip_small_and_large(tmp_path: Path) -> None:
    cache = AnswerCache(tmp_path / "c")
    big = b"x" * 200_000  # stored in a file of its own by diskcache
    cache.put("a", answer(b'{"k": 1}', Freshness.LISTING))
    cache.put("b", answer(big))
    got_a, got_b = cache.get("a"), cache.get("b")
    assert got_a == answer(b'{"k": 1}', Freshness.LISTING)
    assert got_b is not None and got_b.body == big and got_b.fetched_at == WHEN
    assert cache.get("missing") is None
    assert cache.info().entries == {"listing": 1, "forever": 1}
    cache.close()


def test_cache_folder_is_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        cache = AnswerCache(tmp_path / "deep" / "cache")
        cache.put("a", answer(b"1"))
        cache.close()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "deep" / "cache").stat().st_mode) == 0o700


def test_crafted_pickle_row_runs_nothing(tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    marker = tmp_path / "marker"
    payload = pickle.dumps(RunsCode(marker))

    # The payload is a real attack: plain diskcache runs it on read.
    plain_dir = tmp_path / "plain"
    plain = diskcache.Cache(str(plain_dir))
    plain.set("k", b"harmless")
    plain.close()
    tamper(plain_dir, "k", payload)
    plain = diskcache.Cache(str(plain_dir))
    plain.get("k")
    plain.close()
    assert marker.read_text() == "ran"
    marker.unlink()

    cache = AnswerCache(directory)
    cache.put("k", answer(b"harmless"))
    cache.close()
    tamper(directory, "k", payload)
    cache = AnswerCache(directory)
    assert cache.get("k") is None  # refused, treated as a miss
    assert not marker.exists()
    assert cache.get("k") is None  # and the row is gone
    cache.put("k", answer(b"fresh"))
    got = cache.get("k")
    assert got is not None and got.body == b"fresh"
    cache.close()
    assert not marker.exists()


def test_safe_disk_refuses_pickled_keys_and_values(tmp_path: Path) -> None:
    disk = SafeDisk(str(tmp_path))
    with pytest.raises(UnsafeCacheRow):
        disk.get(pickle.dumps(("a", 1)), False)
    with pytest.raises(TypeError):
        disk.store({"not": "bytes"}, False)
    with pytest.raises(TypeError):
        disk.put(("tuple", "key"))
    with pytest.raises(UnsafeCacheRow):
        disk.fetch(diskcache.core.MODE_PICKLE, None, pickle.dumps(1), False)


def test_damaged_row_is_a_miss(tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    cache = AnswerCache(directory)
    cache.put("k", answer(b"ok"))
    cache.close()
    with sqlite3.connect(directory / "cache.db") as db:
        db.execute("UPDATE Cache SET value = ? WHERE key = 'k'", (sqlite3.Binary(b"no header at all"),))
    cache = AnswerCache(directory)
    assert cache.get("k") is None
    assert cache.clear() == 0
    cache.close()


def test_row_naming_a_file_outside_the_cache_reads_and_deletes_nothing(tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    cache = AnswerCache(directory)
    cache.put("k", answer(b"x" * 100_000))  # large: kept in a file of its own
    cache.close()
    with sqlite3.connect(directory / "cache.db") as db:
        db.execute("UPDATE Cache SET filename = '../victim.txt' WHERE key = 'k'")
    cache = AnswerCache(directory)
    assert cache.get("k") is None
    assert cache.clear() == 0
    cache.close()
    assert victim.read_text() == "keep me"
