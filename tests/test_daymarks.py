"""DayMarks: each day's marks kept, the user's changes shown at once and written in order off the caller's thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from hotpapers_tui.daymarks import Change, DayMarks
from hotpapers_tui.library.marks import Marks, MarkSet


@pytest.fixture
def store(tmp_path: Path) -> DayMarks:
    return DayMarks(Marks.open(tmp_path / "marks.sqlite3"))


def test_a_day_seen_before_asks_the_store_nothing(store: DayMarks, monkeypatch: pytest.MonkeyPatch) -> None:
    store.marks.set_read("a")
    first = store.lookup("2024-01-01", ["a", "b"])
    assert first.read == {"a"}
    calls: list[object] = []
    monkeypatch.setattr(store.marks, "marks_for", lambda ids: calls.append(ids) or MarkSet(frozenset(), frozenset()))
    assert store.lookup("2024-01-01", ["b", "a"]) is first
    assert calls == []
    # The same day with other papers (a day loaded again) is read again.
    store.lookup("2024-01-01", ["a", "b", "c"])
    assert len(calls) == 1
    store.close()


def test_a_change_shows_at_once_in_every_day_that_lists_the_paper_and_reaches_the_store(store: DayMarks) -> None:
    store.lookup("d1", ["a", "b"])
    store.lookup("d2", ["a", "c"])
    change, written = store.change(["a"], lambda marks: marks.set_read_many(["a"], True), read=True)
    assert store.lookup("d1", ["a", "b"]).read == {"a"}
    assert store.lookup("d2", ["a", "c"]).read == {"a"}
    assert written.result(timeout=10) == ["a"]
    store.written(change)
    assert store.pending == 0
    assert store.marks.is_read("a")
    store.close()


def test_writes_run_in_the_order_they_were_asked_for_and_off_the_callers_thread(store: DayMarks) -> None:
    threads: set[int] = set()

    def flip(read: bool) -> object:
        def job(marks: Marks) -> object:
            threads.add(threading.get_ident())
            return marks.set_read_many(["a"], read)

        return job

    futures = [store.change(["a"], flip(n % 2 == 0), read=n % 2 == 0)[1] for n in range(9)]
    for future in futures:
        future.result(timeout=10)
    assert store.marks.is_read("a"), "the last of nine alternating changes (read) wins"
    assert threading.get_ident() not in threads and len(threads) == 1
    store.close()


def test_marks_read_before_a_pending_write_are_shown_with_it(store: DayMarks) -> None:
    gate = threading.Event()
    store.submit(lambda marks: gate.wait(10))  # the store's thread is busy: the write below waits
    change, written = store.change(["a"], lambda marks: marks.set_starred("a"), starred=True)
    # Read from the store (another program changed it) while the star is not written yet.
    stale = store.marks.marks_for(["a", "b"])
    assert stale.starred == frozenset()
    store.forget()
    assert store.keep("d1", ["a", "b"], stale).starred == {"a"}, "the user's star is not undone by the older read"
    gate.set()
    written.result(timeout=10)
    store.written(change)
    assert store.keep("d1", ["a", "b"], store.marks.marks_for(["a", "b"])).starred == {"a"}
    store.close()


def test_close_finishes_the_writes_still_queued(tmp_path: Path) -> None:
    path = tmp_path / "marks.sqlite3"
    store = DayMarks(Marks.open(path))
    for n in range(5):
        store.change([f"p{n}"], lambda marks, n=n: marks.set_read(f"p{n}"), read=True)
    store.close()
    with Marks.open(path) as marks:
        assert marks.read_ids([f"p{n}" for n in range(5)]) == {f"p{n}" for n in range(5)}


def test_a_change_undone_in_memory() -> None:
    marks = MarkSet(frozenset({"a", "b"}), frozenset({"b"}))
    assert Change(frozenset({"a"}), read=False).applied(marks) == MarkSet(frozenset({"b"}), frozenset({"b"}))
    assert Change(frozenset({"c"}), starred=True).applied(marks).starred == {"b", "c"}
    assert Change(frozenset({"a"})).applied(marks) == marks
