"""Inputs the fuzzers found crashing the readers, kept as plain regression tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from hotpapers_tui.daydata import DayDataError, day_from_json, day_to_json
from hotpapers_tui.model import Tweet
from hotpapers_tui.posts import PostError, parse_post

FRONT = "---\ntitle: Hot Papers 2021-06-22\ndate: {date}\n---\n"
PAPER = (
    "\n# 1. A title\n\nAn Author\n\n- retweets: {retweets}, favorites: 2 (06/23/2021 10:32:04)\n\n"
    "- links: [abs](https://arxiv.org/abs/2106.1) | [pdf](https://arxiv.org/pdf/2106.1)\n"
    "- [cs.LG](https://arxiv.org/list/cs.LG/recent)\n\nAbstract.\n"
)


@pytest.mark.parametrize("stamp", ["0000-01-01T00:00:00", "0000-00-00T00:00:00.Z", "2021-02-30T10:00:00.Z"])
def test_impossible_generation_date_is_a_post_error(stamp: str) -> None:
    with pytest.raises(PostError) as caught:
        parse_post(FRONT.format(date=stamp), "post.md")
    assert caught.value.line == 3
    assert "date" in caught.value.message


def test_count_too_long_to_convert_is_a_post_error() -> None:
    text = FRONT.format(date="2021-06-23T10:32:04.Z") + PAPER.format(retweets="9" * 5000)
    with pytest.raises(PostError) as caught:
        parse_post(text, "post.md")
    assert caught.value.line == 10
    assert "counts" in caught.value.message


def test_count_of_ordinary_size_still_reads() -> None:
    day = parse_post(FRONT.format(date="2021-06-23T10:32:04.Z") + PAPER.format(retweets="9" * 30), "post.md")
    assert day.papers[0].retweets == int("9" * 30)


def _json_day() -> dict[str, Any]:
    day = parse_post(FRONT.format(date="2021-06-23T10:32:04.Z") + PAPER.format(retweets="1"), "post.md")
    # An embed the reader can read: export refuses one it could not read back.
    html = (
        '<blockquote class="twitter-tweet"><p>t</p>&mdash; A (@a) <a href="https://x.com/a/status/1">d</a></blockquote>'
    )
    tweet = Tweet(url="", author="A", handle="a", date="", text="t", lang="en", html=html)
    day = replace(day, papers=(replace(day.papers[0], tweets=(tweet,)),))
    return day_to_json(day)


@pytest.mark.parametrize("value", [1, True, ["x"], {"a": "b"}])
def test_json_platform_of_the_wrong_type_is_a_day_data_error(value: object) -> None:
    data = _json_day()
    data["papers"][0]["tweets"][0]["platform"] = value
    with pytest.raises(DayDataError, match=r"tweets\[0\]\.platform"):
        day_from_json(data)


@pytest.mark.parametrize("key", ["slug", "description"])
@pytest.mark.parametrize("value", [1, ["../x"], {"a": "b"}])
def test_json_slug_or_description_of_the_wrong_type_is_a_day_data_error(key: str, value: object) -> None:
    data = _json_day()
    data[key] = value
    with pytest.raises(DayDataError, match=f"day.{key}"):
        day_from_json(data)


def test_json_missing_platform_slug_description_still_default() -> None:
    data = _json_day()
    del data["papers"][0]["tweets"][0]["platform"], data["slug"], data["description"]
    day = day_from_json(data)
    assert day.papers[0].tweets[0].platform == "x"
    assert (day.slug, day.description) == ("", "")
