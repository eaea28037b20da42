"""Malformed posts: one PostError naming the file, the exact line and what was expected."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotpapers_tui.posts import COUNTS_SHAPE, PostError, parse_post, read_post
from tests.posts.post_texts import CANONICAL, EMBED

LINES = CANONICAL.split("\n")


def lines_with(replacements: dict[int, str | None], lines: list[str] = LINES) -> str:
    """CANONICAL with 1-based lines replaced (None deletes the line)."""
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        new = replacements.get(number, line)
        if new is not None:
            out.append(new)
    return "\n".join(out)


def error_of(text: str, source: str = "posts/bad.md") -> PostError:
    with pytest.raises(PostError) as caught:
        parse_post(text, source)
    return caught.value


CASES = [
    pytest.param(
        "\n".join(LINES[:20]) + "\n",
        21,
        f"expected {COUNTS_SHAPE}, found the end of the file",
        id="truncated-after-authors",
    ),
    pytest.param(
        "\n".join(LINES[:21]) + "\n- retweets: 10, favor",
        22,
        f"expected {COUNTS_SHAPE}, found '- retweets: 10, favor'",
        id="truncated-mid-counts-line",
    ),
    pytest.param(
        "\n".join(LINES[:18]),
        18,
        "expected the authors of paper 1, found the end of the file",
        id="truncated-after-heading",
    ),
    pytest.param(
        "\n".join(LINES[:28]) + "\n" + EMBED[:80],
        29,
        "expected a post embed '<blockquote ...>...</blockquote>': embed HTML has no closing </blockquote>",
        id="truncated-mid-embed",
    ),
    pytest.param(
        "\n".join(LINES[:8]),
        8,
        "expected the front matter to close with '---', found the end of the file",
        id="truncated-in-front-matter",
    ),
    pytest.param(
        lines_with({22: None}),
        23,
        f"expected {COUNTS_SHAPE}, found '- links: [abs](https://arxiv.org/abs/2106.00001) | [pdf](htt...'",
        id="missing-counts-line",
    ),
    pytest.param(
        lines_with({39: "- retweets: lots, favorites: 1 (06/23/2021 10:32:05)"}),
        39,
        f"expected {COUNTS_SHAPE}, found '- retweets: lots, favorites: 1 (06/23/2021 10:32:05)'",
        id="garbage-in-counts",
    ),
    pytest.param(
        lines_with({22: "- retweets: 10, favorites: 5 (13/45/2021 10:32:04)"}),
        22,
        f"expected {COUNTS_SHAPE} with a real date and time, "
        "found '- retweets: 10, favorites: 5 (13/45/2021 10:32:04)'",
        id="impossible-count-date",
    ),
    pytest.param(
        lines_with({29: '<blockquote class="twitter-tweet">no paragraph</blockquote>'}),
        29,
        "expected a post embed '<blockquote ...>...</blockquote>': embed HTML has no <p>...</p> text",
        id="embed-without-text",
    ),
    pytest.param(
        lines_with({29: EMBED.replace("</blockquote>", "")}),
        29,
        "expected a post embed '<blockquote ...>...</blockquote>': embed HTML has no closing </blockquote>",
        id="embed-never-closed",
    ),
    pytest.param(
        lines_with({32: "stray text after the embeds"}),
        32,
        "expected an embed '<blockquote class=\"twitter-tweet\">' or the heading '# 2. Title', "
        "found 'stray text after the embeds'",
        id="stray-line-after-embeds",
    ),
    pytest.param(
        lines_with({24: "- links: https://arxiv.org/abs/2106.00001"}),
        24,
        "expected '- links: [abs](URL) | [pdf](URL)', found '- links: https://arxiv.org/abs/2106.00001'",
        id="links-without-markdown",
    ),
    pytest.param(
        lines_with({25: "cs.LG, stat.ML"}),
        25,
        "expected '- [cs.XX](https://arxiv.org/list/cs.XX/recent) | ...', found 'cs.LG, stat.ML'",
        id="categories-not-linked",
    ),
    pytest.param(
        lines_with({18: "## 1. Wrong level"}),
        18,
        "expected paper 1's heading '# 1. Title', found '## 1. Wrong level'",
        id="bad-heading",
    ),
    pytest.param(
        "\n".join(LINES[16:]),
        1,
        "expected front matter opening with '---', found an empty line",
        id="no-front-matter",
    ),
    pytest.param(
        "# Hot Papers\n\nsome text\n",
        1,
        "expected front matter opening with '---', found '# Hot Papers'",
        id="plain-markdown",
    ),
    pytest.param(
        lines_with({3: "date: yesterday"}),
        3,
        "expected 'date: YYYY-MM-DDTHH:MM:SS.Z', found 'yesterday'",
        id="bad-generated-date",
    ),
    pytest.param(
        lines_with({3: "date: 2021-13-45T10:32:04.Z"}),
        3,
        "expected 'date: YYYY-MM-DDTHH:MM:SS.Z' with a real date and time, found '2021-13-45T10:32:04.Z'",
        id="impossible-generated-date",
    ),
    pytest.param("", 1, "expected front matter opening with '---', found an empty line", id="empty-file"),
    pytest.param(
        lines_with({2: "title: Hot Papers"}),
        2,
        "expected a date (YYYY-MM-DD) in the title, found 'Hot Papers'",
        id="title-without-date",
    ),
    pytest.param(
        lines_with({5: "draft false"}),
        5,
        "expected 'key: value' in the front matter, found 'draft false'",
        id="front-matter-line-without-colon",
    ),
    pytest.param(
        "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        3,
        "binary data (a NUL byte) where a Markdown post was expected",
        id="binary-junk-with-nul",
    ),
    pytest.param(
        "\x89PNG\r\n\x1a\n\x7fELF\x02\x01",
        1,
        "expected front matter opening with '---', found '\\x89PNG'",
        id="binary-junk-without-nul",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), CASES)
def test_malformed_post_names_file_line_and_expectation(text: str, line: int, message: str) -> None:
    error = error_of(text)
    assert (error.source, error.line, error.message) == ("posts/bad.md", line, message)
    assert str(error) == f"posts/bad.md: line {line}: {message}"


def test_title_without_date_falls_back_to_the_file_name() -> None:
    day = parse_post(lines_with({2: "title: Hot Papers"}), "posts/2021-06-22---Hot-Papers.md")
    assert day.date.isoformat() == "2021-06-22"


def test_read_post_rejects_invalid_utf8_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "2021-06-22---Hot-Papers.md"
    data = CANONICAL.encode("utf-8").replace(b"An abstract.", b"An abs\xff\xfetract.")
    path.write_bytes(data)
    with pytest.raises(PostError) as caught:
        read_post(path)
    assert str(caught.value) == f"{path}: line 27: expected UTF-8 text, found undecodable bytes"


def test_read_post_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PostError) as caught:
        read_post(tmp_path / "nope.md")
    assert str(caught.value) == f"{tmp_path / 'nope.md'}: cannot read the file (No such file or directory)"


def _parse_or_post_error(text: str) -> None:
    """Parsing either succeeds or raises PostError with a line inside the text."""
    try:
        parse_post(text, "fuzz.md")
    except PostError as exc:
        assert exc.source == "fuzz.md"
        assert exc.line is not None
        assert 1 <= exc.line <= text.count("\n") + 1


def test_every_truncation_reads_or_fails_cleanly() -> None:
    for cut in range(len(CANONICAL)):
        _parse_or_post_error(CANONICAL[:cut])


def test_every_deleted_line_reads_or_fails_cleanly() -> None:
    for number in range(1, len(LINES) + 1):
        _parse_or_post_error(lines_with({number: None}))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_random_edits_read_or_fail_cleanly(data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(CANONICAL)))
    drop = data.draw(st.integers(0, 40))
    junk = data.draw(st.text(max_size=30))
    _parse_or_post_error(CANONICAL[:at] + junk + CANONICAL[at + drop :])


@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False))
def test_random_digits_read_or_fail_cleanly(rng: random.Random) -> None:
    # Same-length digit runs keep every shape intact, so impossible dates and times get through the regexes.
    def scramble(match: re.Match[str]) -> str:
        return "".join(rng.choice("0123456789") for _ in match.group()) if rng.random() < 0.3 else match.group()

    _parse_or_post_error(re.sub(r"\d+", scramble, CANONICAL))


def test_a_date_ending_in_a_newline_is_refused_not_silently_dropped() -> None:
    # The quoted form may hold a "\n" escape; "$" used to accept the date before it, and
    # writing the day back dropped the newline: the file read was not the file written.
    error = error_of(lines_with({3: 'date: "2021-06-23T10:32:04.Z\\n"'}))
    assert (error.line, error.message) == (
        3,
        "expected 'date: YYYY-MM-DDTHH:MM:SS.Z', found '2021-06-23T10:32:04.Z\\n'",
    )
    assert parse_post(lines_with({3: 'date: "2021-06-23T10:32:04.Z"'})).generated_at.isoformat() == (
        "2021-06-23T10:32:04"
    )
