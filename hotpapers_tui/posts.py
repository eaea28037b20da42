"""Reading and writing Hot Papers posts: ``parse_post`` turns a post into a Day, ``render_post`` back.

The layout of a post is positional (heading, authors, counts, links, categories,
abstract, embeds), so the reader walks the lines in that order and hands the parts that
really are Markdown to markdown-it-py: the front matter (mdit-py-plugins) and the two
link lines. The abstract is deliberately not given to a Markdown parser: it is plain
text, and a fence or an HTML comment in it would otherwise swallow the rest of the day.

Blank lines are trivia, kept the way a lossless syntax tree keeps them: where a post's
blank lines differ from the canonical layout, the reader keeps them with the paper
they belong to (:class:`~hotpapers_tui.model.PaperLayout`), and the writer puts them
back, so a post read and written again is the same file. A paper built from data has
no layout and is written in the canonical one.

A live paper's score and its parts by source have no place in the archive's counts
line; they are written as one more blockquote after the paper's posts (the score
line) and read back from it, so a saved live day reads back with the scores it was
saved with.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from functools import cache, lru_cache
from html import escape
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from hotpapers_tui.localfile import MAX_POST_BYTES, FileRefused, read_regular_file
from hotpapers_tui.model import Day, DayLayout, Paper, PaperLayout, Tweet, default_title
from hotpapers_tui.tweets import EmbedError, parse_embed

GENERATED_FORMAT = "%Y-%m-%dT%H:%M:%S"
COUNTED_FORMAT = "%m/%d/%Y %H:%M:%S"

# Validation patterns end in \Z, not "$", which also matches before a final newline.
_FILENAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:-(\d{4}-\d{2}-\d{2}))?---Hot-Papers\.md\Z")
_HEADING = re.compile(r"^# (\d+)\. (.*)\Z")
_COUNTS = re.compile(r"^- retweets: (\d+), favorites: (\d+) \((\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2})\)\s*\Z")
_GENERATED = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d*)?Z?\Z")
_TITLE_DATES = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\s*-\s*(\d{4}-\d{2}-\d{2}))?\s*$")
_ABS_ID = re.compile(r"/abs/(.+?)(?:v\d+)?/?\Z")

COUNTS_SHAPE = "'- retweets: N, favorites: N (MM/DD/YYYY HH:MM:SS)'"
LINKS_SHAPE = "'- links: [abs](URL) | [pdf](URL)'"
CATEGORIES_SHAPE = "'- [cs.XX](https://arxiv.org/list/cs.XX/recent) | ...'"

SCORE_CLASS = "hotpapers-score"
"""The class of the blockquote that carries a live paper's score and its parts."""
SCORE_SHAPE = f"'<blockquote class=\"{SCORE_CLASS}\"><p>score N: source N, ...</p></blockquote>'"
HUGGING_FACE_PAPER = "https://huggingface.co/papers/{arxiv_id}"
_SCORE_PREFIX = f'<blockquote class="{SCORE_CLASS}">'
_SCORE_LINE = re.compile(rf"^{_SCORE_PREFIX}<p>(.*)</p></blockquote>\Z")
_SCORE_HEAD = re.compile(r"score (-?\d{1,30})(?:: |\Z)")
_SCORE_PART = re.compile(r"([a-z][a-z0-9_.-]*) (-?\d{1,30})")
BREAKDOWN_NAME = re.compile(r"[a-z][a-z0-9_.-]*")
"""What a source's name in a score line looks like (``x``, ``bluesky``, ``hackernews``, ``huggingface``)."""
_HN_COUNTS = re.compile(r"(?:^|\n)(\d{1,30}) points, (\d{1,30}) comments$")

# The canonical link lines, read without a Markdown pass. The URL shape is one that
# markdown-it's normalizeLink leaves unchanged (an arXiv host, a plain path), so the
# fast path and markdown-it agree; any other line goes through markdown-it.
_URL = r"https?://(?:www\.|export\.)?arxiv\.org/[A-Za-z0-9/._~-]*"
_CANONICAL_LINKS = re.compile(rf"^- links: \[abs\]\(({_URL})\) \| \[pdf\]\(({_URL})\)\Z")
_CANONICAL_CATEGORY = re.compile(rf"\[([A-Za-z0-9.\-]+)\]\({_URL}\)")
CATEGORY_NAME = re.compile(r"[A-Za-z0-9.\-]+")
"""What a category a post can carry looks like (``cs.LG``, ``physics.soc-ph``)."""

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@cache
def _inline() -> MarkdownIt:
    """Only what the link lines need: inline links, nothing that could reinterpret text."""
    # Imported on first use: canonical posts never need it, and the reader starts faster without it.
    from markdown_it import MarkdownIt

    return MarkdownIt("zero").enable(["link"])


@cache
def _front() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("zero").use(front_matter_plugin)


