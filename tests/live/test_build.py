"""Building a day from every source: grouping, filtering, scoring, ranking, skipped sources."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hotpapers_tui.live.arxiv_meta import ArxivMetadata
from hotpapers_tui.live.build import LiveError, build_day, could_be_listed, source_status, sources_note
from hotpapers_tui.live.calendar import submission_window
from hotpapers_tui.live.settings import LiveSettings
from tests.live.conftest import DAY, NOW, OLD, T0, UNKNOWN, A, B, C, credentials
from tests.live.fakes import FakeFetcher
from tests.live.world import World, bsky_post, hn_hit


async def test_day_from_all_sources_follows_the_documented_score(fetcher: FakeFetcher) -> None:
    lines: list[str] = []
    day = await build_day(DAY, fetcher, credentials(), now=NOW, progress=lines.append)
    assert [p.arxiv_id for p in day.papers] == [A, B, C]
    a, b, c = day.papers
    # A: Bluesky (3 reposts + 1 quote + 10 likes) + (1 like), HN 40 points, HF 3 upvotes.
    assert a.score == 14 + 1 + 40 + 3
    assert dict(a.breakdown) == {"bluesky": 15, "hackernews": 40, "huggingface": 3}
    assert (a.retweets, a.favorites) == (4, 11)
    # B: Bluesky (2 reposts + 4 likes) and X (5 retweets + 20 likes): one paper on two platforms.
    assert b.score == 6 + 25
    assert dict(b.breakdown) == {"bluesky": 6, "x": 25}
    assert (b.retweets, b.favorites) == (7, 24)
    assert {t.platform for t in b.tweets} == {"bluesky", "x"}
    assert c.score == 7 and c.tweets == () and dict(c.breakdown) == {"huggingface": 7}
    # A's 1-like Bluesky post is below min_post_score and not the first: not shown.
    assert [t.platform for t in a.tweets] == ["hackernews", "bluesky"]
    assert a.tweets[0].url == "https://news.ycombinator.com/item?id=1"
    assert (a.tweets[0].likes, a.tweets[0].comments) == (40, 12)
    assert a.tweets[1].url == "https://bsky.app/profile/alice.bsky.social/post/b1"
    assert (a.tweets[1].reposts, a.tweets[1].likes) == (4, 10)
    assert a.title == "Paper A: <b>bold</b> [v2]"
    assert a.abstract == "We study things. And more things."
    assert a.categories == ("cs.LG", "stat.ML")
    assert a.abs_url == f"https://arxiv.org/abs/{A}" and a.pdf_url == f"https://arxiv.org/pdf/{A}"
    assert b.tweets[0].url == "https://x.com/karpathy/status/1001"
    status = source_status(day)
    assert all(status[name].startswith("used") for name in ("hackernews", "bluesky", "x", "huggingface", "arxiv"))
    assert any(line.startswith("hackernews: 2 posts") for line in lines)
    assert "bluesky: 4 posts" in lines and "x: 1 posts" in lines and "found 3 papers" in lines


async def test_weights_and_thresholds_change_the_ranking(fetcher: FakeFetcher) -> None:
    settings = credentials(
        weight_reposts=2.0, weight_likes=0.25, weight_hn_points=0.1, weight_hf_upvotes=3.0, min_paper_score=21
    )
    day = await build_day(DAY, fetcher, settings, now=NOW)
    # A: bluesky 2*4 + 0.25*10 + 0.25*1 = 10.75, HN 0.1*40 = 4, HF 3*3 = 9 -> 23.75 -> 24
    # C: HF 3*7 = 21; B: bluesky 2*2 + 0.25*4 = 5, X 2*5 + 0.25*20 = 15 -> 20 (below 21: dropped)
    assert [(p.arxiv_id, p.score) for p in day.papers] == [(A, 24), (C, 21)]
    assert dict(day.papers[0].breakdown) == {"bluesky": 11, "hackernews": 4, "huggingface": 9}


async def test_max_posts_and_min_post_score(world: World, fetcher: FakeFetcher) -> None:
    world.bsky = [
        bsky_post(f"m{i}", T0 + timedelta(minutes=i), link=f"https://arxiv.org/abs/{A}", likes=i) for i in range(8)
    ]
    day = await build_day(DAY, fetcher, credentials(max_posts=3, min_post_score=5), now=NOW)
    paper = next(p for p in day.papers if p.arxiv_id == A)
    assert [t.likes for t in paper.tweets] == [40, 7, 6]  # HN story first, then the two best posts
    day = await build_day(DAY, fetcher, credentials(max_posts=10, min_post_score=100), now=NOW)
    paper = next(p for p in day.papers if p.arxiv_id == A)
    assert [t.platform for t in paper.tweets] == ["hackernews"]  # the first post is always shown


async def test_papers_of_other_days_only_when_asked(fetcher: FakeFetcher) -> None:
    day = await build_day(DAY, fetcher, credentials(), now=NOW)
    assert OLD not in {p.arxiv_id for p in day.papers}
    day = await build_day(DAY, fetcher, credentials(include_all_mentioned=True), now=NOW)
    ids = [p.arxiv_id for p in day.papers]
    assert ids[0] == OLD  # 100 HN points
    assert UNKNOWN not in ids  # arXiv did not know it: left out
    assert day.extra["mentioned"] == "5"


async def test_same_paper_in_different_link_forms_is_one_paper(world: World, fetcher: FakeFetcher) -> None:
    forms = [
        f"https://arxiv.org/abs/{B}",
        f"https://arxiv.org/pdf/{B}v3",
        f"https://export.arxiv.org/abs/{B}v1",
        f"http://www.arxiv.org/pdf/{B}.pdf",
        f"https://arxiv.org/html/{B}v2",
    ]
    world.hn = [hn_hit(10 + i, url, T0 + timedelta(minutes=i), points=3) for i, url in enumerate(forms)]
    day = await build_day(DAY, fetcher, LiveSettings(), now=NOW)
    paper = next(p for p in day.papers if p.arxiv_id == B)
    assert dict(paper.breakdown) == {"hackernews": 15}
    assert len(paper.tweets) == 5


async def test_without_credentials_bluesky_and_x_are_skipped(fetcher: FakeFetcher) -> None:
    day = await build_day(DAY, fetcher, LiveSettings(), now=NOW)
    status = source_status(day)
    assert status["bluesky"] == "skipped: no credentials"
    assert status["x"] == "skipped: no credentials"
    assert fetcher.count("bluesky") == fetcher.count("bluesky_auth") == fetcher.count("x") == 0
    assert [p.arxiv_id for p in day.papers] == [A, C]
    assert "skipped: bluesky (no credentials), x (no credentials)" in sources_note(day)


async def test_one_source_down_the_day_is_built_from_the_rest(world: World, fetcher: FakeFetcher) -> None:
    world.down["hn.algolia.com"] = 503
    world.garbage.add("api.x.com")
    day = await build_day(DAY, fetcher, credentials(), now=NOW)
    status = source_status(day)
    assert status["hackernews"] == "skipped: HTTP 503"
    assert status["x"] == "skipped: X answered something that is not JSON"
    assert status["bluesky"].startswith("used: 4 posts")
    a = next(p for p in day.papers if p.arxiv_id == A)
    assert dict(a.breakdown) == {"bluesky": 15, "huggingface": 3}
    note = sources_note(day)
    assert "hackernews (HTTP 503)" in note and note.startswith("sources: ")


async def test_offline_every_source_is_skipped(world: World) -> None:
    fetcher = FakeFetcher(world.handle, offline=True)
    day = await build_day(DAY, fetcher, credentials(), now=NOW)
    assert day.papers == ()
    status = source_status(day)
    assert status["hackernews"] == "skipped: offline"
    assert status["bluesky"] == "skipped: offline"
    assert status["huggingface"] == "skipped: offline"


async def test_window_is_one_query_per_source_and_never_past_now(fetcher: FakeFetcher) -> None:
    now = T0 + timedelta(hours=3, minutes=30)
    day = await build_day(DAY, fetcher, credentials(), now=now)
    # Bluesky: one query for arxiv.org in the text, one for links and cards to it.
    assert fetcher.count("hackernews") == 1 and fetcher.count("bluesky") == 2 and fetcher.count("x") == 1
    hn = fetcher.params("hackernews")[0]
    assert hn["numericFilters"] == f"created_at_i>={int(T0.timestamp()) - 4 * 3600},created_at_i<{int(now.timestamp())}"
    assert hn["hitsPerPage"] == "1000" and hn["tags"] == "story" and hn["restrictSearchableAttributes"] == "url"
    bsky = fetcher.params("bluesky")[1]
    assert bsky["domain"] == "arxiv.org" and bsky["until"] == "2026-11-24T08:30:00Z"
    assert bsky["since"] == "2026-11-24T01:00:00Z"
    # b4 (4 hours after T0) falls after now.
    assert source_status(day)["bluesky"].startswith("used: 3 posts")


async def test_days_that_cannot_be_built(fetcher: FakeFetcher) -> None:
    with pytest.raises(LiveError, match="Monday to Friday"):
        await build_day(DAY + timedelta(days=4), fetcher, LiveSettings(), now=NOW)
    with pytest.raises(LiveError, match="not been announced"):
        await build_day(DAY + timedelta(days=6), fetcher, LiveSettings(), now=NOW)
    # Friday 27 November 2026: arXiv skips Thanksgiving evening, so that listing never exists.
    with pytest.raises(LiveError, match=r"no announcement on the evening of Thursday 2026-11-26 .* 2026-11-30's"):
        await build_day(DAY + timedelta(days=3), fetcher, LiveSettings(), now=NOW + timedelta(days=7))
    assert fetcher.count("hackernews") == 0


async def test_metadata_is_fetched_once_across_builds(world: World, fetcher: FakeFetcher) -> None:
    metadata = ArxivMetadata(fetcher)
    await build_day(DAY, fetcher, credentials(), now=NOW, metadata=metadata)
    assert fetcher.count("arxiv") == 1
    fetcher.cache.clear()  # even with the HTTP cache gone, the metadata store answers
    await build_day(DAY, fetcher, credentials(), now=NOW, metadata=metadata, refresh=True)
    # Only the id arXiv did not know is asked again; its empty answer looks like arXiv's
    # empty-first-page fault, so it is asked once more.
    assert [p["id_list"] for p in fetcher.params("arxiv")[1:]] == [UNKNOWN, UNKNOWN]


async def test_ids_assigned_too_early_are_not_asked_of_arxiv(world: World, fetcher: FakeFetcher) -> None:
    world.hn.append(hn_hit(50, "https://arxiv.org/abs/2409.00001", T0, points=90))
    world.hn.append(hn_hit(51, "https://arxiv.org/abs/hep-th/9901001", T0, points=90))
    day = await build_day(DAY, fetcher, LiveSettings(), now=NOW)
    asked = fetcher.params("arxiv")[0]["id_list"].split(",")
    assert "2409.00001" not in asked and "hep-th/9901001" not in asked
    assert OLD in asked  # October ids may still be held in moderation
    assert day.extra["mentioned"] == "5"  # A, OLD and the two early ids on HN, C on Hugging Face
    await build_day(DAY, fetcher, LiveSettings(include_all_mentioned=True), now=NOW)
    assert "2409.00001" in fetcher.params("arxiv")[-1]["id_list"]


@pytest.mark.parametrize("include_all", [False, True])
async def test_ids_that_cannot_exist_are_never_asked_of_arxiv(
    world: World, fetcher: FakeFetcher, include_all: bool
) -> None:
    # Each would cost a request at arXiv's 3-second pace before its HTTP 400 set it apart.
    impossible = ["1412.12345", "2613.00001", "2611.00000", "2701.00001"]  # 2701: two months after NOW
    world.bsky.append(bsky_post("bad", T0, text=" ".join(f"https://arxiv.org/abs/{i}" for i in impossible), likes=90))
    world.hn.append(hn_hit(60, "https://arxiv.org/abs/2613.00001v2", T0, points=90))
    world.hf["2026-11-24"].append({"paper": {"id": "2611.00000", "title": "Zero", "upvotes": 90}})
    world.hf["2026-11-24"].append({"paper": {"id": "2701.00002", "title": "Not yet", "upvotes": 90}})
    day = await build_day(DAY, fetcher, credentials(include_all_mentioned=include_all), now=NOW)
    asked = {i for p in fetcher.params("arxiv") for i in p["id_list"].split(",")}
    assert asked and not asked & {*impossible, "2701.00002"}
    assert {A, B, C} <= {p.arxiv_id for p in day.papers}
    assert source_status(day)["arxiv"].startswith("used: ")


def test_could_be_listed_across_a_new_year() -> None:
    window = submission_window(date(2027, 1, 5))
    assert could_be_listed("2701.00001", window)
    assert could_be_listed("2612.00001", window)
    assert not could_be_listed("2611.99999", window)
    assert not could_be_listed("math/0101001", window)


async def test_builds_minutes_apart_ask_the_same_urls(fetcher: FakeFetcher) -> None:
    now = T0 + timedelta(hours=3, minutes=31)
    await build_day(DAY, fetcher, credentials(), now=now)
    await build_day(DAY, fetcher, credentials(), now=now + timedelta(minutes=4))
    assert fetcher.count("hackernews") == fetcher.count("x") == 1 and fetcher.count("bluesky") == 2
    assert fetcher.params("bluesky")[0]["until"] == "2026-11-24T08:40:00Z"
    assert fetcher.params("x")[0]["end_time"] == "2026-11-24T08:30:00Z"


async def test_bluesky_sign_in_refused_the_day_is_built_from_the_rest(world: World, fetcher: FakeFetcher) -> None:
    world.bsky_password = "another"
    day = await build_day(DAY, fetcher, credentials(), now=NOW)
    assert source_status(day)["bluesky"] == ("skipped: sign-in refused (HTTP 401): check the handle and app password")
    assert [p.arxiv_id for p in day.papers] == [A, B, C]
    assert dict(day.papers[1].breakdown) == {"x": 25}
