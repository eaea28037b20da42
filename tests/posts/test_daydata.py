"""JSON days: the schema's checks, live scores kept, and posts that stay readable whatever the fields hold."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from hotpapers_tui.cli import main
from hotpapers_tui.daydata import DayDataError, day_from_json, day_to_json
from hotpapers_tui.posts import parse_post, render_post
from tests.posts.day_factory import make_day, make_paper, make_tweet, ranked


def sample_json() -> dict[str, Any]:
    day = make_day([make_paper("2106.1", tweets=[make_tweet(["hi"])]), make_paper("2106.2", retweets=5)])
    data: dict[str, Any] = json.loads(json.dumps(day_to_json(day)))
    return data


def test_score_weighed_elsewhere_survives_json() -> None:
    live = replace(make_paper("2106.9", retweets=1, favorites=1), score_override=500)
    day = make_day([make_paper("2106.1", retweets=100), live])
    data = json.loads(json.dumps(day_to_json(day)))
    # Printed in the day's order; ranked again by score on import.
    assert [(p["rank"], p["score"], p["score_override"]) for p in data["papers"]] == [(1, 120, None), (2, 500, 500)]
    back = day_from_json(data)
    assert back.papers[0].score_override == 500
    assert back.papers[1].score_override is None
    assert back == ranked(day)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["papers"][0].update(retweets=-1), "papers[0].retweets: expected a whole number >= 0, found -1"),
        (lambda d: d["papers"][0].update(favorites=True), "papers[0].favorites: expected int, found bool"),
        (lambda d: d["papers"][0].update(authors="Ada"), "papers[0].authors: expected list, found str"),
        (lambda d: d["papers"][0].update(authors=["Ada", 3]), "papers[0].authors: expected a list of strings"),
        (lambda d: d["papers"][0]["tweets"][0].update(platform=7), "papers[0].tweets[0].platform: expected str"),
        (lambda d: d["papers"][0]["tweets"][0].pop("html"), "papers[0].tweets[0]: missing key 'html'"),
        (lambda d: d["papers"].__setitem__(1, "paper"), "papers[1]: expected an object"),
        (lambda d: d.update(generated_at="soon"), "day.generated_at: expected an ISO date or time, found 'soon'"),
        (lambda d: d["papers"][0].update(breakdown={"x": True}), "papers[0].breakdown: expected an object of whole"),
        (lambda d: d["papers"][0].update(title="a\x00b"), "papers[0].title: holds a NUL character"),
        (lambda d: d["papers"][1].update(abstract="\ud800"), "papers[1].abstract: holds a lone surrogate (U+D800)"),
        (lambda d: d["papers"][0].update(authors=[]), "papers[0].authors: expected at least one name"),
        (lambda d: d["papers"][0].update(authors=[" "]), "papers[0].authors: expected at least one name"),
        (lambda d: d["papers"][0].update(authors=["Ada, Grace"]), "papers[0].authors[0]: a name cannot hold ', '"),
        (lambda d: d["papers"][0].update(authors=["# 1. Ada"]), "papers[0].authors: the authors line would read"),
        (lambda d: d["papers"][1].update(categories=[]), "papers[1].categories: expected at least one category"),
        (lambda d: d["papers"][1].update(categories=["cs.LG", "a b"]), "papers[1].categories[1]: expected an arXiv"),
        (lambda d: d["papers"][0].update(pdf_url="https://x.org/a b"), "papers[0].pdf_url: a link the links line"),
        (lambda d: d["papers"][0].update(arxiv_id="2106.9"), "papers[0].arxiv_id: expected the id in abs_url"),
        (lambda d: d["papers"][0].update(abstract="<blockquote>x"), "papers[0].abstract: an abstract starting"),
        (lambda d: d["papers"][0]["tweets"][0].update(html="hi"), "papers[0].tweets[0].html: expected a post's embed"),
        (lambda d: d["papers"][0]["tweets"][0].update(html="<blockquote>"), "papers[0].tweets[0].html: not an embed"),
        (lambda d: d["papers"][0]["tweets"][0].update(script="x"), "papers[0].tweets[0].script: expected null or"),
        (lambda d: d["papers"][0].update(breakdown={"Bad Name": 1}), "papers[0].breakdown: expected source names"),
        (lambda d: d["papers"][0].update(breakdown={"score": 1}), "papers[0].breakdown: expected source names"),
        (lambda d: d.update(generated_at="2021-06-23T10:32:04+02:00"), "day.generated_at: expected a local time"),
        (lambda d: d["papers"][0].update(counted_at="2021-06-23T10:32:04Z"), "papers[0].counted_at: expected a local"),
        (lambda d: d.update(title="Hot Papers 2021-06-23"), "day.title: expected a title ending with the day's dates"),
        (lambda d: d.update(title="Hot Papers"), "day.title: expected a title ending with the day's dates"),
    ],
)
def test_bad_json_names_the_key(edit: Any, message: str) -> None:
    data = sample_json()
    edit(data)
    with pytest.raises(DayDataError) as caught:
        day_from_json(data)
    assert str(caught.value).startswith(message)


def test_line_breaks_in_fields_never_break_the_post() -> None:
    paper = make_paper(
        "2106.1",
        title="A title wrapped\n by the listing",
        authors=["Ada\nLovelace", "Alan Turing"],
        abstract="First line.\nSecond line.\r\n# 2. Not a heading",
    )
    day = make_day([paper, make_paper("2106.2", retweets=1)])
    text = render_post(day)
    back = parse_post(text)
    assert len(back.papers) == 2
    assert back.papers[0].title == "A title wrapped  by the listing"
    assert back.papers[0].authors == ("Ada Lovelace", "Alan Turing")
    assert back.papers[0].abstract == "First line. Second line. # 2. Not a heading"
    assert render_post(back) == text


def test_the_door_normalises_what_a_post_carries_differently() -> None:
    data = sample_json()
    data["title"] = ""
    data["generated_at"] = "2021-06-23T10:32:04.123456"
    paper = data["papers"][0]
    paper["title"] = "Wrapped\r\nby arXiv\rand\nagain"
    paper["abstract"] = " \t "
    paper["counted_at"] = "2021-06-23T10:32:04.999"
    tweet = paper["tweets"][0]
    tweet.update(text="edited text", author="Someone Else", platform="bluesky", reposts=3, likes=4, comments=5)
    day = day_from_json(data)
    assert day.title == "Hot Papers 2021-06-22"
    assert day.generated_at.microsecond == 0 and day.papers[0].counted_at.microsecond == 0
    assert day.papers[0].title == "Wrapped by arXiv and again"
    assert day.papers[0].abstract == ""
    # A post keeps only the embed line: the rest is read from it.
    read = day.papers[0].tweets[0]
    assert (read.text, read.author, read.platform) == ("hi", "Ada Lovelace", "x")
    assert (read.reposts, read.likes, read.comments) == (None, None, None)
    assert parse_post(render_post(day)) == day


def test_the_live_store_reads_json_as_it_is() -> None:
    data = sample_json()
    data["generated_at"] = "2021-06-23T10:32:04.123456"
    data["papers"][0]["tweets"][0].update(reposts=3, likes=4, comments=5)
    kept = day_from_json(data, for_post=False)
    assert kept.generated_at.microsecond == 123456
    assert (kept.papers[0].tweets[0].reposts, kept.papers[0].tweets[0].likes) == (3, 4)


def test_a_hacker_news_storys_counts_are_read_from_its_embed() -> None:
    html = (
        '<blockquote class="hackernews-story"><p>A story<br>12 points, 3 comments</p>&mdash; dang (@dang) '
        '<a href="https://news.ycombinator.com/item?id=7">June 22, 2021</a></blockquote>'
    )
    data = sample_json()
    data["papers"][0]["tweets"][0].update(html=html, script=None)
    story = day_from_json(data).papers[0].tweets[0]
    assert (story.platform, story.likes, story.comments, story.reposts) == ("hackernews", 12, 3, None)


def test_json_import_ranks_by_score_and_export_keeps_the_days_order() -> None:
    day = make_day([make_paper("2106.1", retweets=1), make_paper("2106.2", retweets=900)])
    data = json.loads(json.dumps(day_to_json(day)))
    assert [p["arxiv_id"] for p in data["papers"]] == ["2106.1", "2106.2"]
    assert [p.arxiv_id for p in day_from_json(data).papers] == ["2106.2", "2106.1"]


SLUGS = [
    'say "hi"',
    "back\\slash",
    "tab\there",
    "bell\x07",
    "esc\x1b[31m",
    "\x7f\x85\u2028\u2029",
    "\ufeff",
    "é ü 日本",
]


@pytest.mark.parametrize("text", [*SLUGS, "line\nbreak", "cr\rhere", "crlf\r\nhere", "\x0b\x0c\x1c\x1d\x1e"])
def test_slug_and_description_are_escaped_and_read_back(text: str) -> None:
    day = replace(make_day([make_paper()]), slug=f"s-{text}", description=f"A {text}")
    written = render_post(day)
    front = written.split("\n---\n", 1)[0]
    assert "\n" not in front.split("slug: ", 1)[1].split("\ncategory", 1)[0]
    back = parse_post(written)
    assert (back.slug, back.description) == (f"s-{text}", f"A {text}")
    assert render_post(back) == written


@pytest.mark.parametrize(
    "title",
    [
        "Hot Papers: 2021-06-22",
        "# Hot Papers 2021-06-22",
        "'Hot' Papers 2021-06-22",
        '"Hot" Papers 2021-06-22',
        "  Hot Papers 2021-06-22",
        "Hot Papers \\ 2021-06-22",
        "Hot Papers # 2021-06-22",
        "- Hot Papers 2021-06-22",
    ],
)
def test_titles_plain_yaml_would_misread_are_quoted(title: str) -> None:
    day = replace(make_day([make_paper()]), title=title)
    written = render_post(day)
    assert f"title: {title}\n" not in written
    assert parse_post(written).title == title


def test_front_matter_is_yaml_that_reads_back_the_same() -> None:
    yaml = pytest.importorskip("yaml", reason="PyYAML (a test extra) reads the front matter as YAML")
    for text in [*SLUGS, "line\nbreak \r\n", "\x0b\x0c\x1c\x1d\x1e \x00", "ok"]:
        for title in ["Hot Papers 2021-06-22", "Hot Papers: 2021-06-22", f"{text} 2021-06-22"]:
            day = replace(make_day([make_paper()]), title=title, slug=f"s-{text}", description=f"A {text}")
            front = render_post(day).split("---\n")[1]
            values = yaml.safe_load(front)
            expected_title = title.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\x00", "\ufffd")
            assert values["title"] == expected_title
            assert (values["slug"], values["description"]) == (f"s-{text}", f"A {text}")
            # YAML reads the archive's "2021-06-23T10:32:04.Z" as a time in UTC.
            assert values["date"].replace(tzinfo=None) == day.generated_at
            back = parse_post(render_post(day))
            assert (back.title, back.slug, back.description) == (values["title"], values["slug"], values["description"])


def test_export_from_json_refuses_what_no_post_can_hold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = sample_json()
    data["papers"][1]["authors"] = []
    path = tmp_path / "day.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["export", "--from-json", str(path), "-o", "-"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "papers[1].authors: expected at least one name" in err
