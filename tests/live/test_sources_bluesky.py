"""Bluesky the documented way: the PDS from the DID document, ExpiredToken refreshes, partial pages, cards, splits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from hotpapers_tui.config import DEFAULT_BASE_URLS
from hotpapers_tui.fetch.client import HttpFetcher, RetryPolicy
from hotpapers_tui.live.build import build_day, source_status, sources_note
from hotpapers_tui.live.calendar import Window
from hotpapers_tui.live.sources.base import SourceSkipped
from hotpapers_tui.live.sources.bluesky import BlueskyClient, pds_endpoint
from tests.live.conftest import DAY, NOW, T0, credentials, standard_world
from tests.live.fakes import BASE_URLS, FakeFetcher, json_response
from tests.live.loopback import serving
from tests.live.world import APPVIEW, DID, ENTRYWAY, PDS, PDS_HOST, World, bsky_post

WINDOW = Window(datetime(2026, 11, 24, 1, tzinfo=UTC), datetime(2026, 11, 26, 1, tzinfo=UTC))
SEARCH = "/xrpc/app.bsky.feed.searchPosts"
REFRESH = "/xrpc/com.atproto.server.refreshSession"
CREATE = "/xrpc/com.atproto.server.createSession"
APPVIEW_URLS = {**BASE_URLS, "bluesky": f"https://{APPVIEW}"}
"""The old configuration: searches sent to the appview."""


def paper(n: int) -> str:
    return f"https://arxiv.org/abs/2611.{n:05d}"


def linked(n: int, minutes: int, **kw: object) -> dict[str, object]:
    """A post whose only arXiv link is a link facet (its text does not say arxiv.org)."""
    return bsky_post(f"r{n}", T0 + timedelta(minutes=minutes), text="worth a read", link=paper(n), **kw)  # type: ignore[arg-type]


def hosts(fetcher: FakeFetcher, source: str) -> list[str]:
    return [r.url.host for r in fetcher.requests.get(source, [])]


def rkeys(posts: list[object]) -> list[str]:
    return sorted(p.ref.rsplit("/", 1)[1] for p in posts)  # type: ignore[attr-defined]


async def test_search_goes_to_the_pds_named_in_the_did_doc_not_the_appview() -> None:
    world = World(bsky=[linked(1, 0), linked(2, 1)])
    fetcher = FakeFetcher(world.handle, base_urls=APPVIEW_URLS)
    client = BlueskyClient(fetcher, "me.bsky.social", "app-pass")
    result = await client.search(WINDOW)
    assert rkeys(result.posts) == ["r1", "r2"] and not result.partial
    assert client.pds == PDS
    assert hosts(fetcher, "bluesky_auth") == [ENTRYWAY]  # sign-in at the configured server
    assert set(hosts(fetcher, "bluesky")) == {PDS_HOST}  # every search at the PDS, none at api.bsky.app
    assert all(r.headers["authorization"] == "Bearer access-2" for r in fetcher.requests["bluesky"])


async def test_the_appview_stand_in_refuses_a_session_token_and_nothing_refreshes() -> None:
    # A session whose DID document names no PDS, and searches configured to go to the appview:
    # the appview answers 401 BadJwtType, which no refresh can cure.
    world = World(bsky=[linked(1, 0)], bsky_pds=None)
    fetcher = FakeFetcher(world.handle, base_urls=APPVIEW_URLS)
    client = BlueskyClient(fetcher, "me.bsky.social", "app-pass")
    with pytest.raises(SourceSkipped, match=r"refused \(HTTP 401\): BadJwtType"):
        await client.search(WINDOW)
    assert hosts(fetcher, "bluesky") == [APPVIEW]
    assert client.sessions_refreshed == 0 and client.sessions_created == 1
    assert [r.url.path for r in fetcher.requests["bluesky_auth"]] == [CREATE]


async def test_without_a_pds_the_configured_base_url_is_used() -> None:
    # The default `bluesky` base URL is the sign-in server, Bluesky's entryway, which forwards.
    assert DEFAULT_BASE_URLS["bluesky"] == DEFAULT_BASE_URLS["bluesky_auth"] == f"https://{ENTRYWAY}"
    world = World(bsky=[linked(1, 0)], bsky_pds=None)
    fetcher = FakeFetcher(world.handle)
    client = BlueskyClient(fetcher, "me.bsky.social", "app-pass")
    result = await client.search(WINDOW)
    assert rkeys(result.posts) == ["r1"] and client.pds is None
    assert set(hosts(fetcher, "bluesky")) == {ENTRYWAY}


@pytest.mark.parametrize("status", [400, 401], ids=["pds-400", "appview-401"])
async def test_expired_token_refreshes_once_whichever_status_it_comes_with(status: int) -> None:
    posts = [linked(n, n) for n in range(1, 6)]
    world = World(bsky=posts, bsky_page_size=2, bsky_expire_after_pages=2, bsky_expired_status=status)
    fetcher = FakeFetcher(world.handle)
    client = BlueskyClient(fetcher, "me.bsky.social", "app-pass")
    result = await client.search(WINDOW)
    assert rkeys(result.posts) == ["r1", "r2", "r3", "r4", "r5"] and not result.partial
    assert client.sessions_created == 1 and client.sessions_refreshed == 1
    refresh = [r for r in fetcher.requests["bluesky_auth"] if r.url.path == REFRESH]
    assert len(refresh) == 1
    assert refresh[0].url.host == PDS_HOST  # refreshed where the session lives
    assert refresh[0].headers["authorization"] == "Bearer refresh-2"
    searches = fetcher.requests["bluesky"]
    refused = [r for r in searches if r.headers["authorization"] == "Bearer access-2"]
    assert len(refused) == 3  # two pages served, the third refused as expired
    assert all(r.headers["authorization"] == "Bearer access-3" for r in searches[3:])


async def test_other_refusals_are_not_taken_for_an_expired_token() -> None:
    world = World(bsky=[linked(1, 0)], bsky_bad_query=True)
    fetcher = FakeFetcher(world.handle)
    client = BlueskyClient(fetcher, "me.bsky.social", "app-pass")
    with pytest.raises(SourceSkipped, match=r"HTTP 400: BadQueryString"):
        await client.search(WINDOW)
    assert client.sessions_refreshed == 0 and client.sessions_created == 1
    assert [r.url.path for r in fetcher.requests["bluesky_auth"]] == [CREATE]
    assert fetcher.count("bluesky") == 1


async def test_a_spent_refresh_token_signs_in_again() -> None:
    world = World(bsky=[linked(1, 0)])
    fetcher = FakeFetcher(world.handle)
    client = BlueskyClient(fetcher, "me.bsky.social", "app-pass")
    await client.search(WINDOW)
    world.generation += 5  # both tokens now unknown: the access one expired, the refresh one revoked
    result = await client.search(WINDOW, refresh=True)
    assert rkeys(result.posts) == ["r1"]
    assert client.sessions_created == 2 and client.sessions_refreshed == 0
    assert [r.url.path for r in fetcher.requests["bluesky_auth"]] == [CREATE, REFRESH, CREATE]


async def test_a_failing_third_page_keeps_the_first_two() -> None:
    posts = [linked(n, n) for n in range(1, 8)]
    world = World(bsky=posts, bsky_page_size=2, bsky_fail_page=3)
    fetcher = FakeFetcher(world.handle)
    result = await BlueskyClient(fetcher, "me.bsky.social", "app-pass").search(WINDOW)
    # Newest first: pages 1 and 2 of the links query hold r7..r4.
    assert rkeys(result.posts) == ["r4", "r5", "r6", "r7"]
    assert result.partial == "links search, page 3: HTTP 502: UpstreamFailure"


async def test_a_partial_bluesky_is_said_in_the_days_note() -> None:
    world = standard_world()
    world.bsky = [linked(n, n) for n in range(1, 8)]
    world.bsky_page_size, world.bsky_fail_page = 2, 3
    day = await build_day(DAY, FakeFetcher(world.handle), credentials(), now=NOW)
    status = source_status(day)["bluesky"]
    assert status.startswith("partial: 4 posts, 3 requests")
    assert status.endswith("; incomplete: links search, page 3: HTTP 502: UpstreamFailure")
    assert "bluesky (4 posts, partial: links search, page 3: HTTP 502: UpstreamFailure)" in sources_note(day)
    assert source_status(day)["hackernews"].startswith("used")


async def test_a_first_page_that_fails_is_a_skip_not_a_partial() -> None:
    world = World(bsky=[linked(1, 0)], bsky_fail_page=1)
    with pytest.raises(SourceSkipped, match="HTTP 502"):
        await BlueskyClient(FakeFetcher(world.handle), "me.bsky.social", "app-pass").search(WINDOW)


async def test_posts_linking_arxiv_only_by_card_or_facet_are_found_once() -> None:
    card_only = bsky_post("card", T0, text="new work from our lab", card=f"{paper(1)}v2")
    facet_only = bsky_post("facet", T0 + timedelta(minutes=1), text="this one", link=paper(2))
    text_only = bsky_post("text", T0 + timedelta(minutes=2), text="see arxiv.org/abs/2611.00003")
    both = bsky_post("both", T0 + timedelta(minutes=3), text=f"read {paper(4)}", link=paper(4))
    elsewhere = bsky_post("other", T0 + timedelta(minutes=4), text="a blog post", link="https://example.org/arxiv.org")
    world = World(bsky=[card_only, facet_only, text_only, both, elsewhere])
    fetcher = FakeFetcher(world.handle)
    result = await BlueskyClient(fetcher, "me.bsky.social", "app-pass").search(WINDOW)
    assert rkeys(result.posts) == ["both", "card", "facet", "text"]  # "both" matches both queries, kept once
    by_key = {p.ref.rsplit("/", 1)[1]: p.arxiv_ids for p in result.posts}
    assert by_key["card"] == ("2611.00001",) and by_key["facet"] == ("2611.00002",)
    queries = [(p["q"], p.get("domain")) for p in world.bsky_searches]
    assert queries == [("arxiv.org", None), ("domain:arxiv.org", "arxiv.org")]


async def test_a_cursor_that_stops_early_splits_the_window_and_finds_the_rest() -> None:
    # The search pages no deeper than 4 results; 11 posts in the window; pages of 2.
    posts = [linked(n, 10 * n) for n in range(1, 12)]
    world = World(bsky=posts, bsky_depth=4)
    fetcher = FakeFetcher(world.handle)
    result = await BlueskyClient(fetcher, "me.bsky.social", "app-pass", page_size=2).search(WINDOW)
    assert rkeys(result.posts) == sorted(f"r{n}" for n in range(1, 12))
    assert not result.partial and result.notes == []
    links = [p for p in world.bsky_searches if p["q"].startswith("domain:")]
    assert all(p["since"] == "2026-11-24T01:00:00Z" for p in links)
    # The first part ends where the window does; each next one just after the oldest post read so far.
    ends = list(dict.fromkeys(p["until"] for p in links))
    assert ends[0] == "2026-11-26T01:00:00Z"
    assert ends[1] == "2026-11-24T06:20:01Z"  # r8 (T0 + 80 min) was the oldest of the first four
    assert len(ends) >= 3


async def test_a_hits_total_well_above_what_was_read_also_splits() -> None:
    # A server that pages no deeper than 20 results and gives short pages, but counts its hits.
    posts = [linked(n, 5 * n) for n in range(1, 41)]
    world = World(bsky=posts, bsky_page_size=5, bsky_depth=20)
    result = await BlueskyClient(FakeFetcher(world.handle), "me.bsky.social", "app-pass").search(WINDOW)
    assert len(result.posts) == 40 and not result.partial


async def test_hits_the_appview_does_not_show_cost_one_more_query_not_a_split() -> None:
    posts = [linked(n, 5 * n) for n in range(1, 4)]

    def hides_one(request: httpx.Request) -> httpx.Response:
        response = world.handle(request)
        if request.url.path != SEARCH or response.status_code != 200:
            return response
        body = json.loads(response.content)
        body["posts"] = [p for p in body["posts"] if not p["uri"].endswith("/r1")]  # deleted since indexed
        return json_response(body)

    world = World(bsky=posts)
    fetcher = FakeFetcher(hides_one)
    result = await BlueskyClient(fetcher, "me.bsky.social", "app-pass").search(WINDOW)
    assert rkeys(result.posts) == ["r2", "r3"] and result.notes == []
    links = [p for p in world.bsky_searches if p["q"].startswith("domain:")]
    assert len(links) == 2  # the window, then once from its oldest post shown: no halving


async def test_a_second_crowded_beyond_the_depth_is_said_not_looped() -> None:
    # Six posts in one second, a depth of 4: the search can never list them all.
    posts = [bsky_post(f"s{n}", T0, link=paper(n)) for n in range(6)]
    world = World(bsky=posts, bsky_depth=4)
    client = BlueskyClient(FakeFetcher(world.handle), "me.bsky.social", "app-pass", page_size=2)
    result = await client.search(WINDOW)
    assert len(result.posts) == 4
    assert result.notes == ["more posts in the second from 2026-11-24T05:00:00Z than one query returns"]


def test_pds_endpoint_reads_the_did_document_as_atproto_does() -> None:
    world = World()
    assert pds_endpoint(world.did_doc()) == PDS
    doc = world.did_doc()
    doc["service"][0]["id"] = f"{DID}#atproto_pds"
    assert pds_endpoint(doc) == PDS
    bad = ("http://pds.example", "ftp://pds.example", "https://user:pw@pds.example", "https://", "https://a b", 7)
    not_punycode = ("https://xn--zz.example", "https://pds.xn--.example")  # httpx raised IDNAError on these
    for endpoint in (
        *bad,
        *not_punycode,
        "https://pds.example:99999",
        "https://pds.example/\n",
        "https://pds.example?x=1",
    ):
        doc["service"][0]["serviceEndpoint"] = endpoint
        assert pds_endpoint(doc) is None, endpoint
    doc["service"][0]["serviceEndpoint"] = "https://xn--pd-3sa.example"
    assert pds_endpoint(doc) == "https://xn--pd-3sa.example"
    doc["service"][0]["serviceEndpoint"] = "http://127.0.0.1:8080/"
    assert pds_endpoint(doc) == "http://127.0.0.1:8080"  # a local PDS over plain http
    doc["service"][0]["type"] = "SomethingElse"
    assert pds_endpoint(doc) is None
    assert pds_endpoint(None) is None and pds_endpoint({"service": "x"}) is None


async def test_the_real_fetch_layer_carries_the_xrpc_error_over_loopback() -> None:
    """The whole path on 127.0.0.1: sign-in, the PDS from the DID document, a 401 ExpiredToken, refresh."""
    posts = [linked(n, n) for n in range(1, 6)]
    world = World(bsky=posts, bsky_page_size=2, bsky_expire_after_pages=1, bsky_expired_status=401)
    with serving(world) as server:
        world.bsky_pds = server.url(PDS_HOST)
        fetcher = HttpFetcher(
            base_urls={"bluesky_auth": server.url(ENTRYWAY), "bluesky": server.url(APPVIEW)},
            retry=RetryPolicy(attempts=1),
        )
        try:
            client = BlueskyClient(fetcher, "me.bsky.social", "app-pass")
            result = await client.search(WINDOW)
        finally:
            await fetcher.aclose()
    assert rkeys(result.posts) == ["r1", "r2", "r3", "r4", "r5"]
    assert client.sessions_refreshed == 1 and client.sessions_created == 1
    assert server.hosts(SEARCH) and set(server.hosts(SEARCH)) == {PDS_HOST}
    assert server.hosts(REFRESH) == [PDS_HOST] and server.hosts(CREATE) == [ENTRYWAY]


def _tokens_answer(world: World, **tokens: object) -> FakeFetcher:
    """A fetcher whose createSession answers the world's session with ``tokens`` replacing its own."""

    def handler(request: httpx.Request) -> httpx.Response:
        response = world.handle(request)
        if request.url.path != CREATE:
            return response
        body = json.loads(response.content)
        body.update(tokens)
        return json_response(body)

    return FakeFetcher(handler)


