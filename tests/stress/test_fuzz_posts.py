"""Fuzzing the readers: mutated posts, JSON days and embeds give a Day/Tweet or the project's own error.

Each target runs a few dozen cases in the default test run and thousands under
``pytest -m slow``; the session summary prints the number of cases run.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotpapers_tui.cli import main
from hotpapers_tui.daydata import DayDataError, day_from_json, day_to_json
from hotpapers_tui.feeds.folder import sample_path
from hotpapers_tui.model import Day, Paper, Tweet
from hotpapers_tui.posts import PostError, parse_post, read_post, render_post
from hotpapers_tui.tweets import TWITTER_SCRIPT, EmbedError, parse_embed
from tests.stress.fuzzcount import ACCEPTED, CASES

FAST_CASES = 150
SLOW_CASES = 3400  # three targets: over 10,000 cases in all under -m slow
MEGABYTE = 1 << 20


def _settings(cases: int) -> settings:
    # Huge lines make single cases slow by design; the timing is not what is under test.
    return settings(
        max_examples=cases,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


SAMPLE = sample_path().read_text(encoding="utf-8")
SAMPLE_EMBEDS = [line for line in SAMPLE.split("\n") if line.startswith("<blockquote")]

# Text drawn for generated posts: any character but surrogates, which cannot be written as UTF-8.
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
line_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\n\r"), max_size=40)
# Every line-break form and some controls, mixed into the text of generated days and JSON values.
# One text in thirty holds a NUL, which no post can carry.
BREAKS = ["\r", "\r\n", "\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\x1b", "\t"]
mixed_text = st.tuples(st.lists(st.one_of(line_text, st.sampled_from(BREAKS)), max_size=4), st.integers(0, 29)).map(
    lambda drawn: "".join(drawn[0]) + ("\x00" if drawn[1] == 0 else "")
)
when = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)


@st.composite
def tweets(draw: st.DrawFn) -> Tweet:
    text = draw(mixed_text)
    name = draw(mixed_text)
    html = (
        f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">{text}</p>&mdash; {name} (@h) '
        '<a href="https://twitter.com/h/status/1">June 22, 2021</a></blockquote>'
    )
    return Tweet(url="", author=name, handle="h", date="", text=text, lang="en", html=html, script=TWITTER_SCRIPT)


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    return Paper(
        arxiv_id="2106.00001",
        title=draw(mixed_text),
        authors=tuple(
            draw(st.lists(mixed_text.filter(lambda name: name.strip() and "\x00" not in name), min_size=1, max_size=3))
        ),
        retweets=draw(st.integers(0, 10**6)),
        favorites=draw(st.integers(0, 10**6)),
        counted_at=draw(when),
        abs_url="https://arxiv.org/abs/2106.00001",
        pdf_url="https://arxiv.org/pdf/2106.00001",
        categories=tuple(draw(st.lists(st.sampled_from(["cs.LG", "cs.CL", "stat.ML"]), min_size=1, max_size=2))),
        abstract=draw(mixed_text),
        tweets=tuple(draw(st.lists(tweets(), max_size=2))),
    )


@st.composite
def days(draw: st.DrawFn) -> Day:
    start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
    return Day(
        date=start,
        title=f"Hot Papers {start.isoformat()}",
        generated_at=draw(when),
        papers=tuple(draw(st.lists(papers(), max_size=4))),
    )


# --- mutations of a post's lines, text and bytes ---------------------------------------

LineOp = Callable[[list[str]], None]


def _at(lines: list[str], index: int) -> int:
    return index % len(lines) if lines else 0


LINE_OPS = ["drop", "duplicate", "swap", "truncate", "huge", "junk", "digits", "blank", "prefix", "inline", "inline"]


@st.composite
def line_ops(draw: st.DrawFn) -> tuple[str, LineOp]:
    kind = draw(st.sampled_from(LINE_OPS))
    i = draw(st.integers(0, 10_000))
    j = draw(st.integers(0, 10_000))

    def apply(lines: list[str]) -> None:
        if not lines:
            lines.append("")
        a, b = _at(lines, i), _at(lines, j)
        if kind == "drop":
            del lines[a]
        elif kind == "duplicate":
            lines.insert(a, lines[a])
        elif kind == "swap":
            lines[a], lines[b] = lines[b], lines[a]
        elif kind == "truncate":
            lines[a] = lines[a][: j % (len(lines[a]) + 1)]
        elif kind == "huge":
            lines[a] = lines[a] + huge_filler * (MEGABYTE // len(huge_filler))
        elif kind == "junk":
            lines.insert(a, junk)
        elif kind == "digits":
            # Counts and dates with absurdly many digits; short lines only, to bound memory.
            if len(lines[a]) <= 2000:
                lines[a] = "".join(c * (2000 if c.isdigit() else 1) for c in lines[a])
        elif kind == "blank":
            lines.insert(a, "")
        elif kind == "prefix":
            lines[a] = junk + lines[a]
        elif kind == "inline":
            # Inside a line: titles, authors and abstracts stay readable, only odder.
            cut = j % (len(lines[a]) + 1)
            lines[a] = lines[a][:cut] + junk.replace("\n", " ") + lines[a][cut:]

    huge_filler = draw(st.sampled_from(["a", "x y ", "(@", "[", "<", "9", "é", "# 1. "]))
    junk = draw(
        st.one_of(
            any_text,
            st.sampled_from(
                [
                    "---",
                    "# 1. ",
                    "# 99. Title",
                    "- links: [abs]() | [pdf]()",
                    "- retweets: 1, favorites: 2 (13/45/2021 99:99:99)",
                    "- []()",
                    "<blockquote",
                    "<blockquote><p>",
                    "</blockquote>",
                    "<script>",
                    "title:",
                    "date: 2021-02-30T10:00:00.Z",
                    "```",
                    "<!--",
                    "\x1b]52;c;ZXZpbA==\x07",
                ]
            ),
        )
    )
    return kind, apply


@st.composite
def post_bytes(draw: st.DrawFn) -> bytes:
    """A valid post (the sample or a generated one) with line, text and byte mutations applied."""
    text = draw(st.one_of(st.just(SAMPLE), days().map(render_post)))
    lines = text.split("\n")
    for _, apply in draw(st.lists(line_ops(), max_size=5)):
        apply(lines)
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.integers(0, 3)) == 0:
        text = "\ufeff" + text
    if draw(st.integers(0, 5)) == 0:
        at = draw(st.integers(0, len(text)))
        text = text[:at] + "\x00" + text[at:]
    data = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2, 3]))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        data[at] ^= draw(st.integers(1, 255))
    if draw(st.integers(0, 5)) == 0:
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80", b"\xf8\x88\x80\x80\x80"]))
    if draw(st.integers(0, 7)) == 0:
        data = bytearray(draw(st.binary(max_size=400)))
    return bytes(data)


_FOLDER = Path(tempfile.mkdtemp(prefix="hotpapers-fuzz-"))
_POST_FILE = _FOLDER / "2021-06-22---Hot-Papers.md"


def check_post(data: bytes) -> None:
    """Reading ``data`` from a file gives a Day or a PostError naming the file and a real line."""
    CASES["posts (read_post)"] += 1
    _POST_FILE.write_bytes(data)
    try:
        day = read_post(_POST_FILE)
    except PostError as exc:
        assert exc.source == str(_POST_FILE)
        assert exc.message
        if exc.line is not None:
            text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
            assert 1 <= exc.line <= max(len(text.split("\n")), data.count(b"\n") + 1)
        return
    assert isinstance(day, Day)
    ACCEPTED["posts (read_post)"] += 1
    # A post that reads must also read the same from a string, and write out again to a
    # post that reads back the same day.
    assert parse_post(data.decode("utf-8"), str(_POST_FILE)) == day
    assert parse_post(render_post(day), str(_POST_FILE)) == day


@_settings(FAST_CASES)
@given(post_bytes())
def test_mutated_posts_read_or_fail_clearly(data: bytes) -> None:
    check_post(data)


@pytest.mark.slow
@_settings(SLOW_CASES)
@given(post_bytes())
def test_mutated_posts_read_or_fail_clearly_slow(data: bytes) -> None:
    check_post(data)


# --- JSON days ---------------------------------------------------------------------------

SAMPLE_JSON = day_to_json(parse_post(SAMPLE, "sample"))
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=True)
    | any_text
    | mixed_text
    | st.sampled_from(["2021-06-22", "2021-06-23T10:32:04", "2021-02-30", "x", "", '"', "\\"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(any_text, children, max_size=3),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value[:3]):
            found += _paths(child, (*prefix, index))
    return found


@st.composite
def json_days(draw: st.DrawFn) -> Any:
    """A day's JSON with keys dropped, values replaced or lists emptied, anywhere in the tree (or none)."""
    base = draw(st.one_of(st.just(SAMPLE_JSON), days().map(day_to_json)))
    obj: Any = copy.deepcopy(base)
    for _ in range(draw(st.integers(0, 4))):
        path = draw(st.sampled_from(_paths(obj)))
        action = draw(st.sampled_from(["replace", "drop", "replace", "empty"]))
        if not path:
            obj = draw(json_values) if action == "replace" else obj
            continue
        parent = obj
        for step in path[:-1]:
            parent = parent[step]
        key = path[-1]
        if action == "drop" and isinstance(parent, dict):
            del parent[key]
        elif action == "empty" and isinstance(parent[key], list | dict):
            parent[key] = type(parent[key])()
        else:
            parent[key] = draw(json_values)
    # Through real JSON text, as the command line reads it.
    return json.loads(json.dumps(obj))


