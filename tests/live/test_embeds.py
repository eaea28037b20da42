"""Live posts as the archive's embeds, and a live day written as a post and read back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hotpapers_tui.live.build import build_day
from hotpapers_tui.live.embeds import oembed_tweet, tweet_of, with_x_embeds
from hotpapers_tui.live.sources.base import SocialPost
from hotpapers_tui.posts import parse_post, render_post
from hotpapers_tui.tweets import BLUESKY_SCRIPT, TWITTER_SCRIPT, parse_embed
from tests.live.conftest import DAY, NOW, credentials
from tests.live.fakes import FakeFetcher
from tests.live.world import World

WHEN = datetime(2026, 11, 24, 5, tzinfo=UTC)
NASTY = 'Line one & <script>alert("x")</script>\n\nline "three" \x1b[31mred\x1b[0m <br> [b]not markup[/b]'


def post(platform: str, **changes: object) -> SocialPost:
    base: dict[str, object] = {
        "platform": platform,
        "url": "https://x.com/someone/status/42",
        "author": "Some <One> & Co",
        "handle": "someone",
        "created_at": WHEN,
        "text": NASTY,
        "lang": "en",
        "reposts": 3,
        "likes": 9,
        "comments": 1,
        "points": 0,
        "arxiv_ids": ("2611.00001",),
    }
    base.update(changes)
    return SocialPost(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("platform", "url", "handle", "script"),
    [
        ("x", "https://x.com/someone/status/42", "someone", TWITTER_SCRIPT),
        ("bluesky", "https://bsky.app/profile/alice.bsky.social/post/3kabc", "alice.bsky.social", BLUESKY_SCRIPT),
        ("hackernews", "https://news.ycombinator.com/item?id=7", "dang", None),
    ],
)
def test_each_embed_reads_back_to_the_same_fields(platform: str, url: str, handle: str, script: str | None) -> None:
    social = post(
        platform, url=url, handle=handle, ref="at://did:plc:a/app.bsky.feed.post/3kabc", link="https://arxiv.org/abs/1"
    )
    tweet = tweet_of(social)
    assert "\n" not in tweet.html
    assert "<script>" not in tweet.html  # the post's text is escaped, never markup
    assert tweet.script == script
    back = parse_embed(tweet.html, tweet.script)
    assert (back.author, back.handle, back.url, back.text) == (tweet.author, tweet.handle, tweet.url, tweet.text)
    assert (back.date, back.lang, back.html, back.script) == (tweet.date, tweet.lang, tweet.html, tweet.script)
    assert back.platform == platform == tweet.platform
    assert tweet.url == url and tweet.handle == handle and tweet.author == "Some <One> & Co"
    assert tweet.date == "November 24, 2026"
    assert "\x1b" not in tweet.text
    if platform == "hackernews":
        assert tweet.text.startswith("Line one & <script>")
        assert tweet.text.endswith("https://arxiv.org/abs/1\n0 points, 1 comments")
    else:
        assert tweet.text == 'Line one & <script>alert("x")</script>\n\nline "three" red <br> [b]not markup[/b]'


def test_bluesky_embed_has_blueskys_shape() -> None:
    tweet = tweet_of(post("bluesky", ref="at://did:plc:a/app.bsky.feed.post/3kabc", url="https://bsky.app/x/post/3k"))
    assert tweet.html.startswith('<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:a/app.bsky')
    assert tweet.script == '<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>'


async def test_live_day_written_as_a_post_reads_back_the_same(world: World, fetcher: FakeFetcher) -> None:
    day = await build_day(DAY, fetcher, credentials(), now=NOW)
    assert len(day.papers) == 3
    back = parse_post(render_post(day))
    assert back.date == day.date and back.title == day.title
    assert [p.arxiv_id for p in back.papers] == [p.arxiv_id for p in day.papers]
    for mine, read in zip(day.papers, back.papers, strict=True):
        assert (read.title, read.authors, read.abstract) == (mine.title, mine.authors, mine.abstract)
        assert (read.retweets, read.favorites) == (mine.retweets, mine.favorites)
        assert (read.abs_url, read.pdf_url, read.categories) == (mine.abs_url, mine.pdf_url, mine.categories)
        assert read.counted_at == mine.counted_at.replace(microsecond=0)
        fields = [(t.platform, t.author, t.handle, t.url, t.text, t.html, t.script) for t in mine.tweets]
        assert [(t.platform, t.author, t.handle, t.url, t.text, t.html, t.script) for t in read.tweets] == fields


async def test_x_embeds_come_from_oembed_for_export(world: World, fetcher: FakeFetcher) -> None:
    day = await build_day(DAY, fetcher, credentials(), now=NOW)
    exported = await with_x_embeds(day, fetcher)
    x_tweets = [t for p in exported.papers for t in p.tweets if t.platform == "x"]
    assert len(x_tweets) == 1
    tweet = x_tweets[0]
    assert tweet.html.startswith('<blockquote class="twitter-tweet" data-dnt="true">') and "\n" not in tweet.html
    assert tweet.text.startswith("From oEmbed") and (tweet.likes, tweet.reposts) == (20, 5)
    oembed = fetcher.params("x_oembed")[0]
    assert oembed == {"url": "https://x.com/karpathy/status/1001", "omit_script": "1", "dnt": "true"}
    back = parse_post(render_post(exported))
    read = next(t for p in back.papers for t in p.tweets if t.platform == "x")
    assert (read.author, read.handle, read.url, read.text) == (tweet.author, tweet.handle, tweet.url, tweet.text)


async def test_x_embed_falls_back_to_the_local_blockquote(world: World, fetcher: FakeFetcher) -> None:
    day = await build_day(DAY, fetcher, credentials(), now=NOW)
    tweet = next(t for p in day.papers for t in p.tweets if t.platform == "x")
    world.down["publish.twitter.com"] = 404
    assert await oembed_tweet(fetcher, tweet) == tweet


@pytest.mark.parametrize("platform", ["x", "bluesky", "hackernews"])
@pytest.mark.parametrize(
    ("author", "handle", "text"),
    [
        ("Eve (@mallory) Smith", "eve", "plain"),
        ("", "no.name", "  leading spaces\n\ttab\n"),
        ("\u202eReversed\nname", "weird (handle)", "&amp; &lt;p&gt; </blockquote><p>"),
        ("Name", "h", ""),
    ],
)
def test_awkward_names_and_texts_still_read_back(platform: str, author: str, handle: str, text: str) -> None:
    social = post(platform, author=author, handle=handle, text=text, link="https://arxiv.org/abs/2611.00001?a=1&b=2")
    tweet = tweet_of(social)
    back = parse_embed(tweet.html, tweet.script)
    assert (back.author, back.handle, back.url, back.text, back.lang) == (
        tweet.author,
        tweet.handle,
        tweet.url,
        tweet.text,
        tweet.lang,
    )
