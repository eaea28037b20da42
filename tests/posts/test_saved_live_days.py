"""Saved is what you see: a live day written as a post reads back in its order, with the scores it was saved with."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from hotpapers_tui.feeds.folder import sample_path
from hotpapers_tui.live.build import build_day
from hotpapers_tui.live.embeds import tweet_of, with_x_embeds
from hotpapers_tui.live.sources.base import SocialPost
from hotpapers_tui.model import Day, Paper, rank_papers
from hotpapers_tui.posts import PostError, parse_post, render_post, score_line
from tests.live.conftest import DAY, NOW, credentials, standard_world
from tests.live.fakes import FakeFetcher
from tests.posts.post_texts import FRONT

WHEN = datetime(2026, 11, 24, 5, tzinfo=UTC)


def social(platform: str, url: str, handle: str, **counts: int) -> SocialPost:
    base = {"reposts": 0, "likes": 0, "comments": 0, "points": 0}
    base.update(counts)
    return SocialPost(
        platform=platform,
        url=url,
        author=f"{handle.title()} & Co",
        handle=handle,
        created_at=WHEN,
        text=f"A post on {platform} <b>about</b> it",
        lang="en",
        arxiv_ids=("2611.00001",),
        ref="at://did:plc:a/app.bsky.feed.post/3k" if platform == "bluesky" else "",
        link="https://arxiv.org/abs/2611.00001" if platform == "hackernews" else "",
        **base,  # type: ignore[arg-type]
    )


def live_paper(arxiv_id: str, score: int, breakdown: tuple[tuple[str, int], ...], *posts: SocialPost) -> Paper:
    social_posts = [p for p in posts if p.platform != "hackernews"]
    return Paper(
        arxiv_id=arxiv_id,
        title=f"Paper {arxiv_id}",
        authors=("Ada Lovelace",),
        retweets=sum(p.reposts for p in social_posts),
        favorites=sum(p.likes for p in social_posts),
        counted_at=datetime(2026, 11, 26, 12, 0, 0, 123456),
        abs_url=f"https://arxiv.org/abs/{arxiv_id}",
        pdf_url=f"https://arxiv.org/pdf/{arxiv_id}",
        categories=("cs.LG",),
        abstract="An abstract.",
        tweets=tuple(tweet_of(p) for p in posts),
        breakdown=breakdown,
        score_override=score,
    )


def constructed_live_day() -> Day:
    """Three papers ranked by a live score that retweets + favorites would order differently."""
    x = social("x", "https://x.com/ada/status/1", "ada", reposts=2, likes=3)
    bsky = social("bluesky", "https://bsky.app/profile/bob.bsky.social/post/3k", "bob.bsky.social", reposts=1, likes=4)
    hn = social("hackernews", "https://news.ycombinator.com/item?id=7", "dang", points=120, comments=33)
    lifted = live_paper(
        "2611.00001", 137, (("hackernews", 120), ("bluesky", 5), ("x", 5), ("huggingface", 7)), hn, bsky, x
    )
    popular = live_paper("2611.00002", 60, (("x", 60),), social("x", "https://x.com/c/status/2", "c", likes=60))
    upvoted = live_paper("2611.00003", 42, (("huggingface", 42),))
    return Day(
        date=DAY,
        title="Hot Papers 2026-11-24",
        generated_at=datetime(2026, 11, 26, 12, 0, 0, 5),
        papers=(lifted, popular, upvoted),
    )


def test_a_live_day_saved_read_back_and_saved_again_is_the_same_file() -> None:
    day = constructed_live_day()
    saved = render_post(day)
    back = parse_post(saved)
    assert render_post(back) == saved
    assert [p.arxiv_id for p in back.papers] == ["2611.00001", "2611.00002", "2611.00003"]
    assert [(p.score, p.breakdown) for p in back.papers] == [(p.score, p.breakdown) for p in day.papers]
    # Ranked by retweets + favorites alone, the saved order would not hold.
    assert [p.retweets + p.favorites for p in back.papers] == [10, 60, 0]
    assert rank_papers(back.papers) == list(back.papers)
    story = back.papers[0].tweets[0]
    assert (story.platform, story.likes, story.comments) == ("hackernews", 120, 33)
    assert [t.platform for t in back.papers[0].tweets] == ["hackernews", "bluesky", "x"]


def test_the_score_line_says_the_score_and_links_the_hugging_face_page() -> None:
    saved = render_post(constructed_live_day())
    assert (
        '<blockquote class="hotpapers-score"><p>score 137: hackernews 120, bluesky 5, x 5, '
        '<a href="https://huggingface.co/papers/2611.00001">huggingface</a> 7</p></blockquote>\n\n\n\n\n# 2.'
    ) in saved
    assert "<p>score 60: x 60</p></blockquote>\n\n\n\n\n# 3." in saved
    # A paper featured only on Hugging Face: no posts, the score line after the abstract.
    assert 'An abstract.\n\n<blockquote class="hotpapers-score"><p>score 42: <a href' in saved
    assert saved.endswith("huggingface</a> 42</p></blockquote>\n\n\n\n")


async def test_a_built_live_day_saved_twice_is_the_same_file_with_the_same_scores() -> None:
    world = standard_world()
    fetcher = FakeFetcher(world.handle)
    built = await build_day(DAY, fetcher, credentials(), now=NOW)
    ready = await with_x_embeds(built, fetcher)
    platforms = {t.platform for p in ready.papers for t in p.tweets}
    sources = {name for p in ready.papers for name, _ in p.breakdown}
    assert platforms == {"x", "bluesky", "hackernews"} and "huggingface" in sources
    saved = render_post(ready)
    back = parse_post(saved)
    assert render_post(back) == saved
    assert [p.arxiv_id for p in back.papers] == [p.arxiv_id for p in built.papers]
    assert [(p.score, p.breakdown) for p in back.papers] == [(p.score, p.breakdown) for p in built.papers]
    # Some paper is lifted by Hacker News or Hugging Face above one with more reposts and likes.
    plain_order = sorted(back.papers, key=lambda p: -(p.retweets + p.favorites))
    assert [p.arxiv_id for p in plain_order] != [p.arxiv_id for p in back.papers]
    # Saved again from what was read back: still the same file.
    assert render_post(parse_post(render_post(back))) == saved


def test_archive_posts_carry_no_score_line_and_score_by_their_counts() -> None:
    day = parse_post(sample_path().read_text(encoding="utf-8"))
    assert all(p.breakdown == () and p.score_override is None for p in day.papers)
    assert all(p.score == p.retweets + p.favorites for p in day.papers)


@pytest.mark.parametrize(
    ("score", "breakdown", "body"),
    [
        (5, (), "score 5"),
        (None, (("x", 3), ("bluesky", -2)), "x 3, bluesky -2"),
        (-1, (("hackernews", 0),), "score -1: hackernews 0"),
    ],
)
def test_score_lines_of_every_form_read_back(
    score: int | None, breakdown: tuple[tuple[str, int], ...], body: str
) -> None:
    paper = replace(constructed_live_day().papers[1], score_override=score, breakdown=breakdown)
    assert f"<p>{body}</p>" in score_line(score, breakdown, paper.abs_url)
    day = replace(constructed_live_day(), papers=(paper,))
    back = parse_post(render_post(day))
    assert (back.papers[0].score_override, back.papers[0].breakdown) == (score, breakdown)


PAPER = (
    "\n# 1. A paper\n\nAda Lovelace\n\n- retweets: 1, favorites: 2 (06/23/2021 10:32:04)\n\n"
    "- links: [abs](https://arxiv.org/abs/2106.00001) | [pdf](https://arxiv.org/pdf/2106.00001)\n"
    "- [cs.LG](https://arxiv.org/list/cs.LG/recent)\n\nAn abstract.\n\n{embeds}\n\n\n"
)
SCORE = '<blockquote class="hotpapers-score"><p>score 9: x 3, hackernews 6</p></blockquote>'
TWEET = (
    '<blockquote class="twitter-tweet"><p>hi</p>&mdash; A (@a) <a href="https://x.com/a/status/1">x</a></blockquote>'
)


@pytest.mark.parametrize(
    ("embeds", "at", "expected"),
    [
        (SCORE.replace("score 9", "score nine"), "<blockquote", "expected a score line"),
        (SCORE.replace("x 3, ", "x 3,  "), "<blockquote", "expected a score line"),
        (SCORE.replace("hackernews 6", "huggingface 6"), "<blockquote", "expected a score line"),  # no link
        (SCORE + "\n\n" + TWEET, TWEET, "the heading '# 2. Title' after the score line"),
        (SCORE + "\n<script async></script>", "<script", "the heading '# 2. Title' after the score line"),
    ],
)
def test_a_score_line_not_as_written_here_names_its_line(embeds: str, at: str, expected: str) -> None:
    good = parse_post(FRONT + PAPER.format(embeds=SCORE))
    assert (good.papers[0].score, good.papers[0].breakdown) == (9, (("x", 3), ("hackernews", 6)))
    text = FRONT + PAPER.format(embeds=embeds)
    with pytest.raises(PostError) as caught:
        parse_post(text, "post.md")
    assert caught.value.line == text[: text.index(at)].count("\n") + 1
    assert expected in caught.value.message