def check_json(obj: Any) -> None:
    CASES["JSON days (day_from_json)"] += 1
    try:
        day = day_from_json(obj)
    except DayDataError as exc:
        assert str(exc)
        return
    assert isinstance(day, Day)
    ACCEPTED["JSON days (day_from_json)"] += 1
    # Accepted JSON must give fields of the declared types, not whatever the JSON held.
    assert all(isinstance(v, str) for v in (day.title, day.slug, day.description))
    for paper in day.papers:
        assert all(isinstance(v, str) for v in (paper.title, paper.abstract, paper.abs_url, *paper.authors))
        assert type(paper.retweets) is int and type(paper.favorites) is int
        for tweet in paper.tweets:
            assert all(isinstance(v, str) for v in (tweet.url, tweet.text, tweet.html, tweet.platform))
            assert all(v is None or type(v) is int for v in (tweet.reposts, tweet.likes, tweet.comments))
    # What the writer accepts, the reader reads back: the same day, and the same file again.
    text = render_post(day)
    back = parse_post(text)
    assert back == day
    assert render_post(back) == text


@_settings(FAST_CASES)
@given(json_days())
def test_mutated_json_days_read_or_fail_clearly(obj: Any) -> None:
    check_json(obj)


@pytest.mark.slow
@_settings(SLOW_CASES)
@given(json_days())
def test_mutated_json_days_read_or_fail_clearly_slow(obj: Any) -> None:
    check_json(obj)


