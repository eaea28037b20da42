"""Lossless round trip: every blank-line layout the published archive shows, and trivia through edits.

The published archive (294 posts) is not shipped; ``test_the_archive_round_trips`` reads it
from the folder named by HOTPAPERS_ARCHIVE_DIR and checks that every post is written back
byte for byte, and that every blank-line run it holds is one the synthetic posts here cover.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest

from hotpapers_tui.daydata import day_from_json, day_to_json
from hotpapers_tui.model import Day, Paper, PaperLayout
from hotpapers_tui.posts import PostError, parse_post, read_post, render_post
from tests.posts.day_factory import make_paper, make_tweet
from tests.posts.post_texts import EMBED, FRONT, SCRIPT

ARCHIVE_ENV = "HOTPAPERS_ARCHIVE_DIR"

Run = tuple[str, str, int]
"""Blank lines between two kinds of line: ``("script", "heading", 4)``."""

_HEADING = re.compile(r"^# \d+\. ")


def blank_runs(text: str) -> Counter[Run]:
    """How many times each (line kind, next line kind, blank lines between) occurs after the front matter.

    The kinds follow the post's positional layout: front (the closing ``---``), heading,
    authors, counts, links, categories, abstract, blockquote, script, and EOF (the end
    of the file, where the count includes the final newline's empty remainder).
    """
    lines = text.split("\n")
    close = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    marks: list[tuple[str, int]] = [("front", close)]
    state = "front"
    for index in range(close + 1, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        if state in ("front", "categories", "abstract", "blockquote", "script") and _HEADING.match(line):
            kind = "heading"
        elif state == "heading":
            kind = "authors"
        elif line.startswith("- retweets: "):
            kind = "counts"
        elif line.startswith("- links:"):
            kind = "links"
        elif state == "links":
            kind = "categories"
        elif line.startswith("<blockquote"):
            kind = "blockquote"
        elif line.startswith("<script"):
            kind = "script"
        elif state == "categories":
            kind = "abstract"
        else:
            kind = f"unexpected after {state}"
        state = kind
        marks.append((kind, index))
    marks.append(("EOF", len(lines)))
    runs: Counter[Run] = Counter()
    for (first, at), (then, to) in pairwise(marks):
        runs[(first, then, to - at - 1)] += 1
    return runs


def paper(n: int, *, abstract: str = "An abstract.", tweets: int = 1) -> str:
    """Paper ``n`` in the canonical layout, from the empty line before its heading to its closing empty lines."""
    embeds = "".join(f"{EMBED}\n{SCRIPT}\n\n" for _ in range(tweets))
    return (
        f"\n# {n}. Paper {n}\n\nAda Lovelace\n\n- retweets: {100 - n}, favorites: 1 (06/23/2021 10:32:04)\n\n"
        f"- links: [abs](https://arxiv.org/abs/2106.0000{n}) | [pdf](https://arxiv.org/pdf/2106.0000{n})\n"
        f"- [cs.LG](https://arxiv.org/list/cs.LG/recent)\n\n{abstract}\n\n{embeds}\n\n"
    )


# Every blank-line run the published archive shows (found by blank_runs over the 294 posts),
# each in a synthetic post. The only one the canonical writer does not make is the double
# blank line after the front matter of 2020-06-29.
ARCHIVE_LAYOUTS = {
    "empty-day": FRONT,
    "canonical": FRONT + paper(1, tweets=2) + paper(2, tweets=0) + paper(3, tweets=1),
    "no-tweets-last": FRONT + paper(1) + paper(2, tweets=0),
    "empty-abstract-with-tweets": FRONT + paper(1, abstract="") + paper(2, abstract="", tweets=3),
    "empty-abstract-without-tweets": FRONT + paper(1, abstract="", tweets=0) + paper(2),
    "two-blank-lines-after-front-matter": FRONT + "\n" + paper(1, tweets=2) + paper(2, tweets=0),
}
CANONICAL_LAYOUTS = set(ARCHIVE_LAYOUTS) - {"two-blank-lines-after-front-matter"}


@pytest.mark.parametrize("name", sorted(ARCHIVE_LAYOUTS))
def test_each_archive_layout_round_trips(name: str) -> None:
    text = ARCHIVE_LAYOUTS[name]
    day = parse_post(text)
    assert render_post(day) == text
    canonical = all(p.layout is None for p in day.papers) and day.layout is None
    assert canonical == (name in CANONICAL_LAYOUTS)
    # The layout is trivia: the same papers, read from the canonical layout, are equal.
    assert day == parse_post(render_post(replace(day, papers=tuple(replace(p, layout=None) for p in day.papers))))


def test_the_archives_runs_are_all_covered() -> None:
    covered: Counter[Run] = Counter()
    for text in ARCHIVE_LAYOUTS.values():
        covered += blank_runs(text)
    # The runs blank_runs found across the 294 published posts (see the archive test).
    archive = {
        ("front", "heading", 1),
        ("front", "heading", 2),
        ("front", "EOF", 1),
        ("heading", "authors", 1),
        ("authors", "counts", 1),
        ("counts", "links", 1),
        ("links", "categories", 0),
        ("categories", "abstract", 1),
        ("categories", "blockquote", 3),
        ("categories", "heading", 6),
        ("abstract", "blockquote", 1),
        ("abstract", "heading", 4),
        ("abstract", "EOF", 4),
        ("blockquote", "script", 0),
        ("script", "blockquote", 1),
        ("script", "heading", 4),
        ("script", "EOF", 4),
    }
    assert archive <= set(covered)


def test_the_archive_round_trips() -> None:
    folder = os.environ.get(ARCHIVE_ENV)
    if not folder:
        pytest.skip(f"{ARCHIVE_ENV} is not set: it names the folder of published posts (not shipped)")
    posts = sorted(Path(folder).glob("*---Hot-Papers.md"))
    assert posts, f"{folder} holds no posts"
    differing = []
    runs: Counter[Run] = Counter()
    for path in posts:
        text = path.read_text(encoding="utf-8")
        runs += blank_runs(text)
        if render_post(read_post(path)) != text:
            differing.append(path.name)
    assert differing == []
    covered: Counter[Run] = Counter()
    for text in ARCHIVE_LAYOUTS.values():
        covered += blank_runs(text)
    assert set(runs) <= set(covered), f"blank-line runs without a synthetic test: {set(runs) - set(covered)}"
    print(f"{len(posts)} published posts round-trip byte for byte")


# --- trivia through edits ----------------------------------------------------------------------

SPACED = FRONT + "\n" + paper(1).replace("Ada Lovelace\n\n", "Ada Lovelace\n\n\n") + paper(2, tweets=2) + "\n\n"


def test_layout_lives_with_the_papers_it_was_read_with() -> None:
    day = parse_post(SPACED)
    first, second = day.papers
    assert first.layout is not None and first.layout.after_front and first.layout.leading == "\n\n\n"
    assert first.layout.inner is not None and first.layout.inner[1] == "\n\n\n"
    assert second.layout is not None and second.layout.tail == "\n" * 6
    assert render_post(day) == SPACED


def test_papers_built_from_data_get_the_canonical_layout() -> None:
    day = parse_post(SPACED)
    fresh = tuple(replace(p, layout=None) for p in day.papers)
    replaced = replace(day, papers=fresh)
    assert replaced == day
    text = render_post(replaced)
    assert text == FRONT + paper(1) + paper(2, tweets=2)
    # A JSON day is data too.
    assert render_post(day_from_json(day_to_json(day))) == text


def test_an_edited_paper_keeps_its_blank_lines() -> None:
    day = parse_post(SPACED)
    edited = replace(day, papers=(replace(day.papers[0], retweets=5000), day.papers[1]))
    text = render_post(edited)
    assert text == SPACED.replace("- retweets: 99,", "- retweets: 5000,")
    assert parse_post(text) == edited


def test_a_paper_whose_parts_change_is_laid_out_canonically() -> None:
    day = parse_post(SPACED)
    more = replace(day.papers[0], tweets=(*day.papers[0].tweets, make_tweet(["one more"])))
    text = render_post(replace(day, papers=(more, day.papers[1])))
    # Its inner blank lines no longer fit its lines; the separators around it still do.
    assert "Ada Lovelace\n\n- retweets" in text
    assert text.startswith(FRONT + "\n\n# 1. Paper 1")
    assert text.endswith("</script>" + "\n" * 6)
    assert parse_post(text) == replace(day, papers=(more, day.papers[1]))


def test_separators_depend_on_the_place_a_paper_is_written_at() -> None:
    day = parse_post(SPACED)
    swapped = replace(day, papers=(day.papers[1], day.papers[0]))
    text = render_post(swapped)
    # The blank lines after the front matter belonged to paper 1 there; the end of the file to paper 2.
    assert text.startswith(FRONT + "\n# 1. Paper 2")
    assert "</script>\n\n\n\n\n# 2. Paper 1" in text
    assert text.endswith("</script>\n\n\n\n")
    assert parse_post(text) == swapped


def test_a_heading_like_abstract_never_takes_blank_lines_that_would_make_it_a_heading() -> None:
    spaced = FRONT + paper(1).replace("recent)\n\nAn abstract.", "recent)\n\n\nAn abstract.") + paper(2)
    day = parse_post(spaced)
    assert render_post(day) == spaced
    looks_like_heading = replace(day.papers[0], abstract="# 2. Not a paper")
    edited = replace(day, papers=(looks_like_heading, day.papers[1]))
    back = parse_post(render_post(edited))
    assert back == edited
    assert back.papers[0].abstract == "# 2. Not a paper"


@pytest.mark.parametrize("tail", ["", "\n\n\n", "\n  \n"])
def test_an_empty_day_keeps_what_follows_its_front_matter(tail: str) -> None:
    text = FRONT[:-1] + tail
    day = parse_post(text)
    assert day.papers == ()
    assert render_post(day) == text
    assert render_post(Day(date=day.date, title=day.title, generated_at=day.generated_at)) == FRONT


def test_layout_takes_no_part_in_equality() -> None:
    plain = make_paper()
    laid_out = replace(plain, layout=PaperLayout(True, leading="\n\n\n\n"))
    assert plain == laid_out
    assert hash(plain) == hash(laid_out)
    assert isinstance(laid_out, Paper) and "layout" not in repr(laid_out)


# --- what is read writes back ------------------------------------------------------------------

LINKS = "- links: [abs](https://arxiv.org/abs/2106.00001) | [pdf](https://arxiv.org/pdf/2106.00001)"
CATEGORIES = "- [cs.LG](https://arxiv.org/list/cs.LG/recent)"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (LINKS, "- links: [abs](<https://arxiv.org/abs/1 2>) | [pdf](https://arxiv.org/pdf/x?a=1&amp;b=2)"),
        (CATEGORIES, "- [cs.LG](http://arxiv.org/list/cs.LG) | [stat.ML](https://example.org)"),
    ],
)
def test_link_lines_markdown_reads_otherwise_write_back_to_the_same_day(old: str, new: str) -> None:
    text = FRONT + paper(1).replace(old, new)
    day = parse_post(text)
    assert parse_post(render_post(day)) == day


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (LINKS, "- links: [abs](<https://arxiv.org/abs/a(>) | [pdf](https://arxiv.org/pdf/2106.00001)"),
        (CATEGORIES, "- [cs.S# 1. I](https://arxiv.org/list/x/recent) | [cs.CY](https://arxiv.org/list/cs.CY/recent)"),
        (CATEGORIES, "- [a b](https://arxiv.org/list/a%20b/recent)"),
    ],
)
def test_a_link_or_category_no_post_could_carry_is_refused_at_its_line(old: str, new: str) -> None:
    text = FRONT + paper(1).replace(old, new)
    with pytest.raises(PostError) as caught:
        parse_post(text, "post.md")
    assert caught.value.line == text[: text.index(new)].count("\n") + 1
