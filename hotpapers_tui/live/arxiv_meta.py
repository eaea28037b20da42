"""Papers' metadata from the arXiv API, 100 ids a request, through the fetch layer's pacing and cache.

The route: the ``arxiv`` package's public model (``arxiv.Result``, ``Result.Author``,
``Result.Link``) over the Atom format arXiv documents, read with lxml (which the package
itself depends on), from answers fetched by the project's fetch layer. The package's own
``Client`` is synchronous, runs on ``requests`` with no timeout and sleeps by itself, so it
would sit outside the fetch layer's timeouts, cache and process-wide arXiv pacing; and its
Atom reader is a private module. The XML parser neither loads DTDs nor resolves entities
nor touches the network, and an answer that declares a DTD is refused outright: arXiv's
Atom never has one.

A batch that arXiv answers HTTP 400 holds an id it calls malformed: the batch is split
until that id is isolated (at once when the error entry names it), and every other paper
still gets its metadata. A batch that fails otherwise does not stop the ones after it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from hotpapers_tui.fetch.api import Fetcher, FetchError, Freshness
from hotpapers_tui.live.ids import parse_id
from hotpapers_tui.textsafety import plain

if TYPE_CHECKING:
    import arxiv

SOURCE = "arxiv"
PATH = "/api/query"
BATCH = 100
"""Ids per request: long id lists fail with HTTP 414 (seen near 640)."""
ABS_URL = "https://arxiv.org/abs/{}"
PDF_URL = "https://arxiv.org/pdf/{}"

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
NS = {"atom": ATOM, "arxiv": ARXIV, "opensearch": OPENSEARCH}
"""The namespaces of arXiv's Atom answers (the API user's manual, "Details of Atom Results Returned")."""
ERROR_ID = "arxiv.org/api/errors"
"""An error is an Atom feed with one entry whose id points into the API's error documentation."""
_NAMED_ID = re.compile(r"\bfor (\S+)$")
"""The id an error message names: ``incorrect id format for 1412.12345``."""


class AtomError(ValueError):
    """An answer that is not a readable arXiv Atom feed."""


@dataclass(slots=True)
class AtomPage:
    """One Atom answer: its papers as the ``arxiv`` package models them, and any error entries."""

    results: list[arxiv.Result] = field(default_factory=list)
    total_results: int | None = None
    """``opensearch:totalResults``, when the feed gave a number."""
    errors: list[str] = field(default_factory=list)
    """The messages of error entries (arXiv answers an error as a feed with one entry)."""
    unreadable: int = 0
    """Entries left out for a missing or damaged id or date."""


