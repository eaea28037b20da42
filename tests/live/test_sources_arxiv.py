"""arXiv metadata through public code: the documented query, arxiv.Result from lxml, malformed ids isolated."""

from __future__ import annotations

from datetime import UTC, datetime

import arxiv
import pytest

from hotpapers_tui.live.arxiv_meta import ArxivMetadata, AtomError, MetaReport, parse_atom, query_params
from hotpapers_tui.live.build import build_day, source_status, sources_note
from tests.live.conftest import DAY, NOW, credentials, standard_world
from tests.live.fakes import FakeFetcher
from tests.live.world import Paper, World, arxiv_accepts, atom, atom_error

BAD = "1412.12345"
"""Well-formed to our link reader, but arXiv gave 5-digit numbers only from 2015: it answers 400."""


def papers(ids: list[str]) -> dict[str, Paper]:
    return {i: Paper(i, f"Title {i}", datetime(2026, 11, 21, tzinfo=UTC)) for i in ids}


def ids(n: int) -> list[str]:
    return [f"2611.{i:05d}" for i in range(1, n + 1)]  # arXiv numbers a month's papers from 1


def asked(fetcher: FakeFetcher) -> list[list[str]]:
    return [p["id_list"].split(",") for p in fetcher.params("arxiv")]


def test_the_fake_follows_arxivs_id_scheme() -> None:
    assert not arxiv_accepts(BAD) and arxiv_accepts("1501.12345") and arxiv_accepts("1412.1234")
    assert arxiv_accepts("hep-th/9901001") and not arxiv_accepts("2613.00001") and not arxiv_accepts("0703.1234")


async def test_a_batch_with_one_malformed_id_still_gives_every_other_paper() -> None:
    good = ids(9)
    world = World(papers=papers(good))
    fetcher = FakeFetcher(world.handle)
    report = MetaReport()
    found = await ArxivMetadata(fetcher).fetch([*good[:4], BAD, *good[4:]], report)
    assert sorted(found) == good
    assert report.refused == (BAD,) and report.missing == (BAD,) and report.error == ""
    # arXiv's error entry names the id: it is dropped and the rest asked again, one request.
    assert asked(fetcher) == [sorted([*good, BAD]), good] and report.requests == 2


async def test_an_unnamed_400_is_bisected_until_the_bad_id_stands_alone() -> None:
    good = ids(99)
    world = World(papers=papers(good), arxiv_error_names_id=False)
    fetcher = FakeFetcher(world.handle)
    report = MetaReport()
    found = await ArxivMetadata(fetcher).fetch([*good, BAD], report)
    assert sorted(found) == good and report.refused == (BAD,) and report.error == ""
    batches = asked(fetcher)
    assert batches[0] == sorted([*good, BAD]) and [BAD] in batches
    assert all(len(b) <= 100 for b in batches)
    # Halving: each level asks two halves, one of them good; about two requests per level.
    assert len(batches) <= 2 * 7 + 1


async def test_a_failing_batch_does_not_stop_the_next_ones() -> None:
    good = ids(250)
    world = World(papers=papers(good), arxiv_down_for={good[150]})
    fetcher = FakeFetcher(world.handle)
    report = MetaReport()
    found = await ArxivMetadata(fetcher).fetch(good, report)
    assert sorted(found) == good[:100] + good[200:]
    assert report.error == "HTTP 503" and report.missing == tuple(good[100:200])
    assert [len(b) for b in asked(fetcher)] == [100, 100, 50]


def test_the_query_is_the_documented_one() -> None:
    assert query_params(["2611.00001", "hep-th/9901001"]) == {
        "id_list": "2611.00001,hep-th/9901001",
        "max_results": "2",
    }


def test_atom_is_read_into_the_packages_public_model() -> None:
    page = parse_atom(atom(list(papers(["2611.00001"]).values())))
    assert page.total_results == 1 and page.errors == [] and page.unreadable == 0
    [result] = page.results
    assert isinstance(result, arxiv.Result)
    assert result.entry_id == "http://arxiv.org/abs/2611.00001v2" and result.get_short_id() == "2611.00001v2"
    assert [a.name for a in result.authors] == ["Ada Lovelace", "Alan Turing"]
    assert all(isinstance(a, arxiv.Result.Author) for a in result.authors)
    assert all(isinstance(link, arxiv.Result.Link) for link in result.links)
    assert result.pdf_url == "http://arxiv.org/pdf/2611.00001v2"  # the package finds it among the links
    assert result.primary_category == "cs.LG" and result.categories == ["cs.LG", "stat.ML"]
    assert result.published == datetime(2026, 11, 21, tzinfo=UTC)


def test_an_error_feed_is_read_as_errors() -> None:
    page = parse_atom(atom_error(BAD))
    assert page.results == [] and page.errors == [f"incorrect id format for {BAD}"]


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><!DOCTYPE feed><feed xmlns="http://www.w3.org/2005/Atom"/>',
        b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY e "x">]><feed xmlns="http://www.w3.org/2005/Atom"/>',
    ],
)
def test_any_dtd_is_refused(body: bytes) -> None:
    with pytest.raises(AtomError, match="DTD"):
        parse_atom(body)


@pytest.mark.parametrize("body", [b"", b"not xml", b"<html><body>busy</body></html>", b"\x00\x01"])
def test_what_is_not_an_atom_feed_is_an_error(body: bytes) -> None:
    with pytest.raises(AtomError):
        parse_atom(body)


async def test_a_day_whose_second_batch_fails_is_partial_not_skipped() -> None:
    world = standard_world()
    hub = ids(150)
    published = datetime(2026, 11, 23, 12, tzinfo=UTC)  # inside DAY's submissions
    world.papers.update({i: Paper(i, f"Title {i}", published) for i in hub})
    world.hf["2026-11-24"] = [{"paper": {"id": i, "title": i, "upvotes": 10}} for i in hub]
    world.arxiv_down_for = {hub[140]}
    day = await build_day(DAY, FakeFetcher(world.handle), credentials(), now=NOW)
    status = source_status(day)["arxiv"]
    assert status.startswith("partial: 100 papers, 2 requests; incomplete: HTTP 503 (")
    assert "arxiv (100 papers, partial: HTTP 503" in sources_note(day)
    listed = {p.arxiv_id for p in day.papers}
    # The first batch's papers are there (the old paper sorted into it is not of the day); the failed batch's not.
    assert hub[0] in listed and hub[140] not in listed and len(listed) == 99
    assert source_status(day)["huggingface"] == "used: 150 papers"
