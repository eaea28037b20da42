"""No store of the project ever unpickles: a pickled row planted in any of them runs nothing and is dropped."""

from __future__ import annotations

import ast
import json
import pickle
import sqlite3
from datetime import timedelta
from pathlib import Path

import diskcache
import httpx
import pytest

import hotpapers_tui
from hotpapers_tui import paths
from hotpapers_tui.fetch.cache import AnswerCache, SafeDisk, UnsafeCacheRow
from hotpapers_tui.fetch.client import HttpFetcher, RetryPolicy
from hotpapers_tui.live.arxiv_meta import DiskMetaStore, PaperMeta
from hotpapers_tui.live.daystore import LiveDayStore
from hotpapers_tui.live.feed import DAYS_FOLDER, METADATA_FOLDER, open_live_feed
from tests.live.conftest import DAY, NOW, A, credentials, standard_world
from tests.live.fakes import BASE_URLS

PACKAGE = Path(hotpapers_tui.__file__).parent
DISKCACHE_STORES = {"diskcache.Cache", "diskcache.FanoutCache", "diskcache.Index", "diskcache.Deque"}


class RunsCode:
    """Unpickling this writes a marker file: the attack a tampered store would carry."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def test_every_diskcache_store_in_the_package_uses_the_pickle_free_disk() -> None:
    opened: list[str] = []
    for source in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                assert not {"pickle", "shelve", "dill", "cloudpickle"} & set(names), f"{source} imports a pickler"
                if isinstance(node, ast.ImportFrom) and node.module == "diskcache":
                    # ``from diskcache import Cache`` would hide a store from the check below.
                    assert not {"Cache", "FanoutCache", "Index", "Deque"} & set(names), source
            if isinstance(node, ast.Call) and _dotted(node.func) in DISKCACHE_STORES:
                disk = next((k.value for k in node.keywords if k.arg == "disk"), None)
                assert disk is not None and _dotted(disk) == "SafeDisk", (
                    f"{source}:{node.lineno} opens a pickling store"
                )
                opened.append(f"{source.relative_to(PACKAGE)}:{node.lineno}")
    # The answer cache and the arXiv metadata store; a new store must be added to the test below.
    assert [o.split(":")[0] for o in opened] == ["fetch/cache.py", "live/arxiv_meta.py"]


def _diskcache_folders(root: Path) -> set[Path]:
    return {db.parent for db in root.rglob("cache.db")}


def _plant(folder: Path, marker: Path) -> int:
    """Rewrite every row of a diskcache folder as a pickle that would run code; returns how many."""
    with diskcache.Cache(str(folder)) as cache:  # the default Disk: it writes pickles
        keys = list(cache.iterkeys())
        for key in keys:
            cache.set(key, RunsCode(marker))
    return len(keys)


def _pickled_rows(folder: Path) -> int:
    with sqlite3.connect(folder / "cache.db") as db:
        return int(db.execute("SELECT COUNT(*) FROM Cache WHERE mode = ?", (diskcache.core.MODE_PICKLE,)).fetchone()[0])


async def test_pickled_rows_in_every_store_of_a_live_day_run_nothing(tmp_path: Path) -> None:
    world = standard_world()

    def feed():  # type: ignore[no-untyped-def]
        fetcher = HttpFetcher(
            base_urls=BASE_URLS,
            cache=AnswerCache(paths.cache_dir()),
            retry=RetryPolicy(attempts=1),
            transport=httpx.MockTransport(world.handle),
        )
        return open_live_feed(fetcher, credentials(), now=lambda: NOW, max_age=timedelta(hours=1))

    first = feed()
    built = (await first.load(DAY)).day
    await first.aclose()
    cache = paths.cache_dir()
    folders = _diskcache_folders(cache)
    assert folders == {cache, cache / METADATA_FOLDER}  # every diskcache folder the live feed writes

    marker = tmp_path / "ran"
    planted = {folder: _plant(folder, marker) for folder in folders}
    assert all(planted.values()) and all(_pickled_rows(f) == n for f, n in planted.items())
    # A kept day of the live-days folder becomes a pickle too (it is JSON: refused as unreadable).
    for kept in (cache / DAYS_FOLDER).glob("*.json"):
        kept.write_bytes(pickle.dumps(RunsCode(marker)))

    second = feed()
    again = (await second.load(DAY, refresh=True)).day
    await second.aclose()
    assert not marker.exists()
    assert [p.arxiv_id for p in again.papers] == [p.arxiv_id for p in built.papers]
    assert all(_pickled_rows(f) == 0 for f in folders)  # each planted row was dropped (and fetched anew)


def test_the_metadata_store_refuses_a_pickled_row_for_a_paper(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    folder = tmp_path / METADATA_FOLDER
    with diskcache.Cache(str(folder)) as plain:
        plain.set(A, RunsCode(marker))
        plain.set("2611.00002", '{"not": "a record"}')
    store = DiskMetaStore(folder)
    assert store.get(A) is None and store.get("2611.00002") is None
    store.close()
    assert not marker.exists()
    with diskcache.Cache(str(folder)) as plain:
        assert A not in plain  # dropped, not kept to be tried again


def test_the_metadata_store_keeps_rows_written_before_as_json_text(tmp_path: Path) -> None:
    # Rows the store wrote when it used a plain diskcache.Cache: JSON text, read as before.
    folder = tmp_path / METADATA_FOLDER
    meta = PaperMeta(A, "T", ("Ada",), ("cs.LG",), "Abstract.", NOW)
    with diskcache.Cache(str(folder)) as plain:
        plain.set(A, json.dumps(meta.to_json()))
    store = DiskMetaStore(folder)
    assert store.get(A) == meta
    store.put(meta)
    assert store.get(A) == meta
    store.close()


def test_a_pickled_kept_day_is_not_a_day(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    store = LiveDayStore(tmp_path / DAYS_FOLDER)
    (tmp_path / DAYS_FOLDER).mkdir()
    (tmp_path / DAYS_FOLDER / f"{DAY.isoformat()}.json").write_bytes(pickle.dumps(RunsCode(marker)))
    assert store.get(DAY) is None and not marker.exists()


def test_an_unusable_metadata_folder_is_only_a_miss(tmp_path: Path) -> None:
    folder = tmp_path / METADATA_FOLDER
    folder.write_text("a file where the folder should be")
    store = DiskMetaStore(folder)
    store.put(PaperMeta(A, "T", ("Ada",), ("cs.LG",), "Abstract.", NOW))
    assert store.get(A) is None
    store.close()


def test_a_value_file_name_ending_in_a_newline_is_refused(tmp_path: Path) -> None:
    disk = SafeDisk(str(tmp_path))
    name = "0a/1b/" + "2" * 28 + ".val"
    with pytest.raises(UnsafeCacheRow, match="outside the cache"):
        disk.fetch(diskcache.core.MODE_BINARY, name + "\n", None, False)
