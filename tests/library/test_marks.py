"""Read and starred marks: persistence, keys by id, transactions, and recovery from damage."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest

from hotpapers_tui.library.marks import Marks, MarksError, ReadPolicy, default_path
from tests.library.conftest import in_unprivileged_child, make_paper


def test_default_path_follows_data_dir_override(tmp_path: Path) -> None:
    assert default_path() == tmp_path / "data" / "marks.sqlite3"


def test_marks_survive_a_restart() -> None:
    paper = make_paper("2106.10934", "GRAND: Graph Neural Diffusion", authors=("B. Chamberlain", "M. Bronstein"))
    with Marks.open() as marks:
        assert marks.notice == ""
        assert marks.toggle_read("2106.10934") is True
        assert marks.toggle_star(paper, listed=dt.date(2021, 6, 22)) is True
        marks.set_read("2106.00001", True)
        marks.set_read("2106.00001", False)
    with Marks.open() as again:
        assert again.is_read("2106.10934")
        assert again.is_starred("2106.10934")
        assert not again.is_read("2106.00001")
        [starred] = again.starred()
    assert starred.arxiv_id == "2106.10934"
    assert starred.title == "GRAND: Graph Neural Diffusion"
    assert starred.authors == ("B. Chamberlain", "M. Bronstein")
    assert starred.categories == ("cs.LG",)
    assert starred.abs_url == "https://arxiv.org/abs/2106.10934"
    assert starred.listed == dt.date(2021, 6, 22)
    assert starred.starred_at is not None


def test_marks_are_keyed_by_id_whatever_the_day_or_feed() -> None:
    seen_monday = make_paper("2106.10934", "Title on Monday", retweets=5)
    seen_later = make_paper("2106.10934", "Title, revised, on another feed", retweets=900)
    with Marks.open() as marks:
        marks.set_starred(seen_monday, listed=dt.date(2021, 6, 21))
        marks.set_read(seen_monday.arxiv_id)
        assert marks.is_starred(seen_later.arxiv_id)
        assert marks.read_ids([seen_later.arxiv_id, "2106.99999"]) == {"2106.10934"}
        snapshot = marks.snapshot()
    assert snapshot.is_read("2106.10934") and snapshot.is_starred("2106.10934")
    assert not snapshot.is_read("2106.99999")


def test_toggles_flip_and_unstar_drops_from_the_list() -> None:
    with Marks.open() as marks:
        assert marks.toggle_star("2106.1") is True
        assert marks.toggle_star("2106.1") is False
        assert marks.starred() == []
        assert marks.toggle_read("2106.1") is True
        assert marks.toggle_read("2106.1") is False
        assert marks.read_ids(["2106.1"]) == set()


def test_read_ids_handles_more_ids_than_sqlite_parameters() -> None:
    ids = [f"2106.{n:05d}" for n in range(1500)]
    with Marks.open() as marks:
        for arxiv_id in ids[::300]:
            marks.set_read(arxiv_id)
        assert marks.read_ids(ids) == set(ids[::300])


def test_starring_by_id_alone_keeps_a_usable_record() -> None:
    with Marks.open() as marks:
        marks.set_starred("hep-th/9901001")
        [starred] = marks.starred()
    assert starred.title == ""
    assert starred.abs_url == "https://arxiv.org/abs/hep-th/9901001"


def test_junk_file_is_moved_aside_and_a_new_database_started(tmp_path: Path) -> None:
    path = tmp_path / "data" / "marks.sqlite3"
    path.parent.mkdir(parents=True)
    junk = os.urandom(4096) + b"not a database"
    path.write_bytes(junk)
    with Marks.open() as marks:
        assert "moved to marks.sqlite3.corrupt-" in marks.notice
        marks.set_read("2106.10934")
        assert marks.is_read("2106.10934")
    [aside] = list(path.parent.glob("marks.sqlite3.corrupt-*"))
    assert aside.read_bytes() == junk
    with Marks.open() as again:
        assert again.notice == ""
        assert again.is_read("2106.10934")


def test_damaged_pages_are_detected_not_served(tmp_path: Path) -> None:
    with Marks.open() as marks:
        for n in range(400):
            marks.set_starred(make_paper(f"2106.{n:05d}", "x" * 200))
        path = marks.path
    # Checkpoint the WAL into the main file, then trample the pages after the header page.
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    assert len(data) > 3 * 4096
    data[4096:] = b"\xff" * (len(data) - 4096)
    path.write_bytes(bytes(data))
    with Marks.open() as marks:
        assert "damaged" in marks.notice
        assert marks.starred() == []
    assert list(path.parent.glob("marks.sqlite3.corrupt-*"))


def test_full_disk_gives_a_clear_error_and_keeps_earlier_marks() -> None:
    with Marks.open() as marks:
        marks.set_read("2106.00001")
        pages = marks._conn.execute("PRAGMA page_count").fetchone()[0]
        # SQLite reports a capped database exactly as a full disk (SQLITE_FULL).
        marks._conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(MarksError, match="cannot save the mark"):
            for n in range(2000):
                marks.set_starred(make_paper(f"2107.{n:05d}", "y" * 500, abstract="z" * 500))
        assert marks.is_read("2106.00001")
    with Marks.open() as again:
        assert again.notice == ""
        assert again.is_read("2106.00001")
        count = again._conn.execute("PRAGMA integrity_check").fetchone()[0]
        assert count == "ok"


def _marks_in(folder: Path, journal: str) -> Path:
    """A marks file with one star and one read mark, in ``journal`` mode (earlier versions wrote WAL)."""
    path = folder / "marks.sqlite3"
    with Marks.open(path) as marks:
        marks.set_starred(make_paper("2106.00001", "Kept"))
        marks.set_read("2106.00002")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode={journal}")
    conn.close()
    return path


def _read_then_write(path: Path) -> dict[str, object]:
    with Marks.open(path) as marks:
        seen = {
            "readonly": marks.readonly,
            "starred": [p.title for p in marks.starred()],
            "read": sorted(marks.read_ids(["2106.00001", "2106.00002"])),
        }
        try:
            marks.set_read("2106.00003")
        except MarksError as exc:
            seen["write"] = str(exc)
    return seen


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_marks_in_a_read_only_folder_are_read_and_writes_refused(shared_tmp: Path, journal: str) -> None:
    folder = shared_tmp / "data"
    folder.mkdir()
    path = _marks_in(folder, journal)
    path.chmod(0o666)
    folder.chmod(0o555)
    seen = in_unprivileged_child(lambda: _read_then_write(path))
    assert seen == {
        "readonly": True,
        "starred": ["Kept"],
        "read": ["2106.00002"],
        "write": f"{path}: cannot save the mark (the file or its folder is read-only)",
    }
    folder.chmod(0o755)
    with Marks.open(path) as marks:
        assert not marks.readonly
        assert marks.read_ids(["2106.00002", "2106.00003"]) == {"2106.00002"}


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_read_only_marks_file_in_a_writable_folder_is_read_and_writes_refused(shared_tmp: Path) -> None:
    folder = shared_tmp / "data"
    folder.mkdir()
    path = _marks_in(folder, "delete")
    path.chmod(0o444)
    folder.chmod(0o777)
    seen = in_unprivileged_child(lambda: _read_then_write(path))
    assert seen["readonly"] is True and seen["starred"] == ["Kept"]
    assert seen["write"] == f"{path}: cannot save the mark (the file or its folder is read-only)"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_no_marks_and_a_folder_that_cannot_be_created_read_as_empty(shared_tmp: Path) -> None:
    shared_tmp.chmod(0o555)

    def work() -> dict[str, object]:
        with Marks.open(shared_tmp / "data" / "marks.sqlite3") as marks:
            seen: dict[str, object] = {"readonly": marks.readonly, "starred": len(marks.starred())}
            try:
                marks.set_starred("2106.00001")
            except MarksError as exc:
                seen["write"] = str(exc)
        return seen

    seen = in_unprivileged_child(work)
    assert seen["readonly"] is True and seen["starred"] == 0
    assert "cannot save the mark (the file or its folder is read-only)" in str(seen["write"])
    assert not (shared_tmp / "data").exists()


def test_a_file_where_the_folder_should_be_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    with pytest.raises(MarksError, match="cannot create the data folder"):
        Marks.open(blocker / "inner" / "marks.sqlite3")
    assert blocker.read_text() == "a file, not a folder"


def test_read_only_database_file_refuses_writes_without_damage(tmp_path: Path) -> None:
    path = tmp_path / "ro" / "marks.sqlite3"
    with Marks.open(path) as marks:
        marks.set_read("2106.00001")
    # Opened read-only on request, so the refusal does not depend on file permissions (tests may run as root).
    marks = Marks.open(path, readonly=True)
    assert marks.readonly
    with pytest.raises(MarksError, match="read-only"):
        marks.set_read("2106.00002")
    assert marks.is_read("2106.00001")
    marks.close()
    with Marks.open(path) as again:
        assert again.read_ids(["2106.00001", "2106.00002"]) == {"2106.00001"}


def test_text_sqlite_cannot_store_does_not_crash() -> None:
    paper = make_paper("2106.\ud800", "Title with a lone \udc00 surrogate", authors=("Bad \udcff Name",))
    with Marks.open() as marks:
        assert marks.toggle_star(paper) is True
        assert marks.toggle_read(paper.arxiv_id) is True
        assert marks.is_starred(paper.arxiv_id)
        assert marks.read_ids([paper.arxiv_id]) == {"2106.?"}
        [starred] = marks.starred()
    assert starred.title == "Title with a lone ? surrogate"
    assert starred.authors == ("Bad ? Name",)


def test_unread_count_for_the_header() -> None:
    with Marks.open() as marks:
        marks.set_read("a")
        assert marks.unread_count(["a", "b", "c", "b"]) == 2
        assert marks.unread_count([]) == 0


def test_read_policy_from_the_config_words() -> None:
    assert ReadPolicy() == ReadPolicy(after_shown=2.0, on_open=True)
    assert ReadPolicy.parse("shown") == ReadPolicy(after_shown=2.0, on_open=False)
    assert ReadPolicy.parse("shown:0.5") == ReadPolicy(after_shown=0.5, on_open=False)
    assert ReadPolicy.parse("opened") == ReadPolicy(after_shown=None, on_open=True)
    assert ReadPolicy.parse(" Shown:3 + opened ") == ReadPolicy(after_shown=3.0, on_open=True)
    assert ReadPolicy.parse("never") == ReadPolicy(after_shown=None, on_open=False)
    for bad in ("", "sometimes", "shown:soon", "shown:-1", "opened:2", "never+opened", "shown:nan"):
        with pytest.raises(ValueError, match=r"expected|seconds"):
            ReadPolicy.parse(bad)


def test_toggles_from_threads_and_two_connections_are_not_lost() -> None:
    import threading

    first, second = Marks.open(), Marks.open()
    states: list[bool] = []
    errors: list[BaseException] = []
    record = threading.Lock()
    start = threading.Barrier(5)
    try:

        def flip(marks: Marks) -> None:
            start.wait()
            for _ in range(40):
                # A thread's exception would only be a warning: every outcome is collected and asserted on.
                try:
                    state = marks.toggle_read("2106.00001")
                except BaseException as exc:
                    with record:
                        errors.append(exc)
                else:
                    with record:
                        states.append(state)

        workers = [threading.Thread(target=flip, args=(m,)) for m in (first, first, second, second, first)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert [repr(e) for e in errors] == []
        # 200 flips, each read-and-write in one transaction: they alternate, so 100 set the mark and 100 clear it.
        assert len(states) == 200
        assert (states.count(True), states.count(False)) == (100, 100)
        assert not first.is_read("2106.00001") and not second.is_read("2106.00001")
    finally:
        first.close()
        second.close()
