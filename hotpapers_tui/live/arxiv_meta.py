"""Papers' metadata from the arXiv API, 100 ids a request, through the fetch layer's pacing and cache.

The request is built by the ``arxiv`` package (``Search`` with an id list, formatted by
``Client``) and the Atom answer is read by the package's own parser (``arxiv._feed.parse``,
the lxml-based parser 4.x uses in place of feedparser, with entity expansion and network
access off). Only the transport is ours: the package's client is synchronous, sleeps on
its own and sets no timeout, while every request of this project must go through the
fetch layer's arXiv pacing and cache.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from hotpapers_tui.fetch.api import Fetcher, FetchError, Freshness
from hotpapers_tui.live.ids import parse_id
from hotpapers_tui.textsafety import plain

SOURCE = "arxiv"
PATH = "/api/query"
BATCH = 100
"""Ids per request: long id lists fail with HTTP 414 (seen near 640)."""
ABS_URL = "https://arxiv.org/abs/{}"
PDF_URL = "https://arxiv.org/pdf/{}"


@dataclass(frozen=True, slots=True)
class PaperMeta:
    """What a day needs of a paper's arXiv record."""

    arxiv_id: str
    title: str
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    """Primary category first."""
    abstract: str
    """On one line, plain text."""
    published: datetime
    """When version 1 was submitted (aware, UTC)."""

    @property
    def abs_url(self) -> str:
        return ABS_URL.format(self.arxiv_id)

    @property
    def pdf_url(self) -> str:
        return PDF_URL.format(self.arxiv_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "arxiv_id": self.arxiv_id,
            "title": self.title,
            "authors": list(self.authors),
            "categories": list(self.categories),
            "abstract": self.abstract,
            "published": self.published.isoformat(),
        }

    @classmethod
    def from_json(cls, data: Any) -> PaperMeta | None:
        """A stored record, or None when it is not one (then it is fetched again)."""
        try:
            return cls(
                arxiv_id=str(data["arxiv_id"]),
                title=str(data["title"]),
                authors=tuple(str(a) for a in data["authors"]),
                categories=tuple(str(c) for c in data["categories"]),
                abstract=str(data["abstract"]),
                published=datetime.fromisoformat(data["published"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


class MetaStore(Protocol):
    """Where papers' metadata is kept once fetched: it never changes, so it is fetched once ever."""

    def get(self, arxiv_id: str) -> PaperMeta | None: ...

    def put(self, meta: PaperMeta) -> None: ...


class MemoryMetaStore:
    """Metadata kept for the life of the process."""

    def __init__(self) -> None:
        self._items: dict[str, PaperMeta] = {}

    def get(self, arxiv_id: str) -> PaperMeta | None:
        return self._items.get(arxiv_id)

    def put(self, meta: PaperMeta) -> None:
        self._items[meta.arxiv_id] = meta


class DiskMetaStore:
    """Metadata kept on disk, one small JSON record per paper in a diskcache folder."""

    def __init__(self, folder: Path) -> None:
        import diskcache

        self._cache = diskcache.Cache(str(folder))

    def get(self, arxiv_id: str) -> PaperMeta | None:
        raw = self._cache.get(arxiv_id)
        if not isinstance(raw, str):
            return None
        try:
            return PaperMeta.from_json(json.loads(raw))
        except ValueError:
            return None

    def put(self, meta: PaperMeta) -> None:
        self._cache.set(meta.arxiv_id, json.dumps(meta.to_json()))

    def close(self) -> None:
        self._cache.close()


def query_params(ids: Sequence[str]) -> dict[str, str]:
    """The arXiv API parameters the ``arxiv`` package would send for these ids."""
    import arxiv  # imported on first use: it pulls in requests, slow to load at start-up

    search = arxiv.Search(id_list=list(ids), max_results=len(ids))
    url = arxiv.Client(page_size=len(ids))._format_url(search, 0, len(ids))
    params = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    params["id_list"] = ",".join(ids)
    params["max_results"] = str(len(ids))
    return params


def _meta(result: Any) -> PaperMeta | None:
    arxiv_id = parse_id(result.entry_id)
    if arxiv_id is None or result.published is None:
        return None
    categories = [result.primary_category] if result.primary_category else []
    categories += [c for c in result.categories if c not in categories]
    authors = tuple(name for name in (plain(a.name).strip() for a in result.authors) if name)
    # Every arXiv entry has authors and a primary category; one without is a damaged answer,
    # and a post written from it could not be read back.
    if not authors or not categories:
        return None
    return PaperMeta(
        arxiv_id=arxiv_id,
        title=plain(re.sub(r"\s+", " ", result.title).strip()),
        authors=authors,
        categories=tuple(categories),
        abstract=plain(" ".join(result.summary.split())),
        published=result.published,
    )


@dataclass(slots=True)
class MetaReport:
    """How a metadata fetch went."""

    requests: int = 0
    from_store: int = 0
    missing: tuple[str, ...] = ()
    error: str = ""


class ArxivMetadata:
    """Fetches papers' metadata by id, each paper once ever (the store), 100 ids a request."""

    def __init__(self, fetcher: Fetcher, store: MetaStore | None = None) -> None:
        self._fetcher = fetcher
        self.store: MetaStore = store if store is not None else MemoryMetaStore()

    async def fetch(self, ids: Iterable[str], report: MetaReport | None = None) -> dict[str, PaperMeta]:
        """Metadata of ``ids`` by id; ids arXiv does not know are left out (and listed in ``report``).

        A failed request stops the fetch: what was had so far is returned, the error is in ``report``.
        """
        report = report if report is not None else MetaReport()
        found: dict[str, PaperMeta] = {}
        wanted: list[str] = []
        for arxiv_id in dict.fromkeys(ids):
            meta = self.store.get(arxiv_id)
            if meta is not None:
                found[arxiv_id] = meta
                report.from_store += 1
            else:
                wanted.append(arxiv_id)
        # Sorted batches: the same set of ids asks the same URLs, so the fetch layer's cache can answer.
        wanted.sort()
        missing: list[str] = []
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start : start + BATCH]
            try:
                got = await self._batch(batch, report)
            except FetchError as exc:
                report.error = _reason(exc)
                missing.extend(wanted[start:])
                break
            for meta in got:
                self.store.put(meta)
                found[meta.arxiv_id] = meta
            missing.extend(i for i in batch if i not in found)
        report.missing = tuple(missing)
        return found

    async def _batch(self, ids: list[str], report: MetaReport) -> list[PaperMeta]:
        params = query_params(ids)
        feed = await self._ask(params, report, refresh=False)
        if not feed.results and feed.header.total_results == 0:
            # arXiv sometimes answers an empty first page for ids it has (and the cache may
            # have kept one): ask the network once more.
            feed = await self._ask(params, report, refresh=True)
        metas = (_meta(r) for r in feed.results)
        return [m for m in metas if m is not None and m.arxiv_id in ids]

    async def _ask(self, params: dict[str, str], report: MetaReport, *, refresh: bool) -> Any:
        from arxiv import _feed

        answer = await self._fetcher.get(SOURCE, PATH, params=params, freshness=Freshness.FOREVER, refresh=refresh)
        report.requests += 1
        try:
            feed = _feed.parse(answer.body)
        except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
            # The package's parser trusts the answer's fields (dates, ids); a damaged answer
            # is a failed request, not a crash.
            raise FetchError(f"arXiv answered an unreadable Atom feed ({exc})", url=answer.url) from None
        if feed.malformed and not feed.results:
            raise FetchError("arXiv answered something that is not an Atom feed", url=answer.url)
        return feed


def _reason(exc: FetchError) -> str:
    if exc.offline:
        return "offline"
    if exc.status is not None:
        return f"HTTP {exc.status}"
    return str(exc) or "failed"
