"""Hugging Face Daily Papers: a listing day's featured papers and their upvotes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hotpapers_tui.fetch.api import Fetcher, FetchError, Freshness
from hotpapers_tui.live.ids import parse_id
from hotpapers_tui.live.sources.base import SourceSkipped, as_int, read_json, skip_reason

SOURCE = "huggingface"
PATH = "/api/daily_papers"


@dataclass(frozen=True, slots=True)
class HubPaper:
    """A paper featured on Hugging Face, with its upvotes."""

    arxiv_id: str
    upvotes: int


async def daily_papers(fetcher: Fetcher, day: date, *, refresh: bool = False) -> list[HubPaper]:
    """The papers featured for ``day``; a future date (HTTP 400) means none. Raises SourceSkipped."""
    try:
        answer = await fetcher.get(
            SOURCE, PATH, params={"date": day.isoformat(), "limit": "100"}, freshness=Freshness.LIVE, refresh=refresh
        )
    except FetchError as exc:
        if exc.status == 400:
            # Hugging Face dates are UTC: a day not yet begun there is refused, not empty.
            return []
        raise SourceSkipped(skip_reason(exc)) from exc
    body = read_json(answer, "Hugging Face")
    if not isinstance(body, list):
        raise SourceSkipped("Hugging Face answered an unexpected shape")
    papers: dict[str, HubPaper] = {}
    for item in body:
        paper = item.get("paper") if isinstance(item, dict) else None
        if not isinstance(paper, dict) or not isinstance(paper.get("id"), str):
            continue
        arxiv_id = parse_id(paper["id"])
        if arxiv_id is not None and arxiv_id not in papers:
            papers[arxiv_id] = HubPaper(arxiv_id, as_int(paper.get("upvotes")))
    return list(papers.values())