# A marker line the front-matter plugin could take as the closing one.
_MARKER_LINE = re.compile(r"^-{3,}[ \t]*$", re.M)

# The line breaks the reader splits on: a lone "\r" is one (old Mac files), so it can
# never stand inside a field. Other line-break characters (\x0b, \x85, \u2028, ...) are
# ordinary characters to Markdown and to the reader, and stay as they are.
_BREAKS = re.compile(r"\r\n|[\r\n]")


class PostError(ValueError):
    """A post that cannot be read: says which file, which line, and what was expected."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}: line {line}" if line is not None else source
        super().__init__(f"{where}: {message}")


# --- front matter ----------------------------------------------------------------------------


def _front_lines(text: str, source: str) -> tuple[list[str], int]:
    """Split off the front matter; returns its lines and the line index after it."""
    first = text.split("\n", 1)[0]
    if first.rstrip() != "---":
        raise PostError(source, 1, f"expected front matter opening with '---', found {_show(first)}")
    end = _front_end(text)
    if end is None:
        last = text.count("\n", 0, len(text.rstrip("\n"))) + 1
        raise PostError(source, last, "expected the front matter to close with '---', found the end of the file")
    head = text[: end + 1]
    if head.startswith("---\n") and head.rstrip("\n").endswith("\n---"):
        # The canonical shape (both marker lines exactly '---', no other marker line between),
        # read without a Markdown pass; it is what the plugin gives for it.
        lines = head.rstrip("\n").split("\n")
        if not any(_MARKER_LINE.match(line) for line in lines[1:-1]):
            return "\n".join(lines[1:-1]).split("\n"), len(lines)
    tokens = _front().parse(head)
    if not tokens or tokens[0].type != "front_matter" or tokens[0].map is None:
        raise PostError(source, 1, "expected front matter between two '---' lines")
    return tokens[0].content.split("\n"), tokens[0].map[1]


def _front_end(text: str) -> int | None:
    """Offset of the end of the closing ``---`` line, or None if it never closes."""
    match = re.search(r"^---[ \t]*$", text[3:], re.M)
    if match is None:
        return None
    return 3 + match.end()


def _show(line: str, limit: int = 60) -> str:
    """A line quoted for an error message, cut to a readable length."""
    if not line.strip():
        return "an empty line"
    cut = line if len(line) <= limit else line[:limit] + "..."
    return repr(cut)


_YAML_WRITE = {
    "\\": "\\\\",
    '"': '\\"',
    "\x00": "\\0",
    "\x07": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}
_YAML_READ = {
    "0": "\x00",
    "a": "\x07",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\x0b",
    "f": "\x0c",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
# YAML's non-printable characters, its line breaks (a quoted value stays on one line),
# and the two characters that end or escape a double-quoted value.
_YAML_UNSAFE = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]')
_YAML_TOKEN = re.compile(r'[^"\\]+|\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))', re.S)
# A title written without quotes, as the archive writes it: plain YAML that can only read
# back as this same string (no indicator, no ': ' or ' #', no word YAML takes for a value).
_PLAIN_TITLE = re.compile(r"[A-Za-z](?:[A-Za-z0-9 ._-]*[A-Za-z0-9._-])?")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


def _yaml_escape(char: re.Match[str]) -> str:
    found = char.group()
    known = _YAML_WRITE.get(found)
    if known is not None:
        return known
    code = ord(found)
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar on one line, escaped per YAML's rules."""
    return '"' + _YAML_UNSAFE.sub(_yaml_escape, text) + '"'


def yaml_unquoted(value: str) -> str | None:
    """The string a YAML double-quoted scalar (quotes included) stands for; None if it is not one."""
    if len(value) < 2 or value[0] != '"' or value[-1] != '"':
        return None
    inner = value[1:-1]
    if "\\" not in inner and '"' not in inner:
        return inner
    out: list[str] = []
    pos = 0
    while pos < len(inner):
        token = _YAML_TOKEN.match(inner, pos)
        if token is None:
            return None  # a bare '"' inside, or a backslash at the very end
        pos = token.end()
        hexa = token.group(1) or token.group(2) or token.group(3)
        if hexa is not None:
            code = int(hexa, 16)
            if code > 0x10FFFF:
                return None
            out.append(chr(code))
        elif token.group(4) is not None:
            simple = _YAML_READ.get(token.group(4))
            if simple is None:
                return None
            out.append(simple)
        else:
            out.append(token.group())
    return "".join(out)


