"""The reading-list commands: search, starred, star/unstar, read/unread."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sqlite3
from pathlib import Path

import bibtexparser
import pytest

from hotpapers_tui.cli import main
from hotpapers_tui.export import save_post
from hotpapers_tui.library.marks import Marks
from tests.library.conftest import in_unprivileged_child, make_day, make_paper


@pytest.fixture
def feed(tmp_path: Path) -> str:
    folder = tmp_path / "posts"
    folder.mkdir()
    days = [
        make_day("2021-06-21", make_paper("2106.00001", "Graph Neural Diffusion", authors=("Ben Chamberlain",))),
        make_day(
            "2021-06-22",
            make_paper("2106.00002", "Deep nets \x1b[2Jon tabular data", retweets=100),
            make_paper("2106.00001", "Graph Neural Diffusion", authors=("Ben Chamberlain",)),
        ),
    ]
    for day in days:
        save_post(day, folder / day.filename)
    return f"dir:{folder}"


def test_search_prints_date_rank_id_title_across_days(feed: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "graph", "diffusion", "--feed", feed]) == 0
    out, err = capsys.readouterr()
    rows = [line.split(None, 3) for line in out.splitlines()]
    assert rows == [
        ["2021-06-22", "2", "2106.00001", "Graph Neural Diffusion"],
        ["2021-06-21", "1", "2106.00001", "Graph Neural Diffusion"],
    ]
    assert "2 days indexed" in err
    assert main(["search", "tabular", "--feed", feed]) == 0
    out, err = capsys.readouterr()
    assert "\x1b" not in out and "2106.00002" in out
    assert "indexed" not in err  # nothing changed, nothing re-indexed


def test_search_reports_bad_queries_and_empty_results(feed: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "is:nonsense", "--feed", feed]) == 1
    assert "is:nonsense" in capsys.readouterr().err
    assert main(["search", "zebra", "--feed", feed]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "no papers match" in err
    assert main(["search", "graph", "--feed", "dir:/no/such/folder"]) == 1
    assert "not a folder" in capsys.readouterr().err


def test_star_read_and_starred_listing(feed: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["star", "arXiv:2106.00001v3", "--feed", feed]) == 0
    assert "starred 2106.00001" in capsys.readouterr().out
    assert main(["read", "https://arxiv.org/abs/2106.00002"]) == 0
    assert main(["search", "is:starred", "--feed", feed]) == 0
    assert [line.split()[2] for line in capsys.readouterr().out.splitlines()] == ["2106.00001", "2106.00001"]
    assert main(["search", "is:unread", "--feed", feed]) == 0
    assert "2106.00002" not in capsys.readouterr().out

    assert main(["starred"]) == 0
    out = capsys.readouterr().out
    assert out.split(None, 2) == ["2106.00001", "2021-06-22", "Graph Neural Diffusion\n"]

    assert main(["starred", "--bibtex"]) == 0
    library = bibtexparser.parse_string(capsys.readouterr().out)
    [entry] = library.entries
    assert entry.key == "chamberlain2021graph"
    assert entry.fields_dict["title"].value == "Graph Neural Diffusion"

    assert main(["unstar", "2106.00001"]) == 0
    assert main(["unread", "2106.00002"]) == 0
    with Marks.open() as marks:
        assert marks.starred() == []
        assert not marks.is_read("2106.00002")


def test_star_needs_a_known_paper_and_a_real_id(feed: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["star", "2106.99999", "--feed", feed]) == 1
    assert "not in any day" in capsys.readouterr().err
    assert main(["read", "../../etc/passwd"]) == 1
    assert "not an arXiv id" in capsys.readouterr().err


def test_a_corrupt_marks_file_is_reported_and_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "data" / "marks.sqlite3"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00garbage" * 100)
    assert main(["starred"]) == 0
    assert "damaged" in capsys.readouterr().err
    assert main(["read", "2106.00001"]) == 0
    with Marks.open() as marks:
        assert marks.is_read("2106.00001")


def test_undecodable_arguments_are_searched_not_fatal(feed: str, capsys: pytest.CaptureFixture[str]) -> None:
    # A byte that is not UTF-8 reaches argv as a lone surrogate.
    assert main(["search", "graph\udcff", "--feed", feed]) == 0
    assert "no papers match" in capsys.readouterr().err


def test_an_unreadable_post_is_left_out_not_fatal(feed: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "graph", "--feed", feed]) == 0
    capsys.readouterr()
    broken = Path(feed[4:]) / "2021-06-21---Hot-Papers.md"
    broken.write_text("this is not a post\n")
    assert main(["search", "graph", "--feed", feed]) == 0
    out, err = capsys.readouterr()
    assert "2021-06-21 left out of the search" in err
    assert [line.split()[0] for line in out.splitlines()] == ["2021-06-22"]  # the broken day's old entry is gone


def test_marks_do_not_need_the_search_index(
    feed: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("HOTPAPERS_CACHE_DIR", str(blocker))
    assert main(["star", "2106.00001", "--feed", feed]) == 0
    out, err = capsys.readouterr()
    assert out == "starred 2106.00001\n"
    [line] = err.splitlines()
    assert "search index is unavailable for titles" in line and str(blocker) in line
    assert main(["read", "2106.00001"]) == 0
    assert main(["starred"]) == 0
    assert capsys.readouterr().out.split() == ["2106.00001", "-", "(title", "not", "known)"]
    assert main(["unread", "2106.00001"]) == 0
    assert main(["unstar", "2106.00001"]) == 0
    assert capsys.readouterr() == ("", "")
    with Marks.open() as marks:
        assert marks.starred() == [] and not marks.is_read("2106.00001")
    assert blocker.read_text() == "not a folder"


def _posts_in(folder: Path, title: str) -> str:
    folder.mkdir()
    day = make_day("2021-06-22", make_paper("2106.00001", title, authors=("Ben Chamberlain",)))
    save_post(day, folder / day.filename)
    return f"dir:{folder}"


def test_folders_whose_names_are_not_utf8_are_searched_and_kept_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A byte that is not UTF-8 reaches Python as a surrogate escape; the second folder's name is
    # what a lossy conversion (U+FFFD) of the first would give, so a lossy key would mix them up.
    undecodable = _posts_in(tmp_path / os.fsdecode(b"posts\xff"), "Graph Neural Diffusion")
    lookalike = _posts_in(tmp_path / "posts\ufffd", "Graph Attention Networks")
    assert "\udcff" in undecodable
    for feed, title in ((undecodable, "Graph Neural Diffusion"), (lookalike, "Graph Attention Networks")):
        assert main(["search", "graph", "--feed", feed]) == 0
        out, err = capsys.readouterr()
        assert out.split(None, 3) == ["2021-06-22", "1", "2106.00001", title + "\n"]
        assert "1 days indexed" in err
    assert main(["search", "graph", "--feed", undecodable]) == 0
    assert "Neural Diffusion" in capsys.readouterr().out
    assert main(["star", "2106.00001", "--feed", undecodable]) == 0
    assert capsys.readouterr().out == "starred 2106.00001: Graph Neural Diffusion\n"


def test_the_stored_key_of_an_undecodable_folder_reads_back_exactly(tmp_path: Path) -> None:
    from hotpapers_tui.library.searchindex import SearchIndex
    from hotpapers_tui.library.sqlitestore import key_from_param

    key = "dir:" + os.fsdecode(b"/posts\xff\xfe")
    with SearchIndex.open(tmp_path / "index.sqlite3") as index:
        index.put_day(key, make_day("2021-06-22", make_paper("2106.00001")))
        [(stored,)] = index._read("SELECT DISTINCT feed FROM days")
        assert index.indexed_days(key) and not index.indexed_days(key.replace("\udcff", "\ufffd"))
    assert isinstance(stored, bytes) and key_from_param(stored) == key
    assert os.fsencode(key_from_param(stored)) == b"dir:/posts\xff\xfe"


def _modes(*paths: Path) -> list[str]:
    return [oct(p.stat().st_mode & 0o777) for p in paths]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_folders_and_files_the_commands_create_are_user_only(
    feed: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, data = tmp_path / "c1" / "c2", tmp_path / "d1" / "d2"
    monkeypatch.setenv("HOTPAPERS_CACHE_DIR", str(cache))
    monkeypatch.setenv("HOTPAPERS_DATA_DIR", str(data))
    old = os.umask(0o022)
    try:
        assert main(["search", "graph", "--feed", feed]) == 0
        assert main(["star", "2106.00001", "--feed", feed]) == 0
    finally:
        os.umask(old)
    assert _modes(cache.parent, cache, data.parent, data) == ["0o700"] * 4
    assert _modes(cache / "search.sqlite3", cache / "search.sqlite3.lock") == ["0o600"] * 2
    assert _modes(data / "marks.sqlite3", data / "marks.sqlite3.lock") == ["0o600"] * 2


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_marks_file_left_readable_by_others_is_made_user_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "marks.sqlite3"
    path.parent.mkdir()
    sqlite3.connect(path).close()
    path.write_bytes(b"")
    path.chmod(0o644)
    assert main(["read", "2106.00001"]) == 0
    assert _modes(path) == ["0o600"]


def _cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_read_only_data_folder_still_lists_and_searches(
    feed: str, shared_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, cache = shared_tmp / "data", shared_tmp / "cache"
    posts = shared_tmp / "posts"
    shutil.copytree(feed[4:], posts)
    monkeypatch.setenv("HOTPAPERS_DATA_DIR", str(data))
    monkeypatch.setenv("HOTPAPERS_CACHE_DIR", str(cache))
    monkeypatch.setenv("HOTPAPERS_CONFIG", str(shared_tmp / "config.toml"))
    assert _cli(["star", "2106.00001", "--feed", f"dir:{posts}"])[0] == 0
    assert _cli(["read", "2106.00002"])[0] == 0
    # Only the data folder is read-only: the search index gets a folder the other user may write.
    shutil.rmtree(cache)
    cache.mkdir()
    cache.chmod(0o777)
    for path in (posts, *posts.iterdir()):
        path.chmod(0o755)
    data.chmod(0o555)
    (data / "marks.sqlite3").chmod(0o666)

    def work() -> dict[str, tuple[int, str, str]]:
        return {
            "starred": _cli(["starred"]),
            "bibtex": _cli(["starred", "--bibtex"]),
            "search": _cli(["search", "is:starred", "--feed", f"dir:{posts}"]),
            "read": _cli(["read", "2106.00003"]),
            "star": _cli(["star", "2106.00002", "--feed", f"dir:{posts}"]),
        }

    seen = in_unprivileged_child(work)
    assert seen["starred"][0] == 0 and seen["starred"][1].split()[0] == "2106.00001"
    assert seen["bibtex"][0] == 0 and "eprint" in seen["bibtex"][1]
    assert seen["search"][0] == 0, seen["search"]
    assert [row.split()[2] for row in seen["search"][1].splitlines()] == ["2106.00001"] * 2
    marks_file = data / "marks.sqlite3"
    for command in ("read", "star"):
        code, out, err = seen[command]
        assert (code, out) == (1, "")
        assert err.splitlines()[-1] == (
            f"hotpapers-tui: {marks_file}: cannot save the mark (the file or its folder is read-only)"
        )
