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
import re
from dataclasses import replace

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from hotpapers_tui.daydata import day_from_json, day_to_json
from hotpapers_tui.model import Day, Paper, Tweet, default_title
from hotpapers_tui.posts import UnwritableField, as_written, parse_post, render_post
from hotpapers_tui.tweets import TWITTER_SCRIPT
from tests.posts.day_factory import Link, Part, make_day, make_paper, make_tweet, ranked, tweet_date

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
    assert back == day
    assert render_post(back) == text
    # A day that a post can hold as it is is left as it is at the door.
    assert as_written(day) == day


@pytest.mark.slow
@settings(max_examples=3000, deadline=None)
@given(days())
def test_render_then_parse_many_days(day: Day) -> None:
    text = render_post(day)
    assert parse_post(text, day.filename) == day


@settings(max_examples=50, deadline=None)
@given(days())
def test_json_round_trip(day: Day) -> None:
    data = json.loads(json.dumps(day_to_json(day), ensure_ascii=False))
    assert day_from_json(data) == ranked(day)
    assert day_from_json(data, for_post=False) == day


# --- any text at all: what the door accepts reads back as it was ------------------------------

# Every line-break form Python knows (str.splitlines), NUL and other controls, and a lone
# surrogate, mixed into any text: the door must refuse or normalise what a post cannot hold.
BREAKS = ["\r", "\r\n", "\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
CONTROLS = ["\t", "\x1b", "\x1b[31m", "\x7f", "\x9b", "\x01", "\ufeff"]
UNWRITABLE = ["\x00", "\ud800"]
TRICKY = ["<blockquote", "# 2. ", ", ", " ", '"', "\\", ": ", " #", "'"]
WILD = st.tuples(
    st.lists(
        st.one_of(
            st.text(st.characters(exclude_categories=["Cs"]), max_size=8),
            st.sampled_from(BREAKS),
            st.sampled_from(CONTROLS),
            st.sampled_from(TRICKY),
        ),
        max_size=6,
    ),
    # One text in forty holds what no post can carry.
    st.integers(0, 39),
    st.sampled_from(UNWRITABLE),
).map(lambda drawn: "".join(drawn[0]) + (drawn[2] if drawn[1] == 0 else ""))


@st.composite
def wild_tweets(draw: st.DrawFn) -> Tweet:
    parts: list[Part] = [draw(WILD)]
    if draw(st.booleans()):
        parts.append(Link(draw(WILD) or "x", "https://t.co/abc"))
    tweet = make_tweet(
        parts,
        name=draw(WILD),
        handle=draw(HANDLES),
        lang=draw(st.sampled_from(["en", ""])),
        script=draw(st.sampled_from([TWITTER_SCRIPT, None, TWITTER_SCRIPT + "\r"])),
    )
    # Counts and fields a JSON day may carry beside its embed line.
    return replace(tweet, text=draw(WILD), reposts=draw(st.none() | st.integers(0, 9)), likes=draw(st.none()))


@st.composite
def wild_papers(draw: st.DrawFn) -> Paper:
    arxiv_id = draw(ARXIV_IDS)
    rare = draw(st.integers(0, 9)) == 0  # no authors, no categories or odd ones
    return Paper(
        arxiv_id=arxiv_id,
        title=draw(WILD),
        authors=tuple(
            draw(st.lists(WILD.filter(lambda name: ", " not in name), min_size=0 if rare else 1, max_size=3))
        ),
        retweets=draw(st.integers(0, 10**6)),
        favorites=draw(st.integers(0, 10**6)),
        counted_at=draw(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31))),
        abs_url=f"https://arxiv.org/abs/{arxiv_id}",
        pdf_url=draw(st.sampled_from([f"https://arxiv.org/pdf/{arxiv_id}"] * 8 + ["https://example.org/a b", ""])),
        categories=tuple(draw(st.lists(WILD if rare else CATEGORIES, min_size=0 if rare else 1, max_size=3))),
        abstract=draw(WILD),
        tweets=tuple(draw(st.lists(wild_tweets(), max_size=2))),
        breakdown=tuple(
            draw(
                st.dictionaries(st.sampled_from(["x", "bluesky", "hackernews", "huggingface"]), st.integers(-5, 500))
            ).items()
        ),
        score_override=draw(st.none() | st.integers(-5, 10**6)),
    )


@st.composite
def wild_days(draw: st.DrawFn) -> Day:
    start = draw(st.dates(dt.date(1, 1, 1), dt.date(9999, 1, 1)))
    end = start + dt.timedelta(days=draw(st.integers(1, 5))) if draw(st.booleans()) else None
    title = draw(st.sampled_from(["", "Hot Papers ", "Hot: Papers ", "  ", "'", "true "])) + default_title(start, end)
    title = draw(st.sampled_from([title, title + "\r", title + " \t", title + "\u2028", "", "\r"]))
    return Day(
        date=start,
        end_date=end,
        title=draw(st.one_of(st.just(title), st.builds(lambda w: w + " " + default_title(start, end), WILD))),
        generated_at=draw(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31))),
        papers=tuple(draw(st.lists(wild_papers(), max_size=3))),
        slug=draw(st.one_of(st.just(""), WILD)),
        description=draw(st.one_of(st.just(""), WILD)),
    )


FIELD = re.compile(r"day\.\w+|papers\[\d+\]\.\w+(?:\[\d+\](?:\.\w+)?)?")


def check_door(day: Day) -> None:
    """The door refuses naming a real field, or gives a day that its post reads back as it is."""
    try:
        written = as_written(day)
    except UnwritableField as exc:
        assert FIELD.fullmatch(exc.field), exc.field
        event("refused: " + re.sub(r"\d+", "N", exc.field))
        return
    event("accepted")
    text = render_post(written)
    back = parse_post(text)
    assert back == written
    assert render_post(back) == text
    assert as_written(written) == written


@settings(max_examples=400, deadline=None)
@given(wild_days())
def test_any_text_is_refused_or_reads_back_as_written(day: Day) -> None:
    check_door(day)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None)
@given(wild_days())
def test_any_text_is_refused_or_reads_back_as_written_many(day: Day) -> None:
    check_door(day)


@pytest.mark.parametrize("brk", [*BREAKS, *CONTROLS])
def test_each_line_break_and_control_in_each_field(brk: str) -> None:
    tweet = make_tweet([f"a{brk}b"], name=f"N{brk}m")
    paper = make_paper(
        "2106.1",
        title=f"T{brk}t",
        authors=[f"A{brk}a", "B"],
        abstract=f"x{brk}y",
        tweets=[tweet],
    )
    day = replace(make_day([paper]), slug=f"s{brk}s", description=f"d{brk}d")
    written = as_written(day)
    folded = " " if brk in ("\r", "\r\n", "\n") else brk
    assert written.papers[0].title == f"T{folded}t"
    assert written.papers[0].authors == (f"A{folded}a", "B")
    assert written.papers[0].abstract == f"x{folded}y"
    # slug and description are YAML strings: escaped, so even line breaks survive.
    assert (written.slug, written.description) == (f"s{brk}s", f"d{brk}d")
    assert parse_post(render_post(written)) == written


@pytest.mark.parametrize("bad", UNWRITABLE)
def test_nul_and_lone_surrogates_are_refused_naming_the_field(bad: str) -> None:
    day = make_day([make_paper(abstract=f"x{bad}y")])
    with pytest.raises(UnwritableField) as caught:
        as_written(day)
    assert caught.value.field == "papers[0].abstract"
