"""A small fake internet of the documented response shapes: HN Algolia, Bluesky, X, Hugging Face, arXiv, oEmbed."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

import httpx

from tests.live.fakes import json_response

ENTRYWAY = "bsky.social"
"""Bluesky's sign-in server (its entryway): createSession, and forwarding for the accounts it hosts."""
PDS_HOST = "morel.us-east.host.bsky.network"
PDS = f"https://{PDS_HOST}"
"""The PDS the signed-in account lives on, as its DID document names it."""
APPVIEW = "api.bsky.app"
"""Bluesky's appview: refuses a session token (401 BadJwtType) outside its temporary entryway path."""
DID = "did:plc:me"


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def hn_hit(story_id: int, url: str, at: datetime, points: int, comments: int = 0, author: str = "pg") -> dict[str, Any]:
    return {
        "objectID": str(story_id),
        "title": f"Story {story_id}",
        "url": url,
        "author": author,
        "points": points,
        "num_comments": comments,
        "created_at": stamp(at),
        "created_at_i": int(at.timestamp()),
        "_tags": ["story", f"author_{author}", f"story_{story_id}"],
    }


def bsky_post(
    rkey: str,
    at: datetime,
    *,
    text: str = "",
    link: str = "",
    card: str = "",
    likes: int = 0,
    reposts: int = 0,
    quotes: int = 0,
    handle: str = "alice.bsky.social",
    name: str = "Alice",
) -> dict[str, Any]:
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": text, "createdAt": stamp(at), "langs": ["en"]}
    if link:
        record["facets"] = [
            {
                "index": {"byteStart": 0, "byteEnd": 10},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": link}],
            }
        ]
    if card:
        record["embed"] = {
            "$type": "app.bsky.embed.external",
            "external": {"uri": card, "title": "arXiv", "description": ""},
        }
    return {
        "uri": f"at://did:plc:{handle.split('.')[0]}/app.bsky.feed.post/{rkey}",
        "cid": f"cid{rkey}",
        "author": {"did": f"did:plc:{handle.split('.')[0]}", "handle": handle, "displayName": name},
        "record": record,
        "likeCount": likes,
        "repostCount": reposts,
        "replyCount": 1,
        "quoteCount": quotes,
        "indexedAt": stamp(at),
    }


def x_tweet(
    tweet_id: str, at: datetime, link: str, *, likes: int = 0, retweets: int = 0, quotes: int = 0, author: str = "1"
) -> dict[str, Any]:
    return {
        "id": tweet_id,
        "text": f"Read this https://t.co/{tweet_id}",
        "created_at": stamp(at),
        "lang": "en",
        "author_id": author,
        "entities": {"urls": [{"url": f"https://t.co/{tweet_id}", "expanded_url": link}]},
        "public_metrics": {"retweet_count": retweets, "like_count": likes, "reply_count": 2, "quote_count": quotes},
    }


def _sort_at(post: dict[str, Any]) -> datetime:
    """The time Bluesky's search files a post under (sortAt): the earlier of createdAt and indexedAt."""
    return min(_when(post["record"]["createdAt"]), _when(post["indexedAt"]))


def _link_hosts(post: dict[str, Any]) -> set[str]:
    """The hosts of a post's link facets and link card, normalised as the search service does (no www.)."""
    record = post["record"]
    uris = [
        feature.get("uri", "")
        for facet in record.get("facets", [])
        for feature in facet.get("features", [])
        if feature.get("$type") == "app.bsky.richtext.facet#link"
    ]
    embed = record.get("embed") or {}
    for card in (embed.get("external"), (embed.get("media") or {}).get("external")):
        if isinstance(card, dict):
            uris.append(card.get("uri", ""))
    hosts = {(httpx.URL(u).host or "").lower() for u in uris if u}
    return {h.removeprefix("www.") for h in hosts if h}


