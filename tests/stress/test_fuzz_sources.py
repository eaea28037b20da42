"""Fuzzing every source's parser through the live build: one service answers mutated bodies.

The mutated service is Hacker News, Bluesky (session or search), X, Hugging Face, arXiv
(Atom XML, including entity bombs) or oEmbed; the others answer normally. The only
outcomes allowed are a built day (the bad source skipped and said so) or the project's
own LiveError. The GitHub listing is fuzzed the same way through the GitHub feed.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotpapers_tui.feeds import FeedError
from hotpapers_tui.feeds.github import GithubFeed, parse_github_spec
from hotpapers_tui.fetch.client import HttpFetcher, RetryPolicy
from hotpapers_tui.live.build import LiveError, build_day, source_status
from hotpapers_tui.live.embeds import with_x_embeds
from hotpapers_tui.model import Day
from hotpapers_tui.posts import parse_post, render_post
from tests.github_trees import folder_trees, tree_path
from tests.live.conftest import DAY, NOW, B, C, credentials, standard_world
from tests.live.fakes import FakeFetcher
from tests.live.world import PDS_HOST
from tests.stress.fuzzcount import ACCEPTED, CASES

HOSTS = [
    "hn.algolia.com",
    "bsky.social",  # Bluesky's sign-in
    PDS_HOST,  # Bluesky's search, at the PDS the session names
    "api.x.com",
    "huggingface.co",
    "export.arxiv.org",
    "publish.twitter.com",
]
FAST_CASES = 150
SLOW_CASES = 2000

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    )
    + b']><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lol9;</title></entry></feed>'
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2611.00001v1</id>'
    b"<title>&xxe;</title></entry></feed>"
)

HOSTILE_STRINGS = (
    "t\u00f6k\u00e9n",  # non-ASCII: cannot go into a header
    "abc\r\nX-Injected: 1",  # a line break: would end a header early
    "a\x00b",
    "\ud800",  # a lone surrogate (JSON's "\ud800" escape): no URL or header can hold it
    "https://xn--zz.example",  # an xn-- host that is not punycode
    "https://xn--pd-3sa.example/xrpc",
    " padded ",
    "\u202eevil",
)
"""Strings a server may send that random text rarely is, each once found to break a request built from an answer."""

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(HOSTILE_STRINGS)
    | st.text(st.characters(exclude_categories=()), max_size=8),  # surrogates included
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)


def _slots(node: Any, found: list[tuple[Any, Any]]) -> None:
    """Every (container, key) in a JSON document, depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            found.append((node, key))
            _slots(value, found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.append((node, index))
            _slots(value, found)


@st.composite
def mutations(draw: st.DrawFn) -> Callable[[bytes], bytes]:
    kind = draw(
        st.sampled_from(["value", "drop", "hostile", "truncate", "flip", "junk", "html", "bomb", "xxe", "huge"])
    )
    if kind == "hostile":
        # A string the service sent replaced by one that cannot go into a request as it is (a token, a cursor, a URL).
        pick, hostile = draw(st.integers(min_value=0, max_value=10_000)), draw(st.sampled_from(HOSTILE_STRINGS))

        def poison(body: bytes) -> bytes:
            try:
                doc = json.loads(body)
            except ValueError:
                return body
            found: list[tuple[Any, Any]] = []
            _slots(doc, found)
            strings = [(c, k) for c, k in found if isinstance(c[k], str)]
            if not strings:
                return body
            container, key = strings[pick % len(strings)]
            container[key] = hostile
            return json.dumps(doc).encode()

        return poison
    if kind in ("value", "drop"):
        pick, value = draw(st.integers(min_value=0, max_value=10_000)), draw(json_values)

        def change(body: bytes) -> bytes:
            try:
                doc = json.loads(body)
            except ValueError:
                return body[: pick % (len(body) + 1)]
            found: list[tuple[Any, Any]] = []
            _slots(doc, found)
            if not found:
                return json.dumps(value).encode()
            container, key = found[pick % len(found)]
            if kind == "drop":
                del container[key]
            else:
                container[key] = value
            return json.dumps(doc).encode()

        return change
    if kind == "truncate":
        cut = draw(st.integers(min_value=0, max_value=5000))
        return lambda body: body[: cut % (len(body) + 1)]
    if kind == "flip":
        at, byte = draw(st.integers(min_value=0, max_value=100_000)), draw(st.integers(min_value=0, max_value=255))
        return lambda body: body[: at % (len(body) or 1)] + bytes([byte]) + body[at % (len(body) or 1) + 1 :]
    if kind == "junk":
        junk = draw(st.binary(max_size=300))
        return lambda body: junk
    if kind == "html":
        return lambda body: b"<html><body>Service Unavailable</body></html>"
    if kind == "bomb":
        return lambda body: BILLION_LAUGHS
    if kind == "xxe":
        return lambda body: EXTERNAL_ENTITY
    return lambda body: b'{"hits": [' + b'{"url": "' + b"x" * 200_000 + b'"},' * 5 + b"{}]}"


def build_with(host: str, mutate: Callable[[bytes], bytes]) -> Day | None:
    world = standard_world()

    def handler(request: httpx.Request) -> httpx.Response:
        response = world.handle(request)
        if request.url.host != host:
            return response
        return httpx.Response(response.status_code, content=mutate(response.content))

    async def run() -> Day | None:
        fetcher = FakeFetcher(handler)
        try:
            day = await build_day(DAY, fetcher, credentials(), now=NOW)
            return await with_x_embeds(day, fetcher)
        except LiveError:
            return None
        finally:
            await fetcher.aclose()

    return asyncio.run(run())


def check_build(host: str, mutate: Callable[[bytes], bytes]) -> None:
    CASES["live sources"] += 1
    day = build_with(host, mutate)
    if day is None:
        return
    ACCEPTED["live sources"] += 1
    assert set(source_status(day)) >= {"hackernews", "huggingface", "arxiv"}
    # Whatever was built is a day the writer and reader agree on.
    again = parse_post(render_post(day))
    assert [p.arxiv_id for p in again.papers] == [p.arxiv_id for p in day.papers]


FUZZ = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}