@pytest.mark.parametrize(
    ("tokens", "named"),
    [
        ({"accessJwt": "eyJ0eXAiOiJhdCtqd3Qi.é.sig"}, "accessJwt (a character that is not ASCII)"),
        ({"refreshJwt": "refresh\r\nX-Injected: 1"}, "refreshJwt (a line break)"),
        ({"accessJwt": "access\x00"}, "accessJwt (a control character)"),
        ({"accessJwt": " access-2"}, "accessJwt (leading or trailing white space)"),
        ({"refreshJwt": ["refresh-2"]}, "refreshJwt (not a string)"),
    ],
)
async def test_a_session_token_that_cannot_go_into_a_header_is_an_unusable_answer(
    tokens: dict[str, object], named: str
) -> None:
    world = World(bsky=[linked(1, 0)])
    fetcher = _tokens_answer(world, **tokens)
    client = BlueskyClient(fetcher, "me.bsky.social", "app-pass")
    with pytest.raises(SourceSkipped) as raised:
        await client.search(WINDOW)
    assert str(raised.value) == f"Bluesky sign-in answered an unusable {named}"
    assert fetcher.count("bluesky") == 0  # the token was never sent
    # Nothing of the token appears in the reason.
    assert all(str(v) not in str(raised.value) for v in tokens.values())


