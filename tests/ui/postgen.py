"""Synthetic Hot Papers posts for the reader's tests, benchmark and screenshots (made-up papers and people)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path

from hotpapers_tui.model import Day, Paper, Tweet, default_title, rank_papers
from hotpapers_tui.posts import render_post
from hotpapers_tui.tweets import parse_embed

SCRIPT = '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'


def embed(text: str, name: str, handle: str, status: int, when: date, lang: str = "en") -> Tweet:
    """A tweet as the archive embeds it, read back through the real embed parser."""
    body = "<br>".join(html.escape(line, quote=False) for line in text.split("\n"))
    url = f"https://twitter.com/{handle}/status/{status}?ref_src=twsrc%5Etfw"
    shown_date = f"{when:%B} {when.day}, {when.year}"
    line = (
        f'<blockquote class="twitter-tweet"><p lang="{lang}" dir="ltr">{body}</p>&mdash; '
        f'{html.escape(name, quote=False)} (@{handle}) <a href="{url}">{shown_date}</a></blockquote>'
    )
    return parse_embed(line, SCRIPT)


def make_paper(
    day: date,
    n: int,
    *,
    title: str | None = None,
    abstract: str | None = None,
    tweets: Sequence[Tweet] | None = None,
    score: int | None = None,
) -> Paper:
    """The ``n``-th synthetic paper of ``day``; higher ``n`` gets fewer retweets."""
    arxiv_id = f"{day:%y%m}.{10000 + day.day * 100 + n:05d}"
    retweets = score if score is not None else 1000 - n * 20
    if tweets is None:
        tweets = [
            embed(
                f"Synthetic post {k} about paper {n}.\nSecond line with a link https://example.org/{n}/{k}",
                f"Reader {k}",
                f"reader{k}",
                1400000000000000000 + n * 10 + k,
                day,
            )
            for k in range(1 + n % 3)
        ]
    return Paper(
        arxiv_id=arxiv_id,
        title=title if title is not None else f"Synthetic paper {n} of {day.isoformat()}",
        authors=(f"Ada Example{n}", "Grace Sample", "Alan Placeholder"),
        retweets=retweets,
        favorites=n,
        counted_at=datetime.combine(day + timedelta(days=1), time(10, 30, n % 60)),
        abs_url=f"https://arxiv.org/abs/{arxiv_id}",
        pdf_url=f"https://arxiv.org/pdf/{arxiv_id}",
        categories=("cs.LG", "stat.ML") if n % 2 else ("cs.CV",),
        abstract=abstract
        if abstract is not None
        else f"We study synthetic paper {n} and show a $1000\\times$ speed-up for $\\gamma$-ray data. " * 3,
        tweets=tuple(tweets),
    )


def make_day(day: date, papers: Iterable[Paper] | int = 5) -> Day:
    """A day of synthetic papers (``papers`` may be a count)."""
    listed = [make_paper(day, n) for n in range(1, papers + 1)] if isinstance(papers, int) else list(papers)
    return Day(
        date=day,
        title=default_title(day),
        generated_at=datetime.combine(day + timedelta(days=1), time(10, 30)),
        papers=tuple(rank_papers(listed)),
    )


def write_posts(folder: Path, days: Iterable[Day]) -> list[Path]:
    """Write each day under its canonical file name; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for day in days:
        path = folder / day.filename
        path.write_text(render_post(day), encoding="utf-8")
        paths.append(path)
    return paths
