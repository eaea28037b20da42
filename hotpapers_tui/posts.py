"""Reading and writing Hot Papers posts: ``parse_post`` turns a post into a Day, ``render_post`` back.

The layout of a post is positional (heading, authors, counts, links, categories,
abstract, embeds), so the reader walks the lines in that order and hands the parts that
really are Markdown to markdown-it-py: the front matter (mdit-py-plugins) and the two
link lines. The abstract is deliberately not given to a Markdown parser: it is plain
text, and a fence or an HTML comment in it would otherwise swallow the rest of the day.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from hotpapers_tui.localfile import MAX_POST_BYTES, FileRefused, read_regular_file
from hotpapers_tui.model import Day, Paper, Tweet, default_title, rank_papers
from hotpapers_tui.tweets import EmbedError, parse_embed

GENERATED_FORMAT = "%Y-%m-%dT%H:%M:%S"
COUNTED_FORMAT = "%m/%d/%Y %H:%M:%S"

_FILENAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:-(\d{4}-\d{2}-\d{2}))?---Hot-Papers\.md$")
_HEADING = re.compile(r"^# (\d+)\. (.*)$")
_COUNTS = re.compile(r"^- retweets: (\d+), favorites: (\d+) \((\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2})\)\s*$")
_GENERATED = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d*)?Z?$")
_TITLE_DATES = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\s*-\s*(\d{4}-\d{2}-\d{2}))?\s*$")
_ABS_ID = re.compile(r"/abs/(.+?)(?:v\d+)?/?$")

COUNTS_SHAPE = "'- retweets: N, favorites: N (MM/DD/YYYY HH:MM:SS)'"
LINKS_SHAPE = "'- links: [abs](URL) | [pdf](URL)'"
CATEGORIES_SHAPE = "'- [cs.XX](https://arxiv.org/list/cs.XX/recent) | ...'"

# The canonical link lines, read without a Markdown pass. The URL shape is one that
# markdown-it's normalizeLink leaves unchanged (an arXiv host, a plain path), so the
# fast path and markdown-it agree; any other line goes through markdown-it.
_URL = r"https?://(?:www\.|export\.)?arxiv\.org/[A-Za-z0-9/._~-]*"
_CANONICAL_LINKS = re.compile(rf"^- links: \[abs\]\(({_URL})\) \| \[pdf\]\(({_URL})\)$")
_CANONICAL_CATEGORY = re.compile(rf"\[([A-Za-z0-9.\-]+)\]\({_URL}\)")

# Only what the link lines need: inline links, nothing that could reinterpret text.
_INLINE = MarkdownIt("zero").enable(["link"])
_FRONT = MarkdownIt("zero").use(front_matter_plugin)


class PostError(ValueError):
    """A post that cannot be read: says which file, which line, and what was expected."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}: line {line}" if line is not None else source
        super().__init__(f"{where}: {message}")


def _front_lines(text: str, source: str) -> tuple[list[str], int]:
    """Split off the front matter; returns its lines and the line index after it."""
    first = text.split("\n", 1)[0]
    if first.rstrip() != "---":
        raise PostError(source, 1, f"expected front matter opening with '---', found {_show(first)}")
    end = _front_end(text)
    if end is None:
        last = text.count("\n", 0, len(text.rstrip("\n"))) + 1
        raise PostError(source, last, "expected the front matter to close with '---', found the end of the file")
    tokens = _FRONT.parse(text[: end + 1])
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
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _link_targets(line: str) -> list[tuple[str, str]]:
    """The (text, href) pairs of the Markdown links on one line."""
    pairs: list[tuple[str, str]] = []
    for block in _INLINE.parse(line):
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


def _read_categories(line: str) -> list[str]:
    """The category names of a categories line; empty if it is not one."""
    if not line.startswith("- ["):
        return []
    items = line[2:].split(" | ")
    found = [_CANONICAL_CATEGORY.fullmatch(item) for item in items]
    if all(found):
        return [match.group(1) for match in found if match]
    return [text for text, _ in _link_targets(line)]


def arxiv_id_from_abs(url: str) -> str:
    """The arXiv id of an abs URL, without version; empty if the URL has none."""
    match = _ABS_ID.search(url)
    return match.group(1) if match else ""


def day_from_filename(name: str) -> tuple[date, date | None] | None:
    """The date (and end date) a post's canonical file name carries, or None."""
    match = _FILENAME.match(name)
    if not match:
        return None
    try:
        start = date.fromisoformat(match.group(1))
        end = date.fromisoformat(match.group(2)) if match.group(2) else None
    except ValueError:
        return None
    return start, end


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

    def skip_blank(self) -> int:
        count = 0
        while self.pos < len(self.lines) and not self.lines[self.pos].strip():
            self.pos += 1
            count += 1
        return count

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


def parse_post(text: str, source: str = "<post>") -> Day:
    """Read a Hot Papers post into a Day; raises PostError naming ``source`` and the line."""
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
    dates = _TITLE_DATES.search(title)
    start: date | None = None
    end: date | None = None
    if dates:
        try:
            start = date.fromisoformat(dates.group(1))
            end = date.fromisoformat(dates.group(2)) if dates.group(2) else None
        except ValueError:
            start = None
    if start is None:
        from_name = day_from_filename(Path(source).name)
        if from_name is None:
            raise PostError(source, 2, f"expected a date (YYYY-MM-DD) in the title, found {_show(title)}")
        start, end = from_name
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
    cursor = _Lines(lines, after, source)
    papers: list[Paper] = []
    cursor.skip_blank()
    while not cursor.done():
        papers.append(_parse_paper(cursor, len(papers) + 1))
        cursor.skip_blank()
    return Day(
        date=start,
        end_date=end,
        title=title,
        generated_at=generated,
        papers=tuple(papers),
        slug="" if slug == canonical.canonical_slug else slug,
        description="" if description == canonical.canonical_description else description,
    )


