"""The day model: a Day holds ranked Papers, a Paper holds the Tweets that discuss it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

ARXIV_LIST_URL = "https://arxiv.org/list/{category}/recent"


@dataclass(frozen=True, slots=True)
class PaperLayout:
    """How a paper's post set its parts apart, kept where it is not the canonical layout.

    Each separator is the exact text between two of the paper's non-blank lines: the
    newline ending the first, then the blank lines (``"\\n\\n"`` is one empty line). None
    means canonical. The separators between papers belong to the paper that follows them.
    """

    after_front: bool
    """The paper came first in its post, so ``leading`` follows the front matter."""
    leading: str | None = None
    """The separator before the heading: from the front matter or from the previous paper."""
    shape: tuple[bool, tuple[bool, ...], bool] = (True, (), False)
    """What ``inner`` was read with: an abstract line, each post's script line, a score line."""
    inner: tuple[str, ...] | None = None
    """The separators before each non-blank line after the heading; used while the paper keeps ``shape``."""
    tail: str | None = None
    """What followed the paper when it was the last of its post (the end of the file)."""


@dataclass(frozen=True, slots=True)
class DayLayout:
    """What followed the front matter of a post without papers, where it is not the canonical single newline."""

    tail: str
    """The exact text after the closing ``---`` (``""`` when the file ends without a newline)."""


@dataclass(frozen=True, slots=True)
class Tweet:
    """One post about a paper, as embedded in a Hot Papers post."""

    url: str
    """The post's own URL (the tweet's status URL, a Bluesky post, an HN discussion)."""
    author: str
    """The author's display name."""
    handle: str
    """The author's handle, without the leading ``@``."""
    date: str
    """The date as the embed shows it (``June 22, 2021``)."""
    text: str
    """The post's text as plain text: entities decoded, ``<br>`` as newlines."""
    lang: str
    """The language the platform reported (``en``, ``ja``, ...); empty when unknown."""
    html: str
    """The original embed line, exactly as it stands in the post."""
    script: str | None = None
    """The embed's script line, or None for an embed without one."""
    platform: str = "x"
    """Where the post lives: ``x`` (Twitter), ``bluesky`` or ``hackernews``."""
    reposts: int | None = None
    """Reposts/retweets of this post, when the source gave them."""
    likes: int | None = None
    """Likes of this post (HN: points), when the source gave them."""
    comments: int | None = None
    """Replies or comments, when the source gave them."""


@dataclass(frozen=True, slots=True)
class Paper:
    """One arXiv paper of a day, with the attention it drew."""

    arxiv_id: str
    """The arXiv identifier without version (``2106.10934``, ``hep-th/9901001``)."""
    title: str
    """The title exactly as written, spacing and LaTeX included."""
    authors: tuple[str, ...]
    """Author names in order."""
    retweets: int
    """Total reposts over the paper's posts."""
    favorites: int
    """Total likes over the paper's posts."""
    counted_at: dt.datetime
    """When the counts were taken (local time, as the post wrote it)."""
    abs_url: str
    """Link to the abstract page."""
    pdf_url: str
    """Link to the PDF."""
    categories: tuple[str, ...]
    """arXiv categories, primary first."""
    abstract: str
    """The abstract on one line; plain text, never Markdown."""
    tweets: tuple[Tweet, ...] = ()
    """The posts that discuss the paper, most attention first."""
    breakdown: tuple[tuple[str, int], ...] = ()
    """Per-source contributions to the score (``("bluesky", 120)``), for live days."""
    score_override: int | None = None
    """A score computed elsewhere (live days weigh several sources); None means retweets + favorites."""
    layout: PaperLayout | None = field(default=None, compare=False, repr=False)
    """The blank lines around the paper as its post had them, where they differ from the canonical layout.

    Layout is trivia, as in a lossless syntax tree: it makes a post read and written again
    the same file, and takes no part in equality. A paper built from data has none.
    """

    @property
    def score(self) -> int:
        """The ranking score: retweets + favorites unless a source-weighted score was given."""
        if self.score_override is not None:
            return self.score_override
        return self.retweets + self.favorites

    @property
    def primary_category(self) -> str:
        """The primary category, or an empty string when none is known."""
        return self.categories[0] if self.categories else ""

    def category_url(self, category: str) -> str:
        """The listing page of one of the paper's categories."""
        return ARXIV_LIST_URL.format(category=category)


@dataclass(frozen=True, slots=True)
class Day:
    """One Hot Papers post: a listing day (or range of days) and its ranked papers."""

    date: dt.date
    """The listing day (the first day, for a post covering several)."""
    title: str
    """The post's title (``Hot Papers 2021-06-22``)."""
    generated_at: dt.datetime
    """When the post was generated (local time, no zone, as the archive writes it)."""
    papers: tuple[Paper, ...] = ()
    """The papers in rank order."""
    end_date: dt.date | None = None
    """The last day, for a post covering several days; None for one day."""
    slug: str = ""
    """The post's slug; empty means the canonical one derived from the date."""
    description: str = ""
    """The post's description; empty means the canonical one derived from the date."""
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    """Free-form facts about how the day was built (sources used or skipped); not written to posts."""
    layout: DayLayout | None = field(default=None, compare=False, repr=False)
    """For a day without papers read from a post: what followed its front matter, if not canonical."""

    @property
    def key(self) -> str:
        """The day's label as in file names: ``2021-06-22`` or ``2021-06-22-2021-06-23``."""
        if self.end_date is None:
            return self.date.isoformat()
        return f"{self.date.isoformat()}-{self.end_date.isoformat()}"

    @property
    def canonical_slug(self) -> str:
        """The slug written to the post: the stored one, else derived from the date."""
        return self.slug or f"hot-papers-{self.key}"

    @property
    def canonical_description(self) -> str:
        """The description written to the post: the stored one, else derived from the date."""
        if self.description:
            return self.description
        return f"Hot papers {self.key}"

    @property
    def filename(self) -> str:
        """The canonical file name of this day's post."""
        return f"{self.key}---Hot-Papers.md"


def default_title(start: dt.date, end: dt.date | None = None) -> str:
    """The archive's title for a day or a range of days."""
    if end is None:
        return f"Hot Papers {start.isoformat()}"
    return f"Hot Papers {start.isoformat()} - {end.isoformat()}"


def rank_papers(papers: Iterable[Paper]) -> list[Paper]:
    """Order papers by score, highest first; equal scores keep their input order.

    This is the one ranking rule of the project: the live builder, the JSON import and
    the reader's default sort use it. A post keeps the order it was read or built in.
    """
    return sorted(papers, key=lambda p: -p.score)


def with_papers(day: Day, papers: Sequence[Paper]) -> Day:
    """A copy of ``day`` holding ``papers`` ranked by :func:`rank_papers`."""
    return replace(day, papers=tuple(rank_papers(papers)))