def _search_match(post: dict[str, Any], params: httpx.QueryParams) -> bool:
    """searchPosts' documented meaning: ``q`` is full text over the post's text, ``domain`` (or a
    ``domain:HOST`` term of ``q``) keeps posts whose link facets or card point at that host."""
    terms: list[str] = []
    domain = params.get("domain", "")
    for token in params["q"].split():
        if token.startswith("domain:"):
            domain = domain or token.removeprefix("domain:")
        elif token != "*":
            terms.append(token.lower())
    text = post["record"].get("text", "").lower()
    if any(term not in text for term in terms):
        return False
    return not domain or domain.lower().removeprefix("www.") in _link_hosts(post)


@dataclass
class Paper:
    arxiv_id: str
    title: str
    published: datetime
    authors: tuple[str, ...] = ("Ada Lovelace", "Alan Turing")
    categories: tuple[str, ...] = ("cs.LG", "stat.ML")
    summary: str = "We study   things.\n  And more things."


def atom(papers: list[Paper], total: int | None = None) -> bytes:
    entries = []
    for p in papers:
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in p.authors)
        cats = "".join(f'<category term="{c}" scheme="http://arxiv.org/schemas/atom"/>' for c in p.categories)
        entries.append(
            "<entry>"
            f"<id>http://arxiv.org/abs/{p.arxiv_id}v2</id>"
            f"<updated>{stamp(p.published)}</updated><published>{stamp(p.published)}</published>"
            f"<title>{escape(p.title)}</title><summary>{escape(p.summary)}</summary>{authors}"
            f'<link href="http://arxiv.org/abs/{p.arxiv_id}v2" rel="alternate" type="text/html"/>'
            f'<link title="pdf" href="http://arxiv.org/pdf/{p.arxiv_id}v2" rel="related" type="application/pdf"/>'
            f'<arxiv:primary_category term="{p.categories[0]}" scheme="http://arxiv.org/schemas/atom"/>{cats}'
            "</entry>"
        )
    count = len(papers) if total is None else total
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"<title>arXiv Query</title><opensearch:totalResults>{count}</opensearch:totalResults>"
        f"<opensearch:startIndex>0</opensearch:startIndex><opensearch:itemsPerPage>{count}</opensearch:itemsPerPage>"
        + "".join(entries)
        + "</feed>"
    ).encode()


def arxiv_accepts(arxiv_id: str) -> bool:
    """arXiv's id scheme: YYMM.NNNN from 0704 to 1412, YYMM.NNNNN from 1501, or archive/YYMMNNN."""
    new = re.fullmatch(r"(\d{2})(\d{2})\.(\d{4,5})", arxiv_id)
    if new is None:
        return re.fullmatch(r"[a-z]+(-[a-z]+)*(\.[A-Z]{2})?/\d{7}", arxiv_id) is not None
    year, month, number = int(new.group(1)), int(new.group(2)), new.group(3)
    if not 1 <= month <= 12 or (year, month) < (7, 4):
        return False
    return len(number) == (5 if year >= 15 else 4)


def atom_error(arxiv_id: str) -> bytes:
    """arXiv's answer to a malformed id (the API user's manual, "Errors"): a feed of one error entry."""
    anchor = f"incorrect_id_format_for_{arxiv_id}" if arxiv_id else "malformed_request"
    message = f"incorrect id format for {arxiv_id}" if arxiv_id else "malformed request"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        f'<link href="http://arxiv.org/api/query?search_query=&amp;id_list={escape(arxiv_id)}" rel="self" '
        'type="application/atom+xml"/>'
        f'<title type="html">ArXiv Query: search_query=&amp;id_list={escape(arxiv_id)}</title>'
        "<id>http://arxiv.org/api/kvuntZ8c9a4Eq5CF7KY03nMug+Q</id><updated>2026-11-26T00:00:00-05:00</updated>"
        "<opensearch:totalResults>1</opensearch:totalResults><opensearch:startIndex>0</opensearch:startIndex>"
        "<opensearch:itemsPerPage>1</opensearch:itemsPerPage>"
        f"<entry><id>http://arxiv.org/api/errors#{escape(anchor)}</id><title>Error</title>"
        f"<summary>{escape(message)}</summary><updated>2026-11-26T00:00:00-05:00</updated>"
        f'<link href="http://arxiv.org/api/errors#{escape(anchor)}" rel="alternate" type="text/html"/>'
        "<author><name>arXiv api core</name></author></entry></feed>"
    ).encode()


