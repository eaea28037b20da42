"""Builds Day/Paper/Tweet objects and the embed HTML Twitter would have written for them.

The tweets are built from their plain fields (text, name, handle, date) and the HTML is
produced here with Twitter's own escaping, so a test that parses the HTML back checks
the reader's decoding against an independent statement of what the text is.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from hotpapers_tui.model import Day, Paper, Tweet, default_title, rank_papers
from hotpapers_tui.tweets import TWITTER_SCRIPT

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def escape_html(text: str) -> str:
    """Escape text the way Twitter's oEmbed does (``&#39;`` for the apostrophe)."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


@dataclass(frozen=True)
class Link:
    """A link inside a tweet's text: shown as ``text``, pointing at ``href``."""

    text: str
    href: str


Part = str | Link
"""A piece of a tweet's body: plain text (may hold newlines) or a link."""


def tweet_date(when: dt.date) -> str:
    return f"{MONTHS[when.month - 1]} {when.day}, {when.year}"


def embed_html(parts: Sequence[Part], name: str, handle: str, status: int, date: str, lang: str = "en") -> str:
    """One embed line, in Twitter's oEmbed shape."""
    body: list[str] = []
    for part in parts:
        if isinstance(part, Link):
            body.append(f'<a href="{escape_html(part.href)}">{escape_html(part.text)}</a>')
        else:
            body.append("<br>".join(escape_html(piece) for piece in part.split("\n")))
    url = f"https://twitter.com/{handle}/status/{status}?ref_src=twsrc%5Etfw"
    return (
        f'<blockquote class="twitter-tweet"><p lang="{lang}" dir="ltr">{"".join(body)}</p>'
        f"&mdash; {escape_html(name)} (@{handle}) "
        f'<a href="{escape_html(url)}">{escape_html(date)}</a></blockquote>'
    )


def make_tweet(
    parts: Sequence[Part],
    *,
    name: str = "Ada Lovelace",
    handle: str = "ada",
    status: int = 1407259486352445443,
    date: str = "June 22, 2021",
    lang: str = "en",
    script: str | None = TWITTER_SCRIPT,
) -> Tweet:
    """A Tweet whose fields are stated directly and whose html is built from them."""
    text = "".join(p.text if isinstance(p, Link) else p for p in parts)
    return Tweet(
        url=f"https://twitter.com/{handle}/status/{status}?ref_src=twsrc%5Etfw",
        author=name,
        handle=handle,
        date=date,
        text=text,
        lang=lang,
        html=embed_html(parts, name, handle, status, date, lang),
        script=script,
    )


def make_paper(
    arxiv_id: str = "2106.10934",
    title: str = "GRAND: Graph Neural Diffusion",
    *,
    authors: Sequence[str] = ("Benjamin Paul Chamberlain", "James Rowbottom"),
    retweets: int = 100,
    favorites: int = 20,
    counted_at: dt.datetime = dt.datetime(2021, 6, 23, 10, 32, 4),
    categories: Sequence[str] = ("cs.LG", "stat.ML"),
    abstract: str = "We present a model.",
    tweets: Sequence[Tweet] = (),
) -> Paper:
    return Paper(
        arxiv_id=arxiv_id,
        title=title,
        authors=tuple(authors),
        retweets=retweets,
        favorites=favorites,
        counted_at=counted_at,
        abs_url=f"https://arxiv.org/abs/{arxiv_id}",
        pdf_url=f"https://arxiv.org/pdf/{arxiv_id}",
        categories=tuple(categories),
        abstract=abstract,
        tweets=tuple(tweets),
    )


def make_day(
    papers: Sequence[Paper] = (),
    *,
    date: dt.date = dt.date(2021, 6, 22),
    end_date: dt.date | None = None,
    generated_at: dt.datetime = dt.datetime(2021, 6, 23, 10, 32, 4),
) -> Day:
    """A day holding ``papers`` in the order given (the writer ranks them)."""
    return Day(
        date=date,
        end_date=end_date,
        title=default_title(date, end_date),
        generated_at=generated_at,
        papers=tuple(papers),
    )