async def test_a_refreshed_token_that_cannot_go_into_a_header_is_an_unusable_answer() -> None:
    # The text search's one page, then the first page of links; the token runs out after them.
    world = World(bsky=[linked(n, n) for n in range(1, 6)], bsky_page_size=2, bsky_expire_after_pages=2)

    def handler(request: httpx.Request) -> httpx.Response:
        response = world.handle(request)
        if request.url.path == REFRESH and response.status_code == 200:
            return json_response({**json.loads(response.content), "accessJwt": "accèss"})
        return response

    fetcher = FakeFetcher(handler)
    result = await BlueskyClient(fetcher, "me.bsky.social", "app-pass").search(WINDOW)
    # The page read before the token ran out is kept; the rest is said to be missing.
    assert rkeys(result.posts) == ["r4", "r5"]
    assert result.partial == (
        "links search, page 2: Bluesky session refresh answered an unusable accessJwt (a character that is not ASCII)"
    )


async def test_a_cursor_that_cannot_be_sent_back_keeps_the_pages_read() -> None:
    world = World(bsky=[linked(n, n) for n in range(1, 6)], bsky_page_size=2)

    def handler(request: httpx.Request) -> httpx.Response:
        response = world.handle(request)
        body = json.loads(response.content) if response.status_code == 200 else None
        if request.url.path == SEARCH and isinstance(body, dict) and "cursor" in body:
            # JSON may carry a lone surrogate ("\ud800"), which no URL can hold.
            return httpx.Response(200, content=json.dumps({**body, "cursor": "\ud800"}).encode())
        return response

    fetcher = FakeFetcher(handler)
    result = await BlueskyClient(fetcher, "me.bsky.social", "app-pass").search(WINDOW)
    assert rkeys(result.posts) == ["r4", "r5"]
    assert result.partial == (
        "links search, page 2: Bluesky answered an unusable cursor (a lone surrogate, which no URL can hold)"
    )


async def test_a_day_built_through_the_real_fetch_layer_skips_bluesky_for_a_non_ascii_token() -> None:
    """The reported failure: a mutated createSession answer made httpx raise UnicodeEncodeError."""
    world = standard_world()

    def handler(request: httpx.Request) -> httpx.Response:
        response = world.handle(request)
        if request.url.path == CREATE:
            return json_response({**json.loads(response.content), "accessJwt": "tok\u00e9n", "refreshJwt": "r\u00e9"})
        return response

    fetcher = HttpFetcher(base_urls=BASE_URLS, retry=RetryPolicy(attempts=1), transport=httpx.MockTransport(handler))
    try:
        day = await build_day(DAY, fetcher, credentials(), now=NOW)
    finally:
        await fetcher.aclose()
    status = source_status(day)
    assert (
        status["bluesky"] == "skipped: Bluesky sign-in answered an unusable accessJwt (a character that is not ASCII)"
    )
    assert status["hackernews"].startswith("used") and status["x"].startswith("used")
    assert world.bsky_searches == []