@settings(max_examples=FAST_CASES, **FUZZ)  # type: ignore[arg-type]
@given(host=st.sampled_from(HOSTS), mutate=mutations())
def test_mutated_source_answers_build_or_fail_clearly(host: str, mutate: Callable[[bytes], bytes]) -> None:
    check_build(host, mutate)


@pytest.mark.slow
@settings(max_examples=SLOW_CASES, **FUZZ)  # type: ignore[arg-type]
@given(host=st.sampled_from(HOSTS), mutate=mutations())
def test_mutated_source_answers_build_or_fail_clearly_slow(host: str, mutate: Callable[[bytes], bytes]) -> None:
    check_build(host, mutate)


def test_xml_entity_payloads_are_not_expanded_or_fetched() -> None:
    for payload in (BILLION_LAUGHS, EXTERNAL_ENTITY):
        day = build_with("export.arxiv.org", lambda body, payload=payload: payload)  # type: ignore[misc]
        assert day is not None
        assert not any("lollol" in p.title or "root:" in p.title for p in day.papers)


TREES = folder_trees("o", "r", "main", "posts", {"2021-06-22---Hot-Papers.md": b"a post"})
ROOT = json.loads(TREES[tree_path("o", "r", "main")])
FOLDER_TREE = tree_path("o", "r", next(e["sha"] for e in ROOT["tree"] if e["path"] == "posts"))
_POST_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:-(\d{4}-\d{2}-\d{2}))?---Hot-Papers\.md")


def days_named(body: bytes) -> set[date] | None:
    """What a folder's tree answer lists, read straight from the documented shape; None when it is no tree.

    A blob (not a symbolic link) whose whole name is a post's name, with real dates.
    """
    try:
        doc = json.loads(body)
    except ValueError:
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("tree"), list):
        return None
    days: set[date] = set()
    for entry in doc["tree"]:
        if not isinstance(entry, dict) or entry.get("type") != "blob" or entry.get("mode") == "120000":
            continue
        match = _POST_NAME.fullmatch(entry["path"]) if isinstance(entry.get("path"), str) else None
        try:
            if match and (match.group(2) is None or date.fromisoformat(match.group(2))):
                days.add(date.fromisoformat(match.group(1)))
        except ValueError:
            continue
    return days