def _front_line_of(front: list[str], key: str) -> int:
    for number, line in enumerate(front, start=2):
        if line.startswith(key + ":"):
            return number
    return 2


def _parse_paper(cursor: _Lines, rank: int) -> Paper:
    heading = cursor.take(f"paper {rank}'s heading '# {rank}. Title'")
    match = _HEADING.match(heading)
    if not match:
        raise cursor.fail(f"paper {rank}'s heading '# {rank}. Title'", heading)
    title = match.group(2)
    authors_line = cursor.take(f"the authors of paper {rank}")
    if _COUNTS.match(authors_line) or authors_line.startswith("# "):
        raise cursor.fail(f"the authors of paper {rank}", authors_line)
    counts_line = cursor.take(COUNTS_SHAPE)
    counts = _COUNTS.match(counts_line)
    if not counts:
        raise cursor.fail(COUNTS_SHAPE, counts_line)
    try:
        counted_at = datetime.strptime(counts.group(3), COUNTED_FORMAT)
    except ValueError:
        raise cursor.fail(COUNTS_SHAPE + " with a real date and time", counts_line) from None
    try:
        retweets, favorites = int(counts.group(1)), int(counts.group(2))
    except ValueError:  # more digits than Python converts (4300): no real count is that large
        raise cursor.fail(COUNTS_SHAPE + " with counts of a sensible size", counts_line) from None
    links_line = cursor.take(LINKS_SHAPE)
    links = _read_links(links_line)
    if "abs" not in links or "pdf" not in links:
        raise cursor.fail(LINKS_SHAPE, links_line)
    cats_line = cursor.take(CATEGORIES_SHAPE)
    categories = _read_categories(cats_line)
    if not categories or any(not c for c in categories):
        raise cursor.fail(CATEGORIES_SHAPE, cats_line)
    abstract = ""
    cursor.skip_blank()
    nxt = cursor.peek()
    if nxt is not None and not nxt.startswith("<blockquote") and not cursor.next_paper_starts():
        abstract = nxt
        cursor.pos += 1
    tweets: list[Tweet] = []
    while True:
        cursor.skip_blank()
        nxt = cursor.peek()
        if nxt is None or not nxt.startswith("<blockquote"):
            break
        line_no = cursor.pos + 1
        cursor.pos += 1
        script = None
        after = cursor.peek()
        if after is not None and after.startswith("<script"):
            script = after
            cursor.pos += 1
        try:
            tweets.append(parse_embed(nxt, script))
        except EmbedError as exc:
            raise PostError(
                cursor.source, line_no, f"expected a post embed '<blockquote ...>...</blockquote>': {exc}"
            ) from None
    nxt = cursor.peek()
    if nxt is not None and not _HEADING.match(nxt):
        raise cursor.fail_next(
            f"an embed '<blockquote class=\"twitter-tweet\">' or the heading '# {rank + 1}. Title'", nxt
        )
    abs_url = links["abs"]
    return Paper(
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
    )


def _one_line(text: str) -> str:
    """``text`` with line breaks as spaces, as the archive's generator wrote abstracts and titles.

    Every field of a post sits on one line; a break inside one (an abstract straight
    from arXiv, an edited JSON day) would otherwise split the post into lines the
    reader takes for other parts.
    """
    if "\n" not in text and "\r" not in text:
        return text
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def render_front_matter(day: Day) -> str:
    """The front matter block of a day's post, canonical layout."""
    stamp = day.generated_at.strftime(GENERATED_FORMAT)
    return (
        "---\n"
        f"title: {_one_line(day.title or default_title(day.date, day.end_date))}\n"
        f"date: {stamp}.Z\n"
        'template: "post"\n'
        "draft: false\n"
        f'slug: "{_one_line(day.canonical_slug)}"\n'
        'category: "arXiv"\n'
        "tags:\n"
        '  - "arXiv"\n'
        '  - "Twitter"\n'
        '  - "Machine Learning"\n'
        '  - "Computer Science"\n'
        f'description: "{_one_line(day.canonical_description)}"\n'
        'socialImage: "/media/flying-marine.jpg"\n'
        "\n"
        "---\n"
    )


def render_paper(paper: Paper, rank: int) -> str:
    """One paper's block, from the empty line before its heading to its closing empty lines."""
    cats = " | ".join(f"[{c}]({paper.category_url(c)})" for c in paper.categories)
    parts = [
        f"\n# {rank}. {_one_line(paper.title)}\n\n",
        _one_line(", ".join(paper.authors)),
        f"\n\n- retweets: {paper.retweets}, favorites: {paper.favorites} ",
        f"({paper.counted_at.strftime(COUNTED_FORMAT)})\n\n",
        f"- links: [abs]({_one_line(paper.abs_url)}) | [pdf]({_one_line(paper.pdf_url)})\n",
        f"- {_one_line(cats)}\n\n",
        _one_line(paper.abstract),
        "\n\n",
    ]
    for tweet in paper.tweets:
        parts.append(_one_line(tweet.html) + "\n")
        if tweet.script is not None:
            parts.append(_one_line(tweet.script) + "\n")
        parts.append("\n")
    parts.append("\n\n")
    return "".join(parts)


def render_post(day: Day) -> str:
    """Write a Day as a post in the canonical layout, papers ranked by :func:`rank_papers`."""
    body = [render_paper(p, i) for i, p in enumerate(rank_papers(day.papers), start=1)]
    return render_front_matter(day) + "".join(body)


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
