"""The reading-list commands: search, starred, star/unstar, read/unread."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest

from hotpapers_tui.cli import main
from hotpapers_tui.export import save_post
from hotpapers_tui.library.marks import Marks
from tests.library.conftest import make_day, make_paper


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
