"""Each source client against recorded-shape answers: paging, sessions, caps, odd answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from hotpapers_tui.fetch.api import Freshness
from hotpapers_tui.live.arxiv_meta import ArxivMetadata, MetaReport
from hotpapers_tui.live.calendar import Window
from hotpapers_tui.live.sources import hackernews, huggingface, x
from hotpapers_tui.live.sources.base import SourceSkipped
from hotpapers_tui.live.sources.bluesky import BlueskyClient
from tests.live.conftest import DAY, NOW, T0, A, B
from tests.live.fakes import FakeFetcher, json_response
from tests.live.world import Paper, World, bsky_post, hn_hit, x_tweet

WINDOW = Window(datetime(2026, 11, 24, 1, tzinfo=UTC), datetime(2026, 11, 26, 1, tzinfo=UTC))


def arxiv_url(n: int) -> str:
    return f"https://arxiv.org/abs/2611.{n:05d}"


async def test_hackernews_pages_through_several_pages() -> None:
    world = World(
        hn=[hn_hit(i, arxiv_url(i), T0 + timedelta(minutes=i), points=i) for i in range(1, 8)], hn_page_size=3
    )
    fetcher = FakeFetcher(world.handle)
    result = await hackernews.search(fetcher, WINDOW)
    assert fetcher.count("hackernews") == 3
    assert [p["page"] for p in fetcher.params("hackernews")] == ["0", "1", "2"]
    assert sorted(int(p.ref) for p in result.posts) == list(range(1, 8))
    post = next(p for p in result.posts if p.ref == "3")
    assert (post.points, post.url, post.link) == (3, "https://news.ycombinator.com/item?id=3", arxiv_url(3))
    assert post.arxiv_ids == ("2611.00003",)


async def test_hackernews_splits_a_window_with_more_than_1000_hits() -> None:
    hits = [hn_hit(i, arxiv_url(i), T0 + timedelta(seconds=50 * i), points=1) for i in range(1, 1501)]
    fetcher = FakeFetcher(World(hn=hits).handle)
    result = await hackernews.search(fetcher, WINDOW)
    assert len(result.posts) == 1500
    assert len({p.ref for p in result.posts}) == 1500
    assert fetcher.count("hackernews") >= 3  # the full window, then its halves


async def test_hackernews_skips_stories_without_a_paper_link() -> None:
    world = World(hn=[hn_hit(1, "https://arxiv.org/list/cs.LG/recent", T0, 5), hn_hit(2, arxiv_url(2), T0, 5)])
    result = await hackernews.search(FakeFetcher(world.handle), WINDOW)
    assert [p.ref for p in result.posts] == ["2"]


async def test_bluesky_session_is_created_once_and_pages_follow_the_cursor() -> None:
    posts = [bsky_post(f"r{i}", T0 + timedelta(minutes=i), link=arxiv_url(i), likes=i) for i in range(1, 6)]
    world = World(bsky=posts, bsky_page_size=2)
    fetcher = FakeFetcher(world.handle)
    client = BlueskyClient(fetcher, "me.bsky.social", "app-pass")
    result = await client.search(WINDOW)
    # sort=latest: newest first. The text query finds none (no "arxiv.org" in the text); the links query pages.
    assert [p.url.rsplit("/", 1)[1] for p in result.posts] == ["r5", "r4", "r3", "r2", "r1"]
    assert [(p["q"], p.get("cursor")) for p in fetcher.params("bluesky")] == [
        ("arxiv.org", None),
        ("domain:arxiv.org", None),
        ("domain:arxiv.org", "2"),
        ("domain:arxiv.org", "4"),
    ]
    assert all(r.headers["authorization"] == "Bearer access-2" for r in fetcher.requests["bluesky"])
    login = fetcher.requests["bluesky_auth"][0]
    assert login.url.path == "/xrpc/com.atproto.server.createSession"
    assert b'"identifier": "me.bsky.social"' in login.content
    await client.search(WINDOW, refresh=True)
    assert client.sessions_created == 1 and fetcher.count("bluesky_auth") == 1
    assert "app-pass" not in repr(client)


async def test_bluesky_refreshes_an_expired_session_mid_search() -> None:
    posts = [bsky_post(f"r{i}", T0 + timedelta(minutes=i), link=arxiv_url(i)) for i in range(1, 6)]
    world = World(bsky=posts, bsky_page_size=2, bsky_expire_after_pages=1)
    fetcher = FakeFetcher(world.handle)
    client = BlueskyClient(fetcher, "me.bsky.social", "app-pass")
    result = await client.search(WINDOW)
    assert len(result.posts) == 5
    paths = [r.url.path for r in fetcher.requests["bluesky_auth"]]
    assert paths == ["/xrpc/com.atproto.server.createSession", "/xrpc/com.atproto.server.refreshSession"]
    refresh = fetcher.requests["bluesky_auth"][1]
    assert refresh.headers["authorization"] == "Bearer refresh-2"
    assert fetcher.requests["bluesky"][-1].headers["authorization"] == "Bearer access-3"
    assert client.sessions_created == 1


async def test_bluesky_signs_in_again_when_the_refresh_token_is_refused_too() -> None:
    world = World(bsky=[bsky_post("r1", T0, link=arxiv_url(1))])
    fetcher = FakeFetcher(world.handle)
    client = BlueskyClient(fetcher, "me.bsky.social", "app-pass")
    await client.search(WINDOW)
    world.generation += 5  # both tokens are now unknown to the server
    result = await client.search(WINDOW, refresh=True)
    assert len(result.posts) == 1
    assert client.sessions_created == 2


async def test_bluesky_wrong_password_is_a_clear_skip() -> None:
    world = World(bsky_password="right")
    fetcher = FakeFetcher(world.handle)
    client = BlueskyClient(fetcher, "me.bsky.social", "wrong")
    with pytest.raises(SourceSkipped, match="sign-in refused \\(HTTP 401\\)"):
        await client.search(WINDOW)
    assert fetcher.count("bluesky") == 0
    # Sign-ins are rate limited: a refused password is not tried again on the next build.
    with pytest.raises(SourceSkipped, match="check the handle and app password"):
        await client.search(WINDOW)
    assert fetcher.count("bluesky_auth") == 1


async def test_x_stops_at_its_cap() -> None:
    tweets = [x_tweet(str(1000 + i), T0 + timedelta(minutes=i), arxiv_url(i + 1), likes=1) for i in range(250)]
    fetcher = FakeFetcher(World(x=tweets).handle)
    result = await x.search(fetcher, "x-token", WINDOW, now=NOW, cap=150)
    assert [p["max_results"] for p in fetcher.params("x")] == ["100", "50"]
    assert result.read == 150 and len(result.posts) == 150
    assert "stopped at the cap of 150 posts read" in result.notes
    query = fetcher.params("x")[0]
    assert len(query["query"]) <= 512 and "arxiv.org" in query["query"]
    assert fetcher.requests["x"][0].headers["authorization"] == "Bearer x-token"
    assert fetcher.params("x")[1]["next_token"] == "100"


async def test_x_never_asks_a_page_that_could_pass_the_cap() -> None:
    tweets = [x_tweet(str(1000 + i), T0 + timedelta(minutes=i), arxiv_url(i + 1)) for i in range(250)]
    fetcher = FakeFetcher(World(x=tweets).handle)
    result = await x.search(fetcher, "x-token", WINDOW, now=NOW, cap=105)
    assert [p["max_results"] for p in fetcher.params("x")] == ["100"]
    assert result.read == 100
    with pytest.raises(SourceSkipped, match="below X's smallest page"):
        await x.search(fetcher, "x-token", WINDOW, now=NOW, cap=5)


async def test_x_pages_to_the_end_under_the_cap_and_reads_authors() -> None:
    tweets = [
        x_tweet(str(1000 + i), T0 + timedelta(minutes=i), arxiv_url(i + 1), likes=i, quotes=1) for i in range(120)
    ]
    fetcher = FakeFetcher(World(x=tweets).handle)
    result = await x.search(fetcher, "x-token", WINDOW, now=NOW, cap=1000)
    assert result.read == 120 and result.notes == []
    post = result.posts[5]
    assert (post.handle, post.author, post.likes, post.reposts) == ("karpathy", "Andrej", 5, 1)
    assert post.url == "https://x.com/karpathy/status/1005"


async def test_x_window_older_than_seven_days_is_skipped() -> None:
    fetcher = FakeFetcher(World().handle)
    with pytest.raises(SourceSkipped, match="7-day"):
        await x.search(fetcher, "x-token", WINDOW, now=NOW + timedelta(days=10), cap=100)
    assert fetcher.count("x") == 0


async def test_x_wrong_token_is_refused() -> None:
    fetcher = FakeFetcher(World().handle)
    with pytest.raises(SourceSkipped, match="refused \\(HTTP 401\\)"):
        await x.search(fetcher, "bad", WINDOW, now=NOW, cap=100)


async def test_huggingface_future_date_means_no_papers(world: World, fetcher: FakeFetcher) -> None:
    assert (await huggingface.daily_papers(fetcher, DAY + timedelta(days=7))).papers == []
    papers = (await huggingface.daily_papers(fetcher, DAY)).papers
    assert [(p.arxiv_id, p.upvotes) for p in papers] == [("2611.00003", 7), (A, 3)]
    assert fetcher.params("huggingface")[1] == {"date": "2026-11-24", "limit": "100"}


def hub_items(n: int) -> list[dict[str, object]]:
    # arXiv numbers a month's papers from 1.
    return [{"paper": {"id": f"2611.{i + 1:05d}", "title": f"P{i}", "upvotes": i}, "numComments": 0} for i in range(n)]


async def test_huggingface_pages_until_a_short_page() -> None:
    world = World(hf={"2026-11-24": hub_items(150)})
    fetcher = FakeFetcher(world.handle)
    result = await huggingface.daily_papers(fetcher, DAY)
    assert len(result.papers) == 150 and result.requests == 2 and not result.partial
    assert result.papers[149] == huggingface.HubPaper("2611.00150", 149)
    # p counts from 0 (huggingface_hub's list_daily_papers): the first page leaves it out.
    assert fetcher.params("huggingface") == [
        {"date": "2026-11-24", "limit": "100"},
        {"date": "2026-11-24", "limit": "100", "p": "1"},
    ]


async def test_huggingface_full_last_page_asks_one_more() -> None:
    world = World(hf={"2026-11-24": hub_items(200)})
    fetcher = FakeFetcher(world.handle)
    result = await huggingface.daily_papers(fetcher, DAY)
    assert len(result.papers) == 200 and [p.get("p") for p in fetcher.params("huggingface")] == [None, "1", "2"]


async def test_huggingface_second_page_failing_keeps_the_first() -> None:
    world = World(hf={"2026-11-24": hub_items(150)}, down_after={"huggingface.co": 1})
    result = await huggingface.daily_papers(FakeFetcher(world.handle), DAY)
    assert len(result.papers) == 100 and result.partial == "page 2: HTTP 503"


async def test_huggingface_ignoring_p_does_not_loop() -> None:
    items = hub_items(100)
    fetcher = FakeFetcher(lambda request: json_response(items))
    result = await huggingface.daily_papers(fetcher, DAY)
    assert len(result.papers) == 100 and fetcher.count("huggingface") == 2


async def test_hackernews_later_page_failing_keeps_the_stories_read() -> None:
    world = World(
        hn=[hn_hit(i, arxiv_url(i), T0 + timedelta(minutes=i), points=i) for i in range(1, 8)],
        hn_page_size=3,
        down_after={"hn.algolia.com": 2},
    )
    result = await hackernews.search(FakeFetcher(world.handle), WINDOW)
    assert len(result.posts) == 6 and result.partial == "page 3: HTTP 503"


async def test_x_later_page_failing_keeps_the_posts_paid_for() -> None:
    tweets = [x_tweet(str(1000 + i), T0 + timedelta(minutes=i), arxiv_url(i + 1)) for i in range(150)]
    world = World(x=tweets, down_after={"api.x.com": 1})
    result = await x.search(FakeFetcher(world.handle), "x-token", WINDOW, now=NOW, cap=1000)
    assert len(result.posts) == 100 and result.read == 100 and result.partial == "page 2: HTTP 503"


async def test_huggingface_down_is_a_skip(world: World, fetcher: FakeFetcher) -> None:
    world.down["huggingface.co"] = 500
    with pytest.raises(SourceSkipped, match="HTTP 500"):
        await huggingface.daily_papers(fetcher, DAY)


def many_papers(n: int) -> dict[str, Paper]:
    ids = [f"2611.{i:05d}" for i in range(1, n + 1)]  # arXiv numbers a month's papers from 1
    return {i: Paper(i, f"Title {i}", datetime(2026, 11, 21, tzinfo=UTC)) for i in ids}


async def test_arxiv_asks_100_ids_a_request_once_ever() -> None:
    world = World(papers=many_papers(250))
    fetcher = FakeFetcher(world.handle)
    metadata = ArxivMetadata(fetcher)
    found = await metadata.fetch(list(world.papers))
    assert len(found) == 250
    assert [len(p["id_list"].split(",")) for p in fetcher.params("arxiv")] == [100, 100, 50]
    assert all(p["max_results"] == str(len(p["id_list"].split(","))) for p in fetcher.params("arxiv"))
    assert {g[2] for g in fetcher.gets} == {Freshness.FOREVER}
    report = MetaReport()
    again = await metadata.fetch(reversed(list(world.papers)), report)
    assert again == found and report.from_store == 250 and fetcher.count("arxiv") == 3


async def test_arxiv_fewer_papers_than_asked() -> None:
    world = World(papers=many_papers(3))
    fetcher = FakeFetcher(world.handle)
    report = MetaReport()
    found = await ArxivMetadata(fetcher).fetch(["2611.00001", "2611.00002", "2611.00003", "2611.09999"], report)
    assert sorted(found) == ["2611.00001", "2611.00002", "2611.00003"]
    assert report.missing == ("2611.09999",)
    assert fetcher.count("arxiv") == 1


async def test_arxiv_empty_first_page_is_asked_once_more() -> None:
    world = World(papers=many_papers(3), arxiv_empty_answers=1)
    fetcher = FakeFetcher(world.handle)
    found = await ArxivMetadata(fetcher).fetch(["2611.00001", "2611.00003"])
    assert sorted(found) == ["2611.00001", "2611.00003"]
    assert fetcher.count("arxiv") == 2
    assert [g[3] for g in fetcher.gets] == [False, True]  # the retry bypasses the cached empty answer


async def test_arxiv_down_returns_what_was_had() -> None:
    world = World(papers=many_papers(3), down={"export.arxiv.org": 503})
    report = MetaReport()
    found = await ArxivMetadata(FakeFetcher(world.handle)).fetch(["2611.00001"], report)
    assert found == {} and report.error == "HTTP 503" and report.missing == ("2611.00001",)


async def test_arxiv_is_asked_at_the_query_path_with_the_ids() -> None:
    world = World(papers=many_papers(2))
    fetcher = FakeFetcher(world.handle)
    await ArxivMetadata(fetcher).fetch(["2611.00001", B])
    params = fetcher.params("arxiv")[0]
    assert params["id_list"] == f"2611.00001,{B}" and params["max_results"] == "2"
    assert fetcher.requests["arxiv"][0].url.path == "/api/query"


async def test_junk_in_answers_is_skipped_not_a_crash() -> None:
    good = hn_hit(1, arxiv_url(1), T0, points=3)
    junk_hits = [None, 7, {"objectID": 5}, {**good, "objectID": "2", "points": "many", "created_at": 3}, good]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "hn.algolia.com":
            return json_response({"hits": junk_hits, "nbHits": "x", "nbPages": None})
        if request.url.path.endswith("searchPosts"):
            posts = [{"uri": 1}, {"record": "text"}, bsky_post("ok", T0, link=arxiv_url(2), likes=True)]
            return json_response({"posts": posts, "cursor": 5})
        if request.url.path.endswith("createSession"):
            return json_response({"accessJwt": "a", "refreshJwt": "r"})
        return json_response({"data": [{"id": 3}, None], "includes": {"users": "none"}, "meta": []})

    fetcher = FakeFetcher(handler)
    hn = await hackernews.search(fetcher, WINDOW)
    assert sorted(p.ref for p in hn.posts) == ["1", "2"]
    assert next(p for p in hn.posts if p.ref == "2").points == 0
    bsky = await BlueskyClient(fetcher, "me", "pw").search(WINDOW)
    assert [p.likes for p in bsky.posts] == [0]
    xs = await x.search(fetcher, "t", WINDOW, now=NOW, cap=100)
    assert xs.posts == []


async def test_unexpected_shapes_are_skips() -> None:
    fetcher = FakeFetcher(lambda request: json_response({"hits": "nope"} if "algolia" in str(request.url) else [1]))
    with pytest.raises(SourceSkipped, match="without a list of hits"):
        await hackernews.search(fetcher, WINDOW)
    with pytest.raises(SourceSkipped, match="sign-in answered without a session"):
        await BlueskyClient(fetcher, "me", "pw").search(WINDOW)


async def test_arxiv_answering_junk_is_reported() -> None:
    fetcher = FakeFetcher(lambda request: httpx.Response(200, content=b"\x00\x01 not xml"))
    report = MetaReport()
    assert await ArxivMetadata(fetcher).fetch(["2611.00001"], report) == {}
    assert report.error and report.missing == ("2611.00001",)


async def test_x_next_token_that_cannot_be_sent_back_keeps_the_posts_paid_for() -> None:
    tweets = [x_tweet(str(1000 + i), T0 + timedelta(minutes=i), arxiv_url(i + 1)) for i in range(150)]
    world = World(x=tweets)

    def handler(request: httpx.Request) -> httpx.Response:
        response = world.handle(request)
        if request.url.host == "api.x.com":
            body = json.loads(response.content)
            body["meta"]["next_token"] = "\udcff"  # a lone surrogate, as JSON's "\udcff" escape gives
            return httpx.Response(200, content=json.dumps(body).encode())
        return response

    fetcher = FakeFetcher(handler)
    result = await x.search(fetcher, "x-token", WINDOW, now=NOW, cap=1000)
    assert len(result.posts) == 100 and fetcher.count("x") == 1
    assert result.partial == ("page 2: X answered an unusable next_token (a lone surrogate, which no URL can hold)")


async def test_x_token_that_cannot_go_into_a_header_is_a_skip_with_a_reason() -> None:
    fetcher = FakeFetcher(World().handle)
    with pytest.raises(SourceSkipped, match=r"^x: not sent: the Authorization header holds a line break$"):
        await x.search(fetcher, "x-token\nX-Other: 1", WINDOW, now=NOW, cap=100)
    assert fetcher.count("x") == 0
