"""The detail of one paper: title, authors, counts, links, abstract and the posts about it, in one line-API widget.

A paper is laid out into lines once per width and kept, so moving the cursor back to a
paper, or switching back to a day, costs no layout of the screen: the widget only swaps
the lines it draws. Links show as short labels (abs, pdf, post) that a click or a key
opens; the whole URL follows on the same line only when it fits, so no URL is ever
broken inside its host.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar
from urllib.parse import urlsplit

from textual.binding import BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

from hotpapers_tui.dayloader import plural
from hotpapers_tui.latex import latex_to_unicode
from hotpapers_tui.model import Paper, Tweet
from hotpapers_tui.ui.bindings import bindings_for
from hotpapers_tui.ui.safe_text import Part, content, shown_title
from hotpapers_tui.ui.widgets.line_view import LineView, set_line_count

PLATFORM_NAMES = {"x": "X", "bluesky": "Bluesky", "hackernews": "Hacker News", "huggingface": "Hugging Face"}
LAYOUT_CACHE = 256
"""How many papers' laid-out lines are kept (per width)."""


def click(action: str) -> Style:
    """A style that runs ``action`` (on the screen) when clicked."""
    return Style.from_meta({"@click": action})


def link_line(label: str, key: str, url: str, action: str, width: int) -> Content:
    """``abs (o)  https://...``: the label always, the URL only where it fits whole, else its host and a cut path."""
    head = Content.assemble((f" {label} ", "bold reverse $accent"), (f" {key} ", "$text-muted"))
    room = width - head.cell_length - 1
    shown = ""
    if url and room > 0:
        if len(url) <= room:
            shown = url
        else:
            # Without the scheme, then cut after the host: a host is never broken.
            host = urlsplit(url).netloc
            bare = url.split("://", 1)[-1]
            if len(bare) <= room:
                shown = bare
            elif host and len(host) + 2 <= room:
                shown = bare[: room - 1] + "…"
    line = Content.assemble(head, " ", (shown, "underline $text-muted") if shown else "")
    return line.stylize(click(action))


def piece_lines(pieces: Sequence[Sequence[Part]], width: int, gap: str = "  ") -> list[tuple[Content, bool]]:
    """Pieces (a label and its value) on as few lines as fit ``width``, none split across two lines.

    Wrapping them as one text left ``favorites`` at the end of a line and its number on the next.
    """
    lines: list[tuple[Content, bool]] = []
    line: list[Part] = []
    used = 0
    for piece in pieces:
        size = content(*piece).cell_length
        if line and used + len(gap) + size > width:
            lines.append((content(*line), True))
            line, used = [], 0
        if line:
            line.append(gap)
            used += len(gap)
        line.extend(piece)
        used += size
    if line:
        # Still a wrapping block: a single piece wider than the pane wraps rather than being cut.
        lines.append((content(*line), True))
    return lines


def paper_blocks(paper: Paper, width: int) -> list[tuple[Content, bool]]:
    """The detail of ``paper`` as blocks of content; the flag says whether a block wraps (links never do)."""
    blocks: list[tuple[Content, bool]] = [
        (content((shown_title(paper.title), "bold $accent")), True),
        (content((", ".join(paper.authors) or "(no authors listed)", "italic")), True),
        (Content(""), False),
    ]
    blocks += piece_lines(
        [
            [("score ", "$text-muted"), (str(paper.score), "bold")],
            [("retweets ", "$text-muted"), str(paper.retweets)],
            [("favorites ", "$text-muted"), str(paper.favorites)],
        ],
        width,
    )
    count = len(paper.tweets)
    facts: list[list[Part]] = [[(plural(count, "post"), "$text-muted")]]
    facts.append([("counted ", "$text-muted"), f"{paper.counted_at:%Y-%m-%d %H:%M}"])
    blocks += piece_lines(facts, width)
    blocks.append((content(("categories ", "$text-muted"), " ".join(paper.categories) or "-"), True))
    if paper.breakdown:
        sources: list[list[Part]] = [[("by source", "$text-muted")]]
        for source, points in paper.breakdown:
            sources.append([f"{PLATFORM_NAMES.get(source, source)} ", (str(points), "bold")])
        blocks += piece_lines(sources, width)
    blocks.append((Content(""), False))
    blocks.append((link_line("abs", "o", paper.abs_url, "screen.open_abs", width), False))
    blocks.append((link_line("pdf", "p", paper.pdf_url, "screen.open_pdf", width), False))
    blocks.append((Content(""), False))
    blocks.append((content(latex_to_unicode(paper.abstract) or "(no abstract)"), True))
    blocks.append((Content(""), False))
    blocks.append((content((plural(count, "post") if count else "No posts", "bold")), True))
    for n, tweet in enumerate(paper.tweets):
        blocks.append((Content(""), False))
        blocks += tweet_blocks(tweet, n, width)
    return blocks


