"""Hugging Face Daily Papers: a listing day's featured papers and their upvotes, page by page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hotpapers_tui.fetch.api import Fetcher, FetchError, Freshness
from hotpapers_tui.live.ids import parse_id
from hotpapers_tui.live.sources.base import SourceSkipped, as_int, read_json, skip_reason

SOURCE = "huggingface"
PATH = "/api/daily_papers"
PAGE_SIZE = 100
"""The largest ``limit`` the endpoint takes."""
MAX_PAGES = 50
"""A guard against a server that never answers a short page (5,000 papers a day)."""


@dataclass(frozen=True, slots=True)
class HubPaper:
    """A paper featured on Hugging Face, with its upvotes."""

    arxiv_id: str
    upvotes: int


@dataclass(slots=True)
class HubResult:
    """A day's featured papers and how the asking went."""

    papers: list[HubPaper] = field(default_factory=list)
    requests: int = 0
    partial: str = ""
    """Why paging stopped before a short page (a later page failed); the papers read are kept."""


def page_params(day: date, page: int) -> dict[str, str]:
    """The query of one page: ``p`` counts from 0 (huggingface_hub's ``list_daily_papers``), 0 is its default.

    The first page leaves ``p`` out, so it is the same URL as a plain request for the day.
    """
    params = {"date": day.isoformat(), "limit": str(PAGE_SIZE)}
    if page:
        params["p"] = str(page)
    return params


async def daily_papers(fetcher: Fetcher, day: date, *, refresh: bool = False) -> HubResult:
    """The papers featured for ``day``, paging until a short page; a future date (HTTP 400) means none.

    Raises SourceSkipped when the first page cannot be had.
    """
    result = HubResult()
    papers: dict[str, HubPaper] = {}
    for page in range(MAX_PAGES):
        try:
            answer = await fetcher.get(
                SOURCE, PATH, params=page_params(day, page), freshness=Freshness.LIVE, refresh=refresh
            )
            body = read_json(answer, "Hugging Face")
            if not isinstance(body, list):
                raise SourceSkipped("Hugging Face answered an unexpected shape")
        except FetchError as exc:
            if exc.status == 400 and page == 0:
                # Hugging Face dates are UTC: a day not yet begun there is refused, not empty.
                return result
            if page == 0:
                raise SourceSkipped(skip_reason(exc)) from exc
            result.partial = f"page {page + 1}: {skip_reason(exc)}"
            break
        except SourceSkipped as exc:
            if page == 0:
                raise
            result.partial = f"page {page + 1}: {exc}"
            break
        result.requests += 1
        known = len(papers)
        for item in body:
            paper = item.get("paper") if isinstance(item, dict) else None
            if not isinstance(paper, dict) or not isinstance(paper.get("id"), str):
                continue
            arxiv_id = parse_id(paper["id"])
            if arxiv_id is not None and arxiv_id not in papers:
                papers[arxiv_id] = HubPaper(arxiv_id, as_int(paper.get("upvotes")))
        # A short page is the last; a full page of papers already seen means the server ignores ``p``.
        if len(body) < PAGE_SIZE or (page and len(papers) == known):
            break
    else:
        result.partial = f"stopped after {MAX_PAGES} full pages"
    result.papers = list(papers.values())
    return result