@dataclass
class World:
    """What the fake services know; the handler answers requests from it."""

    hn: list[dict[str, Any]] = field(default_factory=list)
    hn_page_size: int = 1000
    bsky: list[dict[str, Any]] = field(default_factory=list)
    bsky_page_size: int = 100
    bsky_password: str = "app-pass"
    bsky_expire_after_pages: int | None = None
    bsky_pds: str | None = PDS
    """What the session's DID document names as the PDS; None: createSession answers without a didDoc."""
    bsky_expired_status: int = 400
    """How an expired access token is refused: 400 by a PDS, 401 by the appview."""
    bsky_depth: int = 10_000
    """The search pages no deeper than this many results (offset + limit), as Bluesky's search service."""
    bsky_fail_page: int | None = None
    """The page (1-based, of any query) the PDS answers 502 UpstreamFailure instead."""
    bsky_bad_query: bool = False
    """Every search answered 400 BadQueryString."""
    bsky_searches: list[dict[str, str]] = field(default_factory=list)
    """The parameters of every search that reached the PDS or the entryway."""
    x: list[dict[str, Any]] = field(default_factory=list)
    x_users: list[dict[str, Any]] = field(
        default_factory=lambda: [{"id": "1", "username": "karpathy", "name": "Andrej"}]
    )
    x_token: str = "x-token"
    hf: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    hf_last_day: str = "2099-01-01"
    papers: dict[str, Paper] = field(default_factory=dict)
    arxiv_empty_answers: int = 0
    down: dict[str, int] = field(default_factory=dict)
    """Host -> status it answers with."""
    down_after: dict[str, int] = field(default_factory=dict)
    """Host -> how many requests it answers before it answers 503 to every other."""
    served: dict[str, int] = field(default_factory=dict)
    """Requests answered, by host."""
    arxiv_error_names_id: bool = True
    """Whether arXiv's 400 error entry names the malformed id (its documented message does)."""
    arxiv_down_for: set[str] = field(default_factory=set)
    """Ids whose batch arXiv answers 503."""
    garbage: set[str] = field(default_factory=set)
    """Hosts answering something that is not JSON."""
    generation: int = 1
    pages_served: int = 0
    access_valid: bool = True

    def handle(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host in self.down:
            return httpx.Response(self.down[host], text="down")
        self.served[host] = self.served.get(host, 0) + 1
        if host in self.down_after and self.served[host] > self.down_after[host]:
            return httpx.Response(503, text="Service Unavailable")
        if host in self.garbage:
            return httpx.Response(200, text="<html>not json</html>")
        path = request.url.path
        routes = {
            ("hn.algolia.com", "/api/v1/search_by_date"): self._hn,
            (ENTRYWAY, "/xrpc/com.atproto.server.createSession"): self._create,
            (ENTRYWAY, "/xrpc/com.atproto.server.refreshSession"): self._refresh,
            (ENTRYWAY, "/xrpc/app.bsky.feed.searchPosts"): self._bsky_search,
            (PDS_HOST, "/xrpc/com.atproto.server.refreshSession"): self._refresh,
            (PDS_HOST, "/xrpc/app.bsky.feed.searchPosts"): self._bsky_search,
            (APPVIEW, "/xrpc/app.bsky.feed.searchPosts"): self._appview_search,
            ("api.x.com", "/2/tweets/search/recent"): self._x,
            ("huggingface.co", "/api/daily_papers"): self._hf,
            ("export.arxiv.org", "/api/query"): self._arxiv,
            ("publish.twitter.com", "/oembed"): self._oembed,
        }
        route = routes.get((host, path))
        if route is None:
            return httpx.Response(404, text="no route")
        return route(request)

    def _hn(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        filters = params["numericFilters"].split(",")
        start = int(filters[0].split(">=")[1])
        end = int(filters[1].split("<")[1])
        hits = sorted((h for h in self.hn if start <= h["created_at_i"] < end), key=lambda h: -int(h["created_at_i"]))
        total = len(hits)
        hits = hits[:1000]  # Algolia never gives more than 1000 hits for one query
        size = min(int(params["hitsPerPage"]), self.hn_page_size)
        page = int(params.get("page", "0"))
        pages = max(1, -(-len(hits) // size))
        return json_response(
            {
                "hits": hits[page * size : (page + 1) * size],
                "nbHits": total,
                "page": page,
                "nbPages": pages,
                "hitsPerPage": size,
            }
        )

    def _create(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body.get("password") != self.bsky_password:
            return json_response({"error": "AuthenticationRequired", "message": "Invalid identifier or password"}, 401)
        self.generation += 1
        return self._session()

    def did_doc(self) -> dict[str, Any]:
        """The account's DID document, as did:plc serves it (the PDS in its ``#atproto_pds`` service)."""
        return {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": DID,
            "alsoKnownAs": ["at://me.bsky.social"],
            "verificationMethod": [
                {
                    "id": f"{DID}#atproto",
                    "type": "Multikey",
                    "controller": DID,
                    "publicKeyMultibase": "zQ3shXjHeiBuRCKmM36cuYnm7YEMzhGnCmCyW92sRJ9pribSF",
                }
            ],
            "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": self.bsky_pds}],
        }

    def _session(self) -> httpx.Response:
        self.access_valid = True
        n = self.generation
        body: dict[str, Any] = {
            "accessJwt": f"access-{n}",
            "refreshJwt": f"refresh-{n}",
            "handle": "me.bsky.social",
            "did": DID,
            "email": "me@example.com",
            "emailConfirmed": True,
            "emailAuthFactor": False,
            "active": True,
        }
        if self.bsky_pds is not None:
            body["didDoc"] = self.did_doc()
        return json_response(body)

    def _refresh(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != f"Bearer refresh-{self.generation}":
            # The PDS's answer to a refresh token it has rotated away or that has run out.
            return json_response({"error": "ExpiredToken", "message": "Token has been revoked"}, 400)
        self.generation += 1
        return self._session()

    def _appview_search(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization", "").startswith("Bearer access-"):
            return json_response({"error": "BadJwtType", "message": 'Invalid jwt type "at+jwt"'}, 401)
        return json_response({"error": "AuthMissing", "message": "Authentication Required"}, 401)

    def _bsky_search(self, request: httpx.Request) -> httpx.Response:
        token = request.headers.get("authorization", "")
        if not token:
            return json_response({"error": "AuthMissing", "message": "Authentication Required"}, 401)
        if token.startswith("Bearer access-") and (
            token != f"Bearer access-{self.generation}" or not self.access_valid
        ):
            return json_response({"error": "ExpiredToken", "message": "Token has expired"}, self.bsky_expired_status)
        if token != f"Bearer access-{self.generation}":
            return json_response({"error": "InvalidToken", "message": "Token could not be verified"}, 400)
        params = request.url.params
        self.bsky_searches.append(dict(params))
        if "q" not in params:
            return json_response(
                {"error": "InvalidRequest", "message": 'Error: Params must have the property "q"'}, 400
            )
        if self.bsky_bad_query:
            return json_response({"error": "BadQueryString", "message": "could not parse the query"}, 400)
        limit = int(params.get("limit", "25"))
        if not 1 <= limit <= 100:
            return json_response({"error": "InvalidRequest", "message": "limit must be between 1 and 100"}, 400)
        size = min(limit, self.bsky_page_size)
        offset = int(params.get("cursor") or 0)
        if self.bsky_fail_page is not None and offset // size + 1 == self.bsky_fail_page:
            return json_response({"error": "UpstreamFailure", "message": "Upstream Failure"}, 502)
        since, until = _when(params["since"]), _when(params["until"])
        matched = [p for p in self.bsky if since <= _sort_at(p) < until and _search_match(p, params)]
        matched.sort(key=lambda p: (_sort_at(p), p["uri"]), reverse=True)
        page = matched[offset : offset + size]
        body: dict[str, Any] = {"posts": page, "hitsTotal": len(matched)}
        # As Bluesky's search service: a cursor only after a full page, and never past its depth.
        if len(page) == size and offset + size < self.bsky_depth:
            body["cursor"] = str(offset + size)
        self.pages_served += 1
        if self.bsky_expire_after_pages is not None and self.pages_served >= self.bsky_expire_after_pages:
            self.bsky_expire_after_pages = None
            self.access_valid = False  # the access token has run out; the refresh token still works
        return json_response(body)

    def _x(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != f"Bearer {self.x_token}":
            return json_response({"title": "Unauthorized", "status": 401}, 401)
        params = request.url.params
        start, end = _when(params["start_time"]), _when(params["end_time"])
        tweets = [t for t in self.x if start <= _when(t["created_at"]) < end]
        offset = int(params.get("next_token") or 0)
        size = int(params["max_results"])
        assert 10 <= size <= 100
        assert len(params["query"]) <= 512
        page = tweets[offset : offset + size]
        meta: dict[str, Any] = {"result_count": len(page)}
        if offset + size < len(tweets):
            meta["next_token"] = str(offset + size)
        body: dict[str, Any] = {"meta": meta}
        if page:
            body["data"] = page
            body["includes"] = {"users": self.x_users}
        return json_response(body)

    def _hf(self, request: httpx.Request) -> httpx.Response:
        day = request.url.params["date"]
        if day > self.hf_last_day:
            return json_response({"error": "Invalid date: in the future"}, 400)
        # huggingface_hub's list_daily_papers: ``p`` is the page, from 0; ``limit`` its size (default 50).
        limit = int(request.url.params.get("limit", "50"))
        page = int(request.url.params.get("p", "0"))
        return json_response(self.hf.get(day, [])[page * limit : (page + 1) * limit])

    def _arxiv(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        ids = params["id_list"].split(",")
        assert len(ids) <= 100
        assert int(params["max_results"]) == len(ids)
        malformed = [i for i in ids if not arxiv_accepts(i)]
        if malformed:
            return httpx.Response(400, content=atom_error(malformed[0] if self.arxiv_error_names_id else ""))
        if self.arxiv_down_for.intersection(ids):
            return httpx.Response(503, text="Service Unavailable")
        if self.arxiv_empty_answers:
            self.arxiv_empty_answers -= 1
            return httpx.Response(200, content=atom([], total=0))
        found = [self.papers[i] for i in ids if i in self.papers]
        return httpx.Response(200, content=atom(found))

    def _oembed(self, request: httpx.Request) -> httpx.Response:
        url = request.url.params["url"]
        tweet_id = url.rsplit("/", 1)[-1]
        html = (
            '<blockquote class="twitter-tweet" data-dnt="true"><p lang="en" dir="ltr">From oEmbed '
            f'<a href="https://t.co/{tweet_id}">https://t.co/{tweet_id}</a></p>&mdash; Andrej (@karpathy) '
            f'<a href="https://twitter.com/karpathy/status/{tweet_id}?ref_src=twsrc%5Etfw">November 24, 2026</a>'
            "</blockquote>\n"
        )
        return json_response({"html": html, "author_name": "Andrej", "author_url": "https://twitter.com/karpathy"})
