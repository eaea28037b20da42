"""JSON days: the schema's checks, live scores kept, and posts that stay readable whatever the fields hold."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

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
    assert [p["score"] for p in data["papers"]] == [500, 120]
    assert [p["score_override"] for p in data["papers"]] == [500, None]
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