def ranked(day: Day) -> Day:
    """The day as a reader sees it after the writer ranked it."""
    return Day(
        date=day.date,
        end_date=day.end_date,
        title=day.title,
        generated_at=day.generated_at,
        papers=tuple(rank_papers(day.papers)),
        slug=day.slug,
        description=day.description,
    )


# Material for realistic random days (benchmarks, bulk tests).
_WORDS = [
    "graph",
    "neural",
    "diffusion",
    "learning",
    "deep",
    "model",
    "transformer",
    "attention",
    "robust",
    "sparse",
    "prediction",
    "lossless",
    "compression",
    "tabular",
    "data",
    "network",
    "training",
    "scalable",
    "efficient",
    "self-supervised",
    "contrastive",
    "representation",
    "language",
    "vision",
    "benchmark",
    "policy",
]
_FIRST = [
    "Ada",
    "Alan",
    "Grace",
    "Yann",
    "Marie",
    "Kenji",
    "Yuki",
    "Chris",
    "Maria",
    "Josif",
    "Frank",
    "Arlind",
    "Emanuele",
]
_LAST = ["Lovelace", "Turing", "Hopper", "Dubois", "Curie", "Tanaka", "Sato", "Maddison", "Gorinova", "Hutter", "Rossi"]
_CATEGORIES = ["cs.LG", "cs.CV", "cs.CL", "stat.ML", "cs.AI", "cs.IT", "math.OC", "cs.RO", "q-bio.NC", "physics.soc-ph"]
# Tweets per paper, 0 to 10: about 6% have none, most have one or two, a few have ten.
_TWEET_COUNT_WEIGHTS = [6, 55, 18, 8, 4, 3, 2, 1, 1, 1, 1]
_JAPANESE = ["この論文は面白い", "グラフニューラルネットワーク", "拡散モデルの新しい解釈", "読んだ"]


def random_tweet(rng: random.Random, when: dt.date) -> Tweet:
    handle = rng.choice(_FIRST).lower() + str(rng.randrange(1000))
    if rng.random() < 0.15:
        parts: list[Part] = [rng.choice(_JAPANESE), "\n", Link("https://t.co/abcDEF1234", "https://t.co/abcDEF1234")]
        lang = "ja"
    else:
        words = " ".join(rng.choice(_WORDS) for _ in range(rng.randrange(8, 40)))
        parts = [
            Link("#" + rng.choice(_WORDS).capitalize(), "https://twitter.com/hashtag/X?src=hash&ref_src=twsrc%5Etfw"),
            f' {words} & more -> "quoted" it\'s\n',
            "pdf: ",
            Link("https://t.co/rcRbf6H3tf", "https://t.co/rcRbf6H3tf"),
            " ",
            Link("pic.twitter.com/SYNWeRjP4z", "https://t.co/SYNWeRjP4z"),
        ]
        lang = "en"
    return make_tweet(
        parts,
        name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
        handle=handle,
        status=rng.randrange(10**18, 10**19),
        date=tweet_date(when),
        lang=lang,
    )


def random_paper(rng: random.Random, when: dt.date, index: int) -> Paper:
    arxiv_id = f"{when:%y%m}.{index:05d}"
    title = " ".join(rng.choice(_WORDS).capitalize() for _ in range(rng.randrange(3, 12)))
    abstract = " ".join(rng.choice(_WORDS) for _ in range(rng.randrange(80, 190)))
    n_tweets = rng.choices(range(11), weights=_TWEET_COUNT_WEIGHTS)[0]
    return make_paper(
        arxiv_id,
        title,
        authors=[f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(rng.randrange(1, 9))],
        retweets=rng.randrange(0, 5000),
        favorites=rng.randrange(0, 500),
        counted_at=dt.datetime.combine(when + dt.timedelta(days=1), dt.time(10, 32, rng.randrange(60))),
        categories=rng.sample(_CATEGORIES, rng.randrange(1, 4)),
        abstract=abstract,
        tweets=[random_tweet(rng, when) for _ in range(n_tweets)],
    )


def random_day(rng: random.Random, when: dt.date, papers: int = 40) -> Day:
    day = make_day(
        [random_paper(rng, when, i) for i in range(papers)],
        date=when,
        generated_at=dt.datetime.combine(when + dt.timedelta(days=1), dt.time(10, 32, 4)),
    )
    return ranked(day)
