"""Inputs the fuzzers found crashing the readers, kept as plain regression tests."""

from __future__ import annotations

import pytest

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