def tweet_blocks(tweet: Tweet, index: int, width: int) -> list[tuple[Content, bool]]:
    """One post: who and when, what it says, its counts, and a link label that opens it."""
    who: list[Part] = [(tweet.author or tweet.handle or "(unknown)", "bold")]
    if tweet.handle:
        who += ["  ", (f"@{tweet.handle}", "$accent")]
    who += ["  ", (tweet.date, "$text-muted")]
    if tweet.platform != "x":
        who += ["  ", (PLATFORM_NAMES.get(tweet.platform, tweet.platform), "$text-muted")]
    blocks: list[tuple[Content, bool]] = [(content(*who).stylize("on $boost"), True)]
    blocks.append((content(tweet.text.strip() or "(no text)", keep_newlines=True), True))
    stats = []
    if tweet.reposts is not None:
        stats.append(plural(tweet.reposts, "repost"))
    if tweet.likes is not None:
        stats.append(plural(tweet.likes, "like"))
    if tweet.comments is not None:
        stats.append(plural(tweet.comments, "comment"))
    if stats:
        blocks.append((content((", ".join(stats), "$text-muted")), True))
    # The archive's embeds carry a tracking query that says nothing to a reader.
    url = tweet.url.split("?ref_src=")[0]
    key = "t" if index == 0 else ""
    blocks.append((link_line("post", key, url, f"screen.open_post({index})", width), False))
    return blocks


class PaperDetail(LineView, can_focus=True):
    """Everything about the highlighted paper, scrollable; the list keeps focus while ``space`` pages it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"paper-detail--empty"}
    DEFAULT_CSS = """
    PaperDetail {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
    }
    PaperDetail > .paper-detail--empty { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("detail")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.paper: Paper | None = None
        """The paper shown, or None."""
        self.empty_text = ""
        """What the pane says without a paper."""
        self._lines: Sequence[Strip] = ()
        self._laid_out: LRUCache[tuple[int, int], tuple[Paper, list[Strip]]] = LRUCache(LAYOUT_CACHE)
        self._width = 0

    def show_paper(self, paper: Paper | None, empty_text: str = "No papers on this day.") -> None:
        """Show ``paper`` from its top, or ``empty_text`` when None."""
        if paper is self.paper and empty_text == self.empty_text and (self._lines or not self._width):
            return
        self.paper, self.empty_text = paper, empty_text
        self._lay_out()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    @property
    def text(self) -> str:
        """The detail as plain text, line by line (what the pane shows, scrolled or not)."""
        return "\n".join(strip.text.rstrip() for strip in self._lines)

    def _lay_out(self) -> None:
        width = self.scrollable_content_region.width
        self._width = width
        paper = self.paper
        if width <= 0:
            # Hidden (one pane at a time on narrow screens): laid out once it is shown.
            self._lines = ()
        elif paper is None:
            line = Content(self.empty_text)
            self._lines = Visual.to_strips(
                self, line, max(width, 1), None, self.get_visual_style("paper-detail--empty")
            )
        else:
            # Keyed by identity: equal papers of two days are still laid out once each, which is cheap.
            key = (id(paper), width)
            kept = self._laid_out.get(key)
            if kept is not None and kept[0] is paper:
                self._lines = kept[1]
            else:
                lines: list[Strip] = []
                style = self.visual_style
                for block, wraps in paper_blocks(paper, width):
                    if not block.cell_length:
                        lines.append(Strip.blank(width, self.rich_style))
                        continue
                    rendered = Visual.to_strips(self, block, width, None if wraps else 1, style, pad=True)
                    lines.extend(rendered)
                self._laid_out[key] = (paper, lines)
                self._lines = lines
        set_line_count(self, len(self._lines))

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self._lay_out()
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._laid_out.clear()
        if self.is_mounted:
            self._lay_out()

    def render_line(self, y: int) -> Strip:
        row = y + self.scroll_offset.y
        width, style = self.frame()
        if 0 <= row < len(self._lines):
            return self._lines[row].crop_extend(0, width, style)
        return Strip.blank(width, style)

    def page_down(self) -> None:
        """A page further down (space from the list)."""
        self.scroll_page_down()

    def page_up(self) -> None:
        """A page back up."""
        self.scroll_page_up()

    # Every scroll jumps, as in less or newsboat: Textual glides by default, which for a reader
    # only delays the text and smears it. Keys, the scrollbar and space from the list all end here.
    def scroll_home(self, *, animate: bool = False, **options: Any) -> None:
        super().scroll_home(animate=False, **options)

    def scroll_end(self, *, animate: bool = False, **options: Any) -> None:
        super().scroll_end(animate=False, **options)

    def scroll_up(self, *, animate: bool = False, **options: Any) -> None:
        super().scroll_up(animate=False, **options)

    def scroll_down(self, *, animate: bool = False, **options: Any) -> None:
        super().scroll_down(animate=False, **options)

    def scroll_page_up(self, *, animate: bool = False, **options: Any) -> None:
        super().scroll_page_up(animate=False, **options)

    def scroll_page_down(self, *, animate: bool = False, **options: Any) -> None:
        super().scroll_page_down(animate=False, **options)