def _read_front(lines: list[str], source: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, line in enumerate(lines, start=2):
        if not line.strip() or line.startswith((" ", "\t")):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise PostError(source, number, f"expected 'key: value' in the front matter, found {_show(line)}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            # A value this project wrote is escaped per YAML; one that does not decode
            # keeps its text between the quotes, as it always read.
            decoded = yaml_unquoted(value)
            value = decoded if decoded is not None else value[1:-1]
        values[key.strip()] = value
    return values


def _front_line_of(front: list[str], key: str) -> int:
    for number, line in enumerate(front, start=2):
        if line.startswith(key + ":"):
            return number
    return 2


# --- link lines --------------------------------------------------------------------------------


def _link_targets(line: str) -> list[tuple[str, str]]:
    """The (text, href) pairs of the Markdown links on one line."""
    pairs: list[tuple[str, str]] = []
    for block in _inline().parse(line):
        for tok in block.children or ():
            if tok.type == "link_open":
                pairs.append(("", str(tok.attrs.get("href", ""))))
            elif tok.type == "text" and pairs and not pairs[-1][0]:
                pairs[-1] = (tok.content, pairs[-1][1])
    return pairs


def _read_links(line: str) -> dict[str, str]:
    """The abs and pdf URLs of a links line, keyed by link text; empty if it is not one."""
    canonical = _CANONICAL_LINKS.match(line)
    if canonical:
        return {"abs": canonical.group(1), "pdf": canonical.group(2)}
    return dict(_link_targets(line)) if line.startswith("- links:") else {}


def _links_line(abs_url: str, pdf_url: str) -> str:
    return f"- links: [abs]({_one_line(abs_url)}) | [pdf]({_one_line(pdf_url)})"


def _read_written_links(line: str) -> dict[str, str]:
    """:func:`_read_links`, empty unless the writer's own line for the URLs reads back the same.

    Markdown takes a link's URL in forms the writer does not write (``<...>``, escapes);
    a URL the writer's plain form would change is refused, so what is read writes back.
    """
    links = _read_links(line)
    if "abs" in links and "pdf" in links and not _CANONICAL_LINKS.match(line):
        again = _read_links(_links_line(links["abs"], links["pdf"]))
        if again.get("abs") != links["abs"] or again.get("pdf") != links["pdf"]:
            return {}
    return links


def _read_categories(line: str) -> list[str]:
    """The category names of a categories line; empty if it is not one (or names one no post can carry)."""
    if not line.startswith("- ["):
        return []
    items = line[2:].split(" | ")
    found = [_CANONICAL_CATEGORY.fullmatch(item) for item in items]
    if all(found):
        return [match.group(1) for match in found if match]
    names = [text for text, _ in _link_targets(line)]
    return names if all(CATEGORY_NAME.fullmatch(name) for name in names) else []


def arxiv_id_from_abs(url: str) -> str:
    """The arXiv id of an abs URL, without version; empty if the URL has none."""
    match = _ABS_ID.search(url)
    return match.group(1) if match else ""


def title_dates(title: str) -> tuple[date, date | None] | None:
    """The date (and end date) at the end of a post's title, as the reader takes them; None if there are none."""
    dates = _TITLE_DATES.search(title)
    if dates is None:
        return None
    try:
        start = date.fromisoformat(dates.group(1))
        end = date.fromisoformat(dates.group(2)) if dates.group(2) else None
    except ValueError:
        return None
    return start, end


def day_from_filename(name: str) -> tuple[date, date | None] | None:
    """The date (and end date) a post's canonical file name carries, or None."""
    match = _FILENAME.fullmatch(name)  # not match: ``$`` also accepts a name ending in a newline
    if not match:
        return None
    try:
        start = date.fromisoformat(match.group(1))
        end = date.fromisoformat(match.group(2)) if match.group(2) else None
    except ValueError:
        return None
    return start, end


# --- embeds and the score line ---------------------------------------------------------------


def read_embed(html: str, script: str | None = None) -> Tweet:
    """One embed line as a Tweet, with a Hacker News story's points and comments read from its text.

    Raises EmbedError when the line is not an embed.
    """
    tweet = parse_embed(html, script)
    if tweet.platform == "hackernews":
        counts = _HN_COUNTS.search(tweet.text)
        if counts:
            tweet = replace(tweet, likes=int(counts.group(1)), comments=int(counts.group(2)))
    return tweet


def _score_name(name: str, abs_url: str) -> str:
    if name == "huggingface":
        arxiv_id = arxiv_id_from_abs(abs_url)
        if arxiv_id:
            href = escape(HUGGING_FACE_PAPER.format(arxiv_id=arxiv_id))
            return f'<a href="{href}">huggingface</a>'
    return name


def score_line(score: int | None, breakdown: tuple[tuple[str, int], ...], abs_url: str) -> str:
    """The score line of a paper: ``score N: source N, ...``; empty for a paper scored by its counts alone.

    The Hugging Face part links the paper's page there, where its upvotes are.
    """
    if score is None and not breakdown:
        return ""
    parts = ", ".join(f"{_score_name(name, abs_url)} {value}" for name, value in breakdown)
    head = f"score {score}" if score is not None else ""
    body = f"{head}: {parts}" if head and parts else head or parts
    return f"{_SCORE_PREFIX}<p>{_one_line(body)}</p></blockquote>"


def _read_score(line: str, abs_url: str) -> tuple[int | None, tuple[tuple[str, int], ...]] | None:
    """The score and breakdown of a score line, or None if it is not one exactly as written here."""
    match = _SCORE_LINE.match(line)
    if match is None:
        return None
    text = re.sub(r"<[^>]*>", "", match.group(1))
    score: int | None = None
    head = _SCORE_HEAD.match(text)
    if head is not None:
        score = int(head.group(1))
        text = text[head.end() :]
    breakdown: list[tuple[str, int]] = []
    if text:
        for item in text.split(", "):
            part = _SCORE_PART.fullmatch(item)
            if part is None:
                return None
            breakdown.append((part.group(1), int(part.group(2))))
    found = (score, tuple(breakdown))
    # Only the exact line this writer makes, so writing it again gives the same bytes.
    return found if score_line(*found, abs_url) == line else None


# --- reading -----------------------------------------------------------------------------------


class _Lines:
    """A cursor over a post's lines with 1-based line numbers for errors."""

    def __init__(self, lines: list[str], start: int, source: str) -> None:
        self.lines = lines
        self.pos = start
        self.source = source

    def done(self) -> bool:
        return self.pos >= len(self.lines)

    def peek(self) -> str | None:
        return self.lines[self.pos] if self.pos < len(self.lines) else None

    def skip_blank(self) -> None:
        lines, pos, end = self.lines, self.pos, len(self.lines)
        # isspace() stops at the first visible character; strip() would copy the line.
        while pos < end and (not lines[pos] or lines[pos].isspace()):
            pos += 1
        self.pos = pos

    def take(self, what: str) -> str:
        """The next non-blank line; fails naming ``what`` if the post ends first."""
        self.skip_blank()
        if self.done():
            raise PostError(self.source, len(self.lines), f"expected {what}, found the end of the file")
        line = self.lines[self.pos]
        self.pos += 1
        return line

    def fail(self, what: str, line: str) -> PostError:
        """An error about the line just taken."""
        return PostError(self.source, self.pos, f"expected {what}, found {_show(line)}")

    def fail_next(self, what: str, line: str) -> PostError:
        """An error about the line :meth:`peek` returned (not yet taken)."""
        return PostError(self.source, self.pos + 1, f"expected {what}, found {_show(line)}")

    def next_paper_starts(self) -> bool:
        """Whether the line at the cursor is the heading of a next paper, not text that looks like one.

        The abstract is read by position and may itself start with ``# 2. ...``; a real
        heading is preceded by the empty lines an empty abstract leaves, or followed
        by a counts line within the next two lines.
        """
        line = self.peek()
        if line is None or not _HEADING.match(line):
            return False
        if self.pos >= 2 and not self.lines[self.pos - 1].strip() and not self.lines[self.pos - 2].strip():
            return True
        ahead = 0
        for later in self.lines[self.pos + 1 :]:
            if not later.strip():
                continue
            if _COUNTS.match(later):
                return True
            ahead += 1
            if ahead == 2:
                break
        return False


Shape = tuple[bool, tuple[bool, ...], bool]
"""What a paper's post holds besides its fixed lines: an abstract line, each post's script line, a score line."""


def _shape(paper: Paper) -> Shape:
    abstract = _one_line(paper.abstract)
    return (
        bool(abstract) and not abstract.isspace(),
        tuple(t.script is not None for t in paper.tweets),
        bool(paper.breakdown) or paper.score_override is not None,
    )


@lru_cache(maxsize=512)
def _canonical_gaps(shape: Shape) -> tuple[tuple[int, ...], int]:
    """Blank lines before each non-blank line after the heading, and after the paper's last one."""
    has_abstract, scripts, has_score = shape
    gaps = [1, 1, 1, 0]  # authors, counts, links, categories
    # An empty abstract is one more empty line between the categories and what follows.
    first = 1 if has_abstract else 3
    if has_abstract:
        gaps.append(1)
    for script in scripts:
        gaps.append(first)
        first = 1
        if script:
            gaps.append(0)
    if has_score:
        gaps.append(first)
        first = 1
    return tuple(gaps), 4 if first == 1 else 6


def _separators(lines: list[str], marks: list[int]) -> tuple[str, ...]:
    """The exact text between consecutive marked lines: a newline, then each blank line with its own."""
    return tuple("\n" + "".join(blank + "\n" for blank in lines[a + 1 : b]) for a, b in pairwise(marks))


def parse_post(text: str, source: str = "<post>") -> Day:
    """Read a Hot Papers post into a Day; raises PostError naming ``source`` and the line.

    Papers keep the post's order: its numbering is the ranking (equal numbers keep file
    order). Blank lines that differ from the canonical layout are kept as the papers'
    layout, so :func:`render_post` writes the same file again.
    """
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise PostError(source, line, "binary data (a NUL byte) where a Markdown post was expected")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    front, after = _front_lines(text, source)
    meta = _read_front(front, source)
    title = meta.get("title")
    if not title:
        raise PostError(source, 2, "expected 'title: Hot Papers YYYY-MM-DD' in the front matter")
    dates = title_dates(title) or day_from_filename(Path(source).name)
    if dates is None:
        raise PostError(source, 2, f"expected a date (YYYY-MM-DD) in the title, found {_show(title)}")
    start, end = dates
    raw_date = meta.get("date", "")
    stamp = _GENERATED.match(raw_date)
    if not stamp:
        raise PostError(
            source, _front_line_of(front, "date"), f"expected 'date: YYYY-MM-DDTHH:MM:SS.Z', found {_show(raw_date)}"
        )
    try:
        generated = datetime.strptime(stamp.group(1), GENERATED_FORMAT)
    except ValueError:
        raise PostError(
            source,
            _front_line_of(front, "date"),
            f"expected 'date: YYYY-MM-DDTHH:MM:SS.Z' with a real date and time, found {_show(raw_date)}",
        ) from None
    slug = meta.get("slug", "")
    description = meta.get("description", "")
    canonical = Day(date=start, end_date=end, title=title, generated_at=generated)
    lines = text.split("\n")
    papers, numbers, day_layout = _read_papers(lines, after, source)
    if any(b < a for a, b in pairwise(numbers)):
        papers = [papers[i] for i in sorted(range(len(papers)), key=numbers.__getitem__)]
    return Day(
        date=start,
        end_date=end,
        title=title,
        generated_at=generated,
        papers=tuple(papers),
        slug="" if slug == canonical.canonical_slug else slug,
        description="" if description == canonical.canonical_description else description,
        layout=day_layout,
    )


def _read_papers(lines: list[str], after: int, source: str) -> tuple[list[Paper], list[int], DayLayout | None]:
    """The papers after the front matter (ending on line index ``after - 1``), their numbers and layouts."""
    cursor = _Lines(lines, after, source)
    # Only a post with a blank line holding spaces needs its separators compared as text.
    spaced = any(map(str.isspace, lines))
    papers: list[Paper] = []
    numbers: list[int] = []
    previous = after - 1
    lead_gap = 1
    cursor.skip_blank()
    while not cursor.done():
        paper, number, marks, shape = _parse_paper(cursor, len(papers) + 1)
        gaps, lead_next = _canonical_gaps(shape)
        leading: str | None = None
        inner: tuple[str, ...] | None = None
        if spaced:
            found = _separators(lines, [previous, *marks])
            if found[0] != "\n" * (lead_gap + 1):
                leading = found[0]
            if found[1:] != tuple("\n" * (gap + 1) for gap in gaps):
                inner = found[1:]
        else:
            if marks[0] - previous - 1 != lead_gap:
                leading = "\n" * (marks[0] - previous)
            if tuple(b - a - 1 for a, b in pairwise(marks)) != gaps:
                inner = _separators(lines, marks)
        if leading is not None or inner is not None:
            paper = replace(paper, layout=PaperLayout(not papers, leading, shape, inner))
        papers.append(paper)
        numbers.append(number)
        previous, lead_gap = marks[-1], lead_next
        cursor.skip_blank()
    rest = lines[previous + 1 :]
    tail = "\n" + "\n".join(rest) if rest else ""
    if not papers:
        return papers, numbers, None if tail == "\n" else DayLayout(tail)
    if tail != "\n" * lead_gap:
        last = papers[-1]
        layout = last.layout or PaperLayout(len(papers) == 1, shape=_shape(last))
        papers[-1] = replace(last, layout=replace(layout, tail=tail))
    return papers, numbers, None


def _parse_paper(cursor: _Lines, rank: int) -> tuple[Paper, int, list[int], Shape]:
    """One paper at the cursor, its heading's number, the indexes of its non-blank lines and its shape."""
    heading = cursor.take(f"paper {rank}'s heading '# {rank}. Title'")
    match = _HEADING.match(heading)
    if not match:
        raise cursor.fail(f"paper {rank}'s heading '# {rank}. Title'", heading)
    marks = [cursor.pos - 1]
    digits = match.group(1)
    # Beyond 18 digits a number ranks last; int() refuses thousands of digits.
    number = int(digits) if len(digits) <= 18 else 10**18
    title = match.group(2)
    authors_line = cursor.take(f"the authors of paper {rank}")
    if _COUNTS.match(authors_line) or authors_line.startswith("# "):
        raise cursor.fail(f"the authors of paper {rank}", authors_line)
    marks.append(cursor.pos - 1)
    counts_line = cursor.take(COUNTS_SHAPE)
    counts = _COUNTS.match(counts_line)
    if not counts:
        raise cursor.fail(COUNTS_SHAPE, counts_line)
    marks.append(cursor.pos - 1)
    try:
        counted_at = datetime.strptime(counts.group(3), COUNTED_FORMAT)
    except ValueError:
        raise cursor.fail(COUNTS_SHAPE + " with a real date and time", counts_line) from None
    try:
        retweets, favorites = int(counts.group(1)), int(counts.group(2))
    except ValueError:  # more digits than Python converts (4300): no real count is that large
        raise cursor.fail(COUNTS_SHAPE + " with counts of a sensible size", counts_line) from None
    links_line = cursor.take(LINKS_SHAPE)
    links = _read_written_links(links_line)
    if "abs" not in links or "pdf" not in links:
        raise cursor.fail(LINKS_SHAPE, links_line)
    marks.append(cursor.pos - 1)
    cats_line = cursor.take(CATEGORIES_SHAPE)
    categories = _read_categories(cats_line)
    if not categories or any(not c for c in categories):
        raise cursor.fail(CATEGORIES_SHAPE, cats_line)
    marks.append(cursor.pos - 1)
    abs_url = links["abs"]
    abstract = ""
    cursor.skip_blank()
    nxt = cursor.peek()
    if nxt is not None and not nxt.startswith("<blockquote") and not cursor.next_paper_starts():
        abstract = nxt
        marks.append(cursor.pos)
        cursor.pos += 1
    tweets: list[Tweet] = []
    scored: tuple[int | None, tuple[tuple[str, int], ...]] | None = None
    while True:
        cursor.skip_blank()
        nxt = cursor.peek()
        if nxt is None or not nxt.startswith("<blockquote"):
            break
        line_no = cursor.pos + 1
        marks.append(cursor.pos)
        cursor.pos += 1
        if nxt.startswith(_SCORE_PREFIX):
            scored = _read_score(nxt, abs_url)
            if scored is None:
                raise PostError(cursor.source, line_no, f"expected a score line {SCORE_SHAPE}, found {_show(nxt)}")
            cursor.skip_blank()
            break  # the score line ends the paper
        script = None
        after = cursor.peek()
        if after is not None and after.startswith("<script"):
            script = after
            marks.append(cursor.pos)
            cursor.pos += 1
        try:
            tweets.append(read_embed(nxt, script))
        except EmbedError as exc:
            raise PostError(
                cursor.source, line_no, f"expected a post embed '<blockquote ...>...</blockquote>': {exc}"
            ) from None
    nxt = cursor.peek()
    if nxt is not None and not _HEADING.match(nxt):
        if scored is not None:
            raise cursor.fail_next(f"the heading '# {rank + 1}. Title' after the score line", nxt)
        raise cursor.fail_next(
            f"an embed '<blockquote class=\"twitter-tweet\">' or the heading '# {rank + 1}. Title'", nxt
        )
    score, breakdown = scored if scored is not None else (None, ())
    paper = Paper(
        arxiv_id=arxiv_id_from_abs(abs_url),
        title=title,
        authors=tuple(authors_line.split(", ")),
        retweets=retweets,
        favorites=favorites,
        counted_at=counted_at,
        abs_url=abs_url,
        pdf_url=links["pdf"],
        categories=tuple(categories),
        abstract=abstract,
        tweets=tuple(tweets),
        breakdown=breakdown,
        score_override=score,
    )
    shape = (bool(abstract), tuple(t.script is not None for t in tweets), scored is not None)
    return paper, number, marks, shape


# --- writing -----------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """``text`` with line breaks as spaces, as the archive's generator wrote abstracts and titles.

    Every field of a post sits on one line; a break inside one (an abstract straight
    from arXiv, an edited JSON day) would otherwise split the post into lines the
    reader takes for other parts. A NUL, which makes a file binary, becomes U+FFFD.
    """
    if "\n" in text or "\r" in text:
        text = _BREAKS.sub(" ", text)
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return text


def _title_value(title: str) -> str:
    """The title as the front matter writes it: plain like the archive's, quoted when plain YAML would misread it."""
    if _PLAIN_TITLE.fullmatch(title) and title.lower() not in _YAML_WORDS:
        return title
    return yaml_quoted(title)


def _stamp(moment: datetime) -> str:
    # isoformat, not strftime: it writes four-digit years on every platform.
    return moment.replace(microsecond=0, tzinfo=None).isoformat()


def _counted(moment: datetime) -> str:
    return (
        f"{moment.month:02d}/{moment.day:02d}/{moment.year:04d} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )


def render_front_matter(day: Day) -> str:
    """The front matter block of a day's post, canonical layout."""
    title = _one_line(day.title or default_title(day.date, day.end_date))
    return (
        "---\n"
        f"title: {_title_value(title)}\n"
        f"date: {_stamp(day.generated_at)}.Z\n"
        'template: "post"\n'
        "draft: false\n"
        f"slug: {yaml_quoted(day.canonical_slug)}\n"
        'category: "arXiv"\n'
        "tags:\n"
        '  - "arXiv"\n'
        '  - "Twitter"\n'
        '  - "Machine Learning"\n'
        '  - "Computer Science"\n'
        f"description: {yaml_quoted(day.canonical_description)}\n"
        'socialImage: "/media/flying-marine.jpg"\n'
        "\n"
        "---\n"
    )


def _paper_lines(paper: Paper, rank: int, shape: Shape) -> list[str]:
    """The non-blank lines of a paper's block, heading first."""
    cats = " | ".join(f"[{c}]({paper.category_url(c)})" for c in paper.categories)
    lines = [
        f"# {rank}. {_one_line(paper.title)}",
        _one_line(", ".join(paper.authors)),
        f"- retweets: {paper.retweets}, favorites: {paper.favorites} ({_counted(paper.counted_at)})",
        _links_line(paper.abs_url, paper.pdf_url),
        f"- {_one_line(cats)}",
    ]
    if shape[0]:
        lines.append(_one_line(paper.abstract))
    for tweet in paper.tweets:
        lines.append(_one_line(tweet.html))
        if tweet.script is not None:
            lines.append(_one_line(tweet.script))
    if shape[2]:
        lines.append(score_line(paper.score_override, paper.breakdown, paper.abs_url))
    return lines


def _paper_block(paper: Paper, rank: int) -> tuple[str, int]:
    """A paper from its heading to its last non-blank line, and the blank lines that canonically follow it."""
    shape = _shape(paper)
    gaps, after = _canonical_gaps(shape)
    separators = tuple("\n" * (gap + 1) for gap in gaps)
    layout = paper.layout
    # Two blank lines before an abstract that looks like a heading would make the reader
    # take it for the next paper: such a paper gets the canonical layout.
    if (
        layout is not None
        and layout.inner is not None
        and layout.shape == shape
        and not (shape[0] and _HEADING.match(paper.abstract) and layout.inner[4].count("\n") > 2)
    ):
        separators = layout.inner
    lines = _paper_lines(paper, rank, shape)
    parts = [lines[0]]
    for separator, line in zip(separators, lines[1:], strict=True):
        parts += (separator, line)
    return "".join(parts), after


def render_post(day: Day) -> str:
    """Write a Day as a post, papers in the day's order (its ranking), numbered from 1.

    Papers read from a post are written with the blank lines they were read with
    (their layout); everything else in the canonical layout.
    """
    front = render_front_matter(day)
    papers = day.papers
    if not papers:
        return front if day.layout is None else front[:-1] + day.layout.tail
    parts = [front[:-1]]
    between = 1  # blank lines canonically before the next heading
    tail: str | None = None
    for index, paper in enumerate(papers):
        layout = paper.layout
        separator = "\n" * (between + 1)
        if layout is not None and layout.leading is not None and layout.after_front == (index == 0):
            separator = layout.leading
        block, between = _paper_block(paper, index + 1)
        parts += (separator, block)
        tail = layout.tail if layout is not None else None
    parts.append(tail if tail is not None else "\n" * between)
    return "".join(parts)


# --- days from outside, made writable ---------------------------------------------------------


class UnwritableField(ValueError):
    """A field of a day that no post can hold so that it reads back the same; ``field`` is its JSON path."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


def _text(value: str, field: str, *, one_line: bool = True) -> str:
    bad = _UNWRITABLE.search(value)
    if bad is not None:
        what = "a NUL character" if bad.group() == "\x00" else f"a lone surrogate (U+{ord(bad.group()):04X})"
        raise UnwritableField(field, f"holds {what}, which a post (UTF-8 text) cannot carry")
    return _one_line(value) if one_line else value


def _local_seconds(moment: datetime, field: str) -> datetime:
    if moment.tzinfo is not None:
        raise UnwritableField(field, "expected a local time without a zone, as posts write their times")
    return moment.replace(microsecond=0)


def _written_tweet(tweet: Tweet, field: str) -> Tweet:
    html = _text(tweet.html, f"{field}.html")
    if not html.startswith("<blockquote") or html.startswith(_SCORE_PREFIX):
        raise UnwritableField(f"{field}.html", "expected a post's embed line starting with '<blockquote'")
    script = None if tweet.script is None else _text(tweet.script, f"{field}.script")
    if script is not None and not script.startswith("<script"):
        raise UnwritableField(f"{field}.script", "expected null or a script line starting with '<script'")
    try:
        return read_embed(html, script)
    except EmbedError as exc:
        raise UnwritableField(f"{field}.html", f"not an embed the reader can read back ({exc})") from None


def _written_paper(paper: Paper, field: str) -> Paper:
    authors = tuple(_text(name, f"{field}.authors[{i}]") for i, name in enumerate(paper.authors))
    for i, name in enumerate(authors):
        if ", " in name:
            raise UnwritableField(f"{field}.authors[{i}]", "a name cannot hold ', ', which separates the names")
    line = ", ".join(authors)
    if not line.strip():
        raise UnwritableField(f"{field}.authors", "expected at least one name with visible text")
    if line.startswith("# ") or _COUNTS.match(line):
        raise UnwritableField(f"{field}.authors", "the authors line would read as a heading or a counts line")
    for key, count in (("retweets", paper.retweets), ("favorites", paper.favorites)):
        if count < 0:
            raise UnwritableField(f"{field}.{key}", f"expected a whole number >= 0, found {count}")
    abs_url = _text(paper.abs_url, f"{field}.abs_url")
    pdf_url = _text(paper.pdf_url, f"{field}.pdf_url")
    links = _read_written_links(_links_line(abs_url, pdf_url))
    for key, url in (("abs", abs_url), ("pdf", pdf_url)):
        if links.get(key) != url:
            reason = "a link the links line cannot carry as it is (spaces, brackets, or characters Markdown rewrites)"
            raise UnwritableField(f"{field}.{key}_url", reason)
    arxiv_id = arxiv_id_from_abs(abs_url)
    if paper.arxiv_id != arxiv_id:
        reason = f"expected the id in abs_url ({arxiv_id!r}), which the reader takes; found {paper.arxiv_id!r}"
        raise UnwritableField(f"{field}.arxiv_id", reason)
    if not paper.categories:
        raise UnwritableField(f"{field}.categories", "expected at least one category")
    for i, category in enumerate(paper.categories):
        if not CATEGORY_NAME.fullmatch(category):
            reason = f"expected an arXiv category (letters, digits, '.', '-'), found {category!r}"
            raise UnwritableField(f"{field}.categories[{i}]", reason)
    abstract = _text(paper.abstract, f"{field}.abstract")
    if abstract.isspace():
        abstract = ""  # a blank line is what an empty abstract is
    if abstract.startswith("<blockquote"):
        raise UnwritableField(f"{field}.abstract", "an abstract starting with '<blockquote' reads as an embed")
    for name, _ in paper.breakdown:
        if not BREAKDOWN_NAME.fullmatch(name) or name == "score":
            reason = f"expected source names of a-z, 0-9, '.', '_', '-' (not 'score'), found {name!r}"
            raise UnwritableField(f"{field}.breakdown", reason)
    return replace(
        paper,
        title=_text(paper.title, f"{field}.title"),
        authors=authors,
        counted_at=_local_seconds(paper.counted_at, f"{field}.counted_at"),
        abs_url=abs_url,
        pdf_url=pdf_url,
        abstract=abstract,
        tweets=tuple(_written_tweet(t, f"{field}.tweets[{i}]") for i, t in enumerate(paper.tweets)),
    )


def as_written(day: Day) -> Day:
    """``day`` exactly as its post reads back: ``parse_post(render_post(as_written(day))) == as_written(day)``.

    For a day from outside (a JSON file) before it is written. What a post carries
    differently is normalised: line breaks inside a field become spaces, times lose
    their fractions of a second, a blank abstract becomes empty, a title left empty
    becomes the archive's, and each post's fields are read from its embed line (the
    only thing a post keeps of it: X and Bluesky posts lose their per-post counts, a
    Hacker News story's come from its text). What a post cannot carry at all raises
    UnwritableField naming the field: a NUL or a lone surrogate anywhere, a title not
    ending with the day's dates, no authors or no categories, a name holding ``, ``, a
    link or category the link lines would change, an embed the reader cannot read.
    """
    title = _text(day.title, "day.title") or default_title(day.date, day.end_date)
    if title_dates(title) != (day.date, day.end_date):
        want = day.date.isoformat() + (f" - {day.end_date.isoformat()}" if day.end_date else "")
        reason = f"expected a title ending with the day's dates '{want}' (the reader reads them), found {title!r}"
        raise UnwritableField("day.title", reason)
    written = replace(
        day,
        title=title,
        generated_at=_local_seconds(day.generated_at, "day.generated_at"),
        slug=_text(day.slug, "day.slug", one_line=False),
        description=_text(day.description, "day.description", one_line=False),
        papers=tuple(_written_paper(p, f"papers[{i}]") for i, p in enumerate(day.papers)),
    )
    derived = replace(written, slug="", description="")
    return replace(
        written,
        slug="" if written.slug == derived.canonical_slug else written.slug,
        description="" if written.description == derived.canonical_description else written.description,
    )


def read_post(path: Path) -> Day:
    """Read a post file; unreadable bytes become a PostError naming the file.

    Only a regular file of at most ``MAX_POST_BYTES`` is read (a FIFO, a device or a
    huge file is refused before reading; see ``localfile``).
    """
    try:
        data = read_regular_file(path, MAX_POST_BYTES)
    except FileRefused as exc:
        raise PostError(str(path), None, str(exc)) from None
    except OSError as exc:
        raise PostError(str(path), None, f"cannot read the file ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PostError(str(path), line, "expected UTF-8 text, found undecodable bytes") from None
    return parse_post(text, str(path))
