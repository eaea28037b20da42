"""Generated days survive render then parse unchanged, and JSON too.

What a valid day is, honestly stated (the format cannot carry more):
- no field holds a line break, except a tweet's text (written as ``<br>``), which does
  not start or end with one; no control characters;
- an author name is not empty, has no ``, `` (the separator) and no outer spaces, and
  the first does not start with ``# `` (it would read as a heading);
- an abstract is empty or has visible text (a line of spaces reads as empty), and does
  not start with ``<blockquote`` (an empty abstract followed by an embed is that line);
- a display name has no ``(@`` and no outer spaces (the byline is ``Name (@handle)``);
- counts are whole numbers, times have whole seconds; arXiv ids, categories and handles have their
  real shapes; the day's title is the archive's ``Hot Papers DATE[ - DATE]``.
Everything else, including abstracts that look like Markdown, headings, fences or
comments, must round-trip: the reader reads the abstract by position as plain text.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotpapers_tui.daydata import day_from_json, day_to_json
from hotpapers_tui.model import Day, Paper, Tweet, default_title
from hotpapers_tui.posts import parse_post, render_post
from hotpapers_tui.tweets import TWITTER_SCRIPT
from tests.posts.day_factory import Link, Part, make_tweet, ranked, tweet_date

CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
LINE = st.text(CHARS, max_size=30)
MARKDOWNISH = st.sampled_from(
    ["# 2. ", "# ", "- ", "> ", "```", "~~~", "<!--", "---", "* ", "1. ", "    ", "<div>", "[x](y) ", "$", "|", "\\"]
)


def stripped(text: str) -> bool:
    return text == text.strip()


ABSTRACTS = st.one_of(
    st.just(""),
    st.one_of(LINE, st.builds(lambda a, b: a + b, MARKDOWNISH, LINE)).filter(
        lambda a: a.strip() != "" and not a.startswith("<blockquote")
    ),
)


NAMES = LINE.filter(lambda n: n != "" and stripped(n) and ", " not in n)
SECONDS = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 12, 31)).map(
    lambda t: t.replace(microsecond=0)
)
# Built from small pieces rather than st.from_regex, which is slow to draw from.
ARXIV_IDS = st.one_of(
    st.builds("{:04d}.{:05d}".format, st.integers(0, 9999), st.integers(0, 99999)),
    st.builds("{}/{:07d}".format, st.sampled_from(["hep-th", "math", "cs", "astro-ph"]), st.integers(0, 9999999)),
)
LETTERS = "abcdefghijklmnopqrstuvwxyz"
CATEGORIES = st.one_of(
    st.sampled_from(["cs.LG", "stat.ML", "cs.CV", "math.OC", "q-bio.NC", "physics.soc-ph", "hep-th"]),
    st.builds(
        lambda a, b: f"{a}.{b}" if b else a,
        st.text(st.sampled_from(LETTERS), min_size=2, max_size=5),
        st.text(st.sampled_from(LETTERS + "ABCXYZ-"), max_size=6),
    ),
)
HANDLES = st.text(st.sampled_from(LETTERS + "ABCXYZ0123456789_"), min_size=1, max_size=15)
DISPLAY_NAMES = LINE.filter(lambda n: stripped(n) and "(@" not in n)
LINK_SLUGS = st.text(st.sampled_from(LETTERS + "ABCXYZ0123456789"), min_size=4, max_size=10)
SLUGS = st.one_of(st.just(""), st.text(st.sampled_from(LETTERS + "0123456789-"), min_size=1, max_size=20))
TWEET_LINE = st.text(CHARS, min_size=1, max_size=30)


@st.composite
def tweets(draw: st.DrawFn) -> Tweet:
    parts: list[Part] = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            slug = draw(LINK_SLUGS)
            parts.append(
                Link(
                    draw(st.sampled_from(["https://t.co/", "#", "@", "pic.twitter.com/"])) + slug,
                    f"https://t.co/{slug}",
                )
            )
        else:
            parts.append(draw(TWEET_LINE))
        if draw(st.booleans()):
            parts.append("\n")
    text = "".join(p.text if isinstance(p, Link) else p for p in parts)
    if text.startswith("\n") or text.endswith("\n"):
        parts = [p for p in parts if p != "\n"]
    return make_tweet(
        parts,
        name=draw(DISPLAY_NAMES),
        handle=draw(HANDLES),
        status=draw(st.integers(1, 10**19)),
        date=tweet_date(draw(st.dates(dt.date(2006, 3, 21), dt.date(2030, 1, 1)))),
        lang=draw(st.sampled_from(["en", "ja", "fr", "de", "ca", ""])),
        script=draw(st.sampled_from([TWITTER_SCRIPT, None])),
    )


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    arxiv_id = draw(ARXIV_IDS)
    authors = draw(st.lists(NAMES, min_size=1, max_size=5))
    if authors[0].startswith("# "):
        authors[0] = "A" + authors[0]
    return Paper(
        arxiv_id=arxiv_id,
        title=draw(LINE),
        authors=tuple(authors),
        retweets=draw(st.integers(0, 10**6)),
        favorites=draw(st.integers(0, 10**6)),
        counted_at=draw(SECONDS),
        abs_url=f"https://arxiv.org/abs/{arxiv_id}",
        pdf_url=f"https://arxiv.org/pdf/{arxiv_id}",
        categories=tuple(draw(st.lists(CATEGORIES, min_size=1, max_size=4))),
        abstract=draw(ABSTRACTS),
        tweets=tuple(draw(st.lists(tweets(), max_size=2))),
    )


@st.composite
def days(draw: st.DrawFn) -> Day:
    start = draw(st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)))
    end = start + dt.timedelta(days=draw(st.integers(1, 5))) if draw(st.booleans()) else None
    day = Day(
        date=start,
        end_date=end,
        title=default_title(start, end),
        generated_at=draw(SECONDS),
        papers=tuple(draw(st.lists(papers(), max_size=4))),
    )
    slug = draw(SLUGS)
    description = draw(st.one_of(st.just(""), LINE))
    return Day(
        date=day.date,
        end_date=day.end_date,
        title=day.title,
        generated_at=day.generated_at,
        papers=day.papers,
        slug="" if slug == day.canonical_slug else slug,
        description="" if description == day.canonical_description else description,
    )


@settings(max_examples=200, deadline=None)
@given(days())
def test_render_then_parse_gives_the_day_back(day: Day) -> None:
    text = render_post(day)
    back = parse_post(text, day.filename)
    assert back == ranked(day)
    assert render_post(back) == text


@pytest.mark.slow
@settings(max_examples=3000, deadline=None)
@given(days())
def test_render_then_parse_many_days(day: Day) -> None:
    text = render_post(day)
    assert parse_post(text, day.filename) == ranked(day)


@settings(max_examples=50, deadline=None)
@given(days())
def test_json_round_trip(day: Day) -> None:
    data = json.loads(json.dumps(day_to_json(day), ensure_ascii=False))
    assert day_from_json(data) == ranked(day)