def check_listing(mutate: Callable[[bytes], bytes]) -> None:
    CASES["github listing"] += 1
    mutated = mutate(TREES[FOLDER_TREE])

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "api.github.com":
            if request.url.path == FOLDER_TREE:
                return httpx.Response(200, content=mutated)
            return httpx.Response(200, content=TREES[request.url.path])
        return httpx.Response(404)

    async def run() -> list[date] | None:
        fetcher = HttpFetcher(retry=RetryPolicy(attempts=1), transport=httpx.MockTransport(handler))
        feed = GithubFeed(parse_github_spec("github:o/r/posts@main"), fetcher, name="github", owns_fetcher=True)
        try:
            return list(await feed.days())
        except FeedError:
            return None
        finally:
            await feed.aclose()

    days = asyncio.run(run())
    expected = days_named(mutated)
    # The feed lists exactly the days the answer names, in order, or refuses an answer that is no tree.
    assert days == (sorted(expected) if expected is not None else None)
    if days is not None:
        ACCEPTED["github listing"] += 1


@settings(max_examples=FAST_CASES, **FUZZ)  # type: ignore[arg-type]
@given(mutate=mutations())
def test_mutated_github_listing_lists_or_fails_clearly(mutate: Callable[[bytes], bytes]) -> None:
    check_listing(mutate)


@pytest.mark.slow
@settings(max_examples=SLOW_CASES, **FUZZ)  # type: ignore[arg-type]
@given(mutate=mutations())
def test_mutated_github_listing_lists_or_fails_clearly_slow(mutate: Callable[[bytes], bytes]) -> None:
    check_listing(mutate)


def test_an_atom_entry_with_a_broken_date_is_left_out_not_a_crash() -> None:
    def broken_dates(body: bytes) -> bytes:
        return body.replace(b"<published>2026-11-21T10:00:00.000Z</published>", b"<published>2</published>")

    day = build_with("export.arxiv.org", broken_dates)
    assert day is not None
    # Only paper A's entry is damaged: A is left out, the other papers of the answer keep their metadata.
    assert [p.arxiv_id for p in day.papers] == [B, C]
    assert source_status(day)["arxiv"].startswith("used: ")


def test_an_entry_without_authors_is_left_out_so_the_day_still_reads_back() -> None:
    def no_authors(body: bytes) -> bytes:
        return body.replace(b"<author><name>Ada Lovelace</name></author><author><name>Alan Turing</name></author>", b"")

    day = build_with("export.arxiv.org", no_authors)
    assert day is not None
    assert all(p.authors for p in day.papers)
    parse_post(render_post(day))


def test_x_users_that_are_not_a_list_skip_nothing_else() -> None:
    def users_true(body: bytes) -> bytes:
        doc = json.loads(body)
        if isinstance(doc, dict) and "includes" in doc:
            doc["includes"]["users"] = True
        return json.dumps(doc).encode()

    day = build_with("api.x.com", users_true)
    assert day is not None
    assert source_status(day)["x"].startswith("used")


@pytest.mark.parametrize("field", ["accessJwt", "refreshJwt"])
def test_a_session_token_with_a_non_ascii_character_skips_bluesky_with_a_reason(field: str) -> None:
    """Found by the slow run: a mutated createSession token made httpx raise UnicodeEncodeError."""

    def non_ascii(body: bytes) -> bytes:
        doc = json.loads(body)
        if isinstance(doc, dict) and field in doc:
            doc[field] = doc[field] + "\u00e9"
        return json.dumps(doc).encode()

    day = build_with("bsky.social", non_ascii)
    assert day is not None
    status = source_status(day)
    assert status["bluesky"] == f"skipped: Bluesky sign-in answered an unusable {field} (a character that is not ASCII)"
    assert status["hackernews"].startswith("used") and status["arxiv"].startswith("used")