def _text(element: Any, path: str) -> str | None:
    found = element.find(path, NS)
    if found is None:
        return None
    return "".join(found.itertext())


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def parse_atom(body: bytes) -> AtomPage:
    """An arXiv API answer read into ``arxiv.Result`` objects; raises AtomError for anything else."""
    import arxiv
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(body, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise AtomError(f"arXiv answered something that is not XML ({exc})") from None
    if root is None:
        raise AtomError("arXiv answered an empty document")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise AtomError("arXiv's answer declares a DTD: refused (its Atom never has one)")
    if root.tag != f"{{{ATOM}}}feed":
        raise AtomError("arXiv answered something that is not an Atom feed")
    page = AtomPage()
    total = (_text(root, "opensearch:totalResults") or "").strip()
    page.total_results = int(total) if total.isdigit() else None
    for entry in root.iterfind("atom:entry", NS):
        entry_id = (_text(entry, "atom:id") or "").strip()
        if ERROR_ID in entry_id:
            page.errors.append((_text(entry, "atom:summary") or "").strip())
            continue
        published, updated = _time(_text(entry, "atom:published")), _time(_text(entry, "atom:updated"))
        if not entry_id or published is None or updated is None:
            page.unreadable += 1
            continue
        primary = entry.find("arxiv:primary_category", NS)
        page.results.append(
            arxiv.Result(
                entry_id=entry_id,
                updated=updated,
                published=published,
                title=_text(entry, "atom:title") or "",
                authors=[
                    arxiv.Result.Author(
                        _text(author, "atom:name") or "",
                        ["".join(a.itertext()) for a in author.iterfind("arxiv:affiliation", NS)],
                    )
                    for author in entry.iterfind("atom:author", NS)
                ],
                summary=_text(entry, "atom:summary") or "",
                comment=_text(entry, "arxiv:comment") or "",
                journal_ref=_text(entry, "arxiv:journal_ref") or "",
                doi=_text(entry, "arxiv:doi") or "",
                primary_category=(primary.get("term") or "") if primary is not None else "",
                categories=[c.get("term") for c in entry.iterfind("atom:category", NS) if c.get("term")],
                links=[
                    arxiv.Result.Link(
                        link.get("href"),
                        title=link.get("title"),
                        rel=link.get("rel") or "",
                        content_type=link.get("type"),
                    )
                    for link in entry.iterfind("atom:link", NS)
                    if link.get("href")
                ],
            )
        )
    return page


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
            published = datetime.fromisoformat(data["published"])
            if published.tzinfo is None:
                return None
            return cls(
                arxiv_id=str(data["arxiv_id"]),
                title=str(data["title"]),
                authors=tuple(str(a) for a in data["authors"]),
                categories=tuple(str(c) for c in data["categories"]),
                abstract=str(data["abstract"]),
                published=published,
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
    """Metadata kept on disk, one JSON record per paper, in a diskcache folder that never unpickles.

    The folder is read through the answer cache's ``SafeDisk``: a row stored as a pickle
    (a tampered file) is refused and dropped, never loaded. The store only saves requests:
    a folder that cannot be used makes every look-up a miss, never an error.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._cache: Any = None

    def _open(self) -> Any:
        if self._cache is None:
            import diskcache

            from hotpapers_tui.fetch.cache import SafeDisk, make_private_dir

            make_private_dir(self.folder)
            self._cache = diskcache.Cache(str(self.folder), disk=SafeDisk)
        return self._cache

    def get(self, arxiv_id: str) -> PaperMeta | None:
        from hotpapers_tui.fetch.cache import UnsafeCacheRow

        try:
            cache = self._open()
            try:
                raw = cache.get(arxiv_id)
            except UnsafeCacheRow:
                cache.delete(arxiv_id)
                return None
        except (sqlite3.Error, OSError):
            return None
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", errors="replace")
        if not isinstance(raw, str):
            return None
        try:
            return PaperMeta.from_json(json.loads(raw))
        except ValueError:
            return None

    def put(self, meta: PaperMeta) -> None:
        try:
            self._open().set(meta.arxiv_id, json.dumps(meta.to_json(), ensure_ascii=False).encode("utf-8"))
        except (sqlite3.Error, OSError):
            return

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None


def query_params(ids: Sequence[str]) -> dict[str, str]:
    """The arXiv API query for these ids: ``id_list`` and ``max_results`` (the user's manual, 3.1.1)."""
    return {"id_list": ",".join(ids), "max_results": str(len(ids))}


def _meta(result: arxiv.Result) -> PaperMeta | None:
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
    """Ids without metadata at the end: unknown to arXiv, refused, or in a batch that failed."""
    refused: tuple[str, ...] = ()
    """Ids arXiv refused as malformed (HTTP 400), each isolated from its batch."""
    error: str = ""
    """The first failure of a batch (the other batches were still asked)."""


class ArxivMetadata:
    """Fetches papers' metadata by id, each paper once ever (the store), 100 ids a request."""

    def __init__(self, fetcher: Fetcher, store: MetaStore | None = None) -> None:
        self._fetcher = fetcher
        self.store: MetaStore = store if store is not None else MemoryMetaStore()

    async def fetch(self, ids: Iterable[str], report: MetaReport | None = None) -> dict[str, PaperMeta]:
        """Metadata of ``ids`` by id; ids arXiv does not know are left out (and listed in ``report``).

        A batch that fails is reported (``report.error``) and the next batches are still asked.
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
        refused: list[str] = []
        for start in range(0, len(wanted), BATCH):
            await self._fetch_batch(wanted[start : start + BATCH], found, refused, report)
        report.refused = tuple(refused)
        report.missing = tuple(i for i in wanted if i not in found)
        return found

    async def _fetch_batch(
        self, batch: list[str], found: dict[str, PaperMeta], refused: list[str], report: MetaReport
    ) -> None:
        """One batch; on HTTP 400 the malformed id is isolated and the rest asked again."""
        pending = [batch]
        while pending:
            ids = pending.pop()
            try:
                got = await self._batch(ids, report)
            except FetchError as exc:
                if exc.status != 400:
                    report.error = report.error or _reason(exc)
                    continue
                if len(ids) == 1:
                    refused.extend(ids)
                    continue
                named = _named_ids(exc.body, ids)
                if named:
                    # arXiv's error entry names the id it refused: drop it, ask the rest.
                    refused.extend(named)
                    rest = [i for i in ids if i not in named]
                    if rest:
                        pending.append(rest)
                else:
                    middle = len(ids) // 2
                    pending += [ids[middle:], ids[:middle]]
                continue
            for meta in got:
                self.store.put(meta)
                found[meta.arxiv_id] = meta

    async def _batch(self, ids: list[str], report: MetaReport) -> list[PaperMeta]:
        params = query_params(ids)
        page = await self._ask(params, report, refresh=False)
        if not page.results and page.total_results == 0:
            # arXiv sometimes answers an empty first page for ids it has (and the cache may
            # have kept one): ask the network once more.
            page = await self._ask(params, report, refresh=True)
        metas = (_meta(r) for r in page.results)
        return [m for m in metas if m is not None and m.arxiv_id in ids]

    async def _ask(self, params: dict[str, str], report: MetaReport, *, refresh: bool) -> AtomPage:
        try:
            answer = await self._fetcher.get(SOURCE, PATH, params=params, freshness=Freshness.FOREVER, refresh=refresh)
        except FetchError as exc:
            if exc.status is not None:
                report.requests += 1  # answered, if with a refusal
            raise
        report.requests += 1
        try:
            return parse_atom(answer.body)
        except AtomError as exc:
            raise FetchError(str(exc), url=answer.url) from None


def _named_ids(body: bytes, ids: list[str]) -> list[str]:
    """The ids of ``ids`` that an error answer's entries name as refused."""
    try:
        page = parse_atom(body)
    except AtomError:
        return []
    named: list[str] = []
    for message in page.errors:
        match = _NAMED_ID.search(message)
        if match and match.group(1) in ids and match.group(1) not in named:
            named.append(match.group(1))
    return named


def _reason(exc: FetchError) -> str:
    if exc.offline:
        return "offline"
    if exc.status is not None:
        return f"HTTP {exc.status}"
    return str(exc) or "failed"
