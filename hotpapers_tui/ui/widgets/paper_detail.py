"""The detail of one paper: title, authors, links, abstract and the posts about it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from hotpapers_tui.latex import latex_to_unicode
from hotpapers_tui.model import Paper, Tweet
from hotpapers_tui.ui.safe_text import Part, content

PLATFORM_NAMES = {"x": "X", "bluesky": "Bluesky", "hackernews": "Hacker News"}


def paper_head(paper: Paper) -> Content:
    """Title, authors, counts, categories and links of a paper."""
    parts: list[Part] = [
        (latex_to_unicode(paper.title), "bold $accent"),
        "\n",
        (", ".join(paper.authors) or "(no authors listed)", "italic"),
        "\n\n",
        ("score ", "$text-muted"),
        (str(paper.score), "bold"),
        ("  retweets ", "$text-muted"),
        str(paper.retweets),
        ("  favorites ", "$text-muted"),
        str(paper.favorites),
        ("  counted ", "$text-muted"),
        f"{paper.counted_at:%Y-%m-%d %H:%M}",
        "\n",
        ("categories ", "$text-muted"),
        " ".join(paper.categories) or "-",
        "\n",
        ("abs ", "$text-muted"),
        (paper.abs_url, "underline"),
        "\n",
        ("pdf ", "$text-muted"),
        (paper.pdf_url, "underline"),
    ]
    return content(*parts)


def breakdown_text(paper: Paper) -> Content:
    """The per-source contributions to the score, one per line."""
    parts: list[Part] = [("Score by source", "bold")]
    for source, points in paper.breakdown:
        parts += ["\n", (f"{PLATFORM_NAMES.get(source, source):<14}", "$text-muted"), str(points)]
    return content(*parts)


def tweet_text(tweet: Tweet) -> Content:
    """One post as a card's content: who, when, what, and where it lives."""
    stats = []
    if tweet.reposts is not None:
        stats.append(f"{tweet.reposts} reposts")
    if tweet.likes is not None:
        stats.append(f"{tweet.likes} likes")
    if tweet.comments is not None:
        stats.append(f"{tweet.comments} comments")
    parts: list[Part] = [
        (tweet.author or tweet.handle or "(unknown)", "bold"),
        "  ",
        (f"@{tweet.handle}" if tweet.handle else "", "$accent"),
        "  ",
        (tweet.date, "$text-muted"),
    ]
    if tweet.platform != "x":
        parts += ["  ", (PLATFORM_NAMES.get(tweet.platform, tweet.platform), "$text-muted")]
    parts += ["\n", tweet.text.strip() or "(no text)"]
    if stats:
        parts += ["\n", (", ".join(stats), "$text-muted")]
    # The archive's embeds carry a tracking query that says nothing to a reader.
    parts += ["\n", (tweet.url.split("?ref_src=")[0], "underline $text-muted")]
    return content(*parts, keep_newlines=True)


class PaperDetail(VerticalScroll):
    """Everything about the highlighted paper, scrollable."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: Paper | None = None
        self._filled = False

    def compose(self) -> ComposeResult:
        yield Static(id="detail-head")
        yield Static(id="detail-abstract")
        yield Static(id="detail-breakdown")
        yield Static(id="detail-tweets-title")

    def show_paper(self, paper: Paper | None) -> None:
        """Show ``paper``, or an empty-day message when None."""
        if self._filled and paper is self._shown:
            return  # a day switch and the cursor event that follows it both ask for the same paper
        self._shown, self._filled = paper, True
        head = self.query_one("#detail-head", Static)
        abstract = self.query_one("#detail-abstract", Static)
        breakdown = self.query_one("#detail-breakdown", Static)
        tweets_title = self.query_one("#detail-tweets-title", Static)
        if paper is None:
            head.update(content(("No papers on this day.", "$text-muted")))
            abstract.update("")
            breakdown.display = False
            tweets_title.display = False
            self._show_tweets(())
            return
        head.update(paper_head(paper))
        abstract.update(content(latex_to_unicode(paper.abstract) or "(no abstract)"))
        breakdown.display = bool(paper.breakdown)
        if paper.breakdown:
            breakdown.update(breakdown_text(paper))
        tweets_title.display = True
        count = len(paper.tweets)
        tweets_title.update(content((f"{count} post{'s' if count != 1 else ''}" if count else "No posts", "bold")))
        self._show_tweets(paper.tweets)
        self.scroll_home(animate=False)

    def _show_tweets(self, tweets: tuple[Tweet, ...]) -> None:
        # Cards are kept and reused: mounting widgets on every cursor move would be slow.
        cards = list(self.query(".tweet-card").results(Static))
        if len(cards) < len(tweets):
            new = [Static(classes="tweet-card") for _ in range(len(tweets) - len(cards))]
            self.mount_all(new)
            cards += new
        for card, tweet in zip(cards, tweets, strict=False):
            card.update(tweet_text(tweet))
            card.display = True
        for card in cards[len(tweets) :]:
            card.display = False