# --- embeds --------------------------------------------------------------------------------


EMBED_PIECES = [
    "<blockquote>",
    "</blockquote>",
    "<p>",
    "</p>",
    "<br>",
    "<![CDATA[",
    "<!--",
    "&#0;",
    "&#x110000;",
    "&#xd800;",
    "<a href=javascript:alert(1)>",
    "(@",
    "\x00",
    "<",
    "&",
    "</",
    "<!",
]


@st.composite
def embeds(draw: st.DrawFn) -> str:
    html = draw(st.sampled_from(SAMPLE_EMBEDS))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(html)))
        kind = draw(st.sampled_from(["cut", "insert", "delete"]))
        if kind == "cut":
            html = html[:at]
        elif kind == "delete":
            html = html[:at] + html[at + draw(st.integers(1, 30)) :]
        else:
            piece = draw(
                st.one_of(
                    any_text,
                    st.sampled_from(EMBED_PIECES),
                )
            )
            html = html[:at] + piece + html[at:]
    if draw(st.integers(0, 9)) == 0:
        html = draw(any_text)
    return html


def check_embed(html: str) -> None:
    CASES["embeds (parse_embed)"] += 1
    try:
        tweet = parse_embed(html, TWITTER_SCRIPT)
    except EmbedError as exc:
        assert str(exc)
        return
    assert isinstance(tweet, Tweet)
    assert tweet.html == html
    ACCEPTED["embeds (parse_embed)"] += 1


@_settings(FAST_CASES)
@given(embeds())
def test_mutated_embeds_read_or_fail_clearly(html: str) -> None:
    check_embed(html)


@pytest.mark.slow
@_settings(SLOW_CASES)
@given(embeds())
def test_mutated_embeds_read_or_fail_clearly_slow(html: str) -> None:
    check_embed(html)


# --- the command line, end to end -------------------------------------------------------------


@st.composite
def json_texts(draw: st.DrawFn) -> bytes:
    """A day's JSON file, structurally mutated, then cut, spliced or corrupted as bytes."""
    data = bytearray(json.dumps(draw(json_days())).encode("utf-8"))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["cut", "flip", "insert"]))
        if kind == "cut":
            del data[at:]
        elif kind == "flip" and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
        else:
            data[at:at] = draw(st.sampled_from([b"{", b"]", b'"', b"\\u", b"\\ud800", b"\xff", b"\x00", b"1e999"]))
    return bytes(data)


_JSON_FILE = _FOLDER / "day.json"


def check_cli_json(data: bytes) -> None:
    """``export --from-json`` prints a post or one error line with status 1, never a traceback."""
    CASES["JSON files (export --from-json)"] += 1
    _JSON_FILE.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["export", "--from-json", str(_JSON_FILE), "-o", "-"])
    if status == 0:
        assert out.getvalue().startswith("---\n")
        ACCEPTED["JSON files (export --from-json)"] += 1
        # The post written reads back as the day the JSON gave.
        assert parse_post(out.getvalue()) == day_from_json(json.loads(data))
    else:
        assert status == 1
        assert err.getvalue().count("\n") == 1
        assert "Traceback" not in err.getvalue()


@_settings(FAST_CASES)
@given(json_texts())
def test_mutated_json_files_export_or_fail_in_one_line(data: bytes) -> None:
    check_cli_json(data)


@pytest.mark.slow
@_settings(1000)
@given(json_texts())
def test_mutated_json_files_export_or_fail_in_one_line_slow(data: bytes) -> None:
    check_cli_json(data)
