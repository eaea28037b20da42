"""Posts as the archive's embeds: X via oEmbed (or a local blockquote), Bluesky's blockquote, HN as a plain one.

Every embed is one line of HTML that :func:`hotpapers_tui.tweets.parse_embed` reads
back to the same author, handle, URL and text. Untrusted text is escaped, never
passed through as markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from html import escape

from hotpapers_tui.fetch.api import Fetcher, FetchError, Freshness
from hotpapers_tui.live.sources.base import SocialPost
from hotpapers_tui.model import Day, Tweet
from hotpapers_tui.textsafety import plain
from hotpapers_tui.tweets import BLUESKY_SCRIPT, TWITTER_SCRIPT, EmbedError, parse_embed

OEMBED_SOURCE = "x_oembed"
OEMBED_PATH = "/oembed"


MONTHS = (
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
)
"""English month names whatever the locale: embeds are read back by this name."""


def embed_date(moment: datetime) -> str:
    """The date as embeds show it: ``June 22, 2021``."""
    return f"{MONTHS[moment.month - 1]} {moment.day}, {moment.year}"


def clean_text(text: str) -> str:
    """A post's text as an embed carries it: no control characters, no blank lines at the ends."""
    return plain(text, keep_newlines=True).strip("\n")


def _body(text: str) -> str:
    return "<br>".join(escape(line, quote=False) for line in text.split("\n"))


def _name(post: SocialPost) -> str:
    # "(@" would read as the start of the handle in the byline.
    return plain(post.author).replace("(@", "(").strip() or _handle(post)


def _handle(post: SocialPost) -> str:
    return re.sub(r"[()\s]", "", post.handle)


def _byline(name: str, handle: str, url: str, when: str, profile: str = "") -> str:
    at = f'<a href="{escape(profile)}">@{escape(handle)}</a>' if profile else f"@{escape(handle)}"
    return f'&mdash; {escape(name, quote=False)} ({at}) <a href="{escape(url)}">{escape(when, quote=False)}</a>'


def x_blockquote(post: SocialPost) -> str:
    """A ``twitter-tweet`` blockquote of the shape Twitter's own embed has, built locally."""
    lang = f' lang="{escape(post.lang)}"' if post.lang else ""
    text = clean_text(post.text)
    return (
        f'<blockquote class="twitter-tweet"><p{lang} dir="ltr">{_body(text)}</p>'
        f"{_byline(_name(post), _handle(post), post.url, embed_date(post.created_at))}</blockquote>"
    )


def bluesky_blockquote(post: SocialPost) -> str:
    """Bluesky's embed blockquote (its script renders it; the text stands without it)."""
    lang = f' lang="{escape(post.lang)}"' if post.lang else ""
    profile = f"https://bsky.app/profile/{_handle(post)}"
    return (
        f'<blockquote class="bluesky-embed" data-bluesky-uri="{escape(post.ref)}" '
        f'data-bluesky-embed-color-mode="system"><p{lang}>{_body(clean_text(post.text))}</p>'
        f"{_byline(_name(post), _handle(post), post.url, embed_date(post.created_at), profile)}</blockquote>"
    )


def hackernews_blockquote(post: SocialPost) -> str:
    """A plain blockquote: the story's title and link, its counts, its submitter, a link to the discussion."""
    parts = [_body(clean_text(post.text))] if clean_text(post.text) else []
    if post.link:
        parts.append(f'<a href="{escape(post.link)}">{escape(plain(post.link), quote=False)}</a>')
    parts.append(f"{post.points} points, {post.comments} comments")
    return (
        f'<blockquote class="hackernews-story"><p>{"<br>".join(parts)}</p>'
        f"{_byline(_name(post), _handle(post), post.url, embed_date(post.created_at))}</blockquote>"
    )


def _hackernews_text(post: SocialPost) -> str:
    lines = [clean_text(post.text)] if clean_text(post.text) else []
    if post.link:
        lines.append(plain(post.link))
    lines.append(f"{post.points} points, {post.comments} comments")
    return "\n".join(lines)


def tweet_of(post: SocialPost) -> Tweet:
    """A post as the day model's Tweet, its fields exactly what :func:`parse_embed` reads from its embed.

    Built directly rather than by parsing the embed back: a day has thousands of posts.
    """
    if post.platform == "hackernews":
        html, script, text, lang = hackernews_blockquote(post), None, _hackernews_text(post), ""
        reposts, likes = None, post.points
    else:
        if post.platform == "x":
            html, script = x_blockquote(post), TWITTER_SCRIPT
        else:
            html, script = bluesky_blockquote(post), BLUESKY_SCRIPT
        text, lang, reposts, likes = clean_text(post.text), post.lang, post.reposts, post.likes
    return Tweet(
        url=post.url,
        author=_name(post),
        handle=_handle(post),
        date=embed_date(post.created_at),
        text=text,
        lang=lang,
        html=html,
        script=script,
        platform=post.platform,
        reposts=reposts,
        likes=likes,
        comments=post.comments,
    )


def _one_line(html: str) -> str | None:
    """The blockquote of an oEmbed answer on one line, or None when there is none."""
    start = html.find("<blockquote")
    end = html.rfind("</blockquote>")
    if start < 0 or end < start:
        return None
    return " ".join(html[start : end + len("</blockquote>")].split("\n"))


async def oembed_tweet(fetcher: Fetcher, tweet: Tweet) -> Tweet:
    """Twitter's own embed HTML for an X post (cached forever); the local blockquote if oEmbed fails."""
    try:
        answer = await fetcher.get(
            OEMBED_SOURCE,
            OEMBED_PATH,
            params={"url": tweet.url, "omit_script": "1", "dnt": "true"},
            freshness=Freshness.FOREVER,
        )
        data = answer.json()
    except (FetchError, ValueError, UnicodeDecodeError):
        return tweet
    html = data.get("html") if isinstance(data, dict) else None
    line = _one_line(html) if isinstance(html, str) else None
    if line is None:
        return tweet
    try:
        parsed = parse_embed(line, TWITTER_SCRIPT)
    except EmbedError:
        return tweet
    if parsed.platform != "x" or not parsed.text:
        return tweet
    return replace(parsed, reposts=tweet.reposts, likes=tweet.likes, comments=tweet.comments)


async def with_x_embeds(day: Day, fetcher: Fetcher, progress: Callable[[str], None] | None = None) -> Day:
    """``day`` with its X posts' embeds replaced by Twitter's oEmbed HTML, for export."""
    papers = []
    done = 0
    for paper in day.papers:
        tweets = []
        for tweet in paper.tweets:
            if tweet.platform == "x":
                tweet = await oembed_tweet(fetcher, tweet)
                done += 1
            tweets.append(tweet)
        papers.append(replace(paper, tweets=tuple(tweets)))
    if progress is not None and done:
        progress(f"x: {done} embeds")
    return replace(day, papers=tuple(papers))
