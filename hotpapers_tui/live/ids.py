"""arXiv ids out of links and posts: every URL form, Bluesky facets and link cards, HN story URLs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

# New ids: YYMM.NNNN (2007-2014) or YYMM.NNNNN (2015-); old ids: archive(.SUBJ)/YYMMNNN.
_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"
_LINK = re.compile(
    r"(?:https?://)?(?<![\w.-])(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format|ps)/"
    rf"(?P<id>{_NEW_ID}|{_OLD_ID})(?:v\d+)?(?![\d])",
    re.IGNORECASE,
)
_BARE = re.compile(rf"^(?:arxiv:)?(?P<id>{_NEW_ID}|{_OLD_ID})(?:v\d+)?$", re.IGNORECASE)


def _normalise(raw: str) -> str:
    """Old ids keep their archive name in lower case (``hep-th``) and subject class in upper (``math.AG``)."""
    if "/" not in raw:
        return raw
    archive, number = raw.split("/", 1)
    if "." in archive:
        name, subject = archive.split(".", 1)
        archive = f"{name.lower()}.{subject.upper()}"
    else:
        archive = archive.lower()
    return f"{archive}/{number}"


def ids_in_text(text: str) -> list[str]:
    """The arXiv ids linked in ``text`` (any arxiv.org link form), without versions, first seen first."""
    found: list[str] = []
    for match in _LINK.finditer(text):
        arxiv_id = _normalise(match.group("id"))
        if arxiv_id not in found:
            found.append(arxiv_id)
    return found


def id_from_url(url: str) -> str | None:
    """The arXiv id of one link, or None when it does not point at a paper."""
    ids = ids_in_text(url)
    return ids[0] if ids else None


def parse_id(text: str) -> str | None:
    """A bare id (``2106.10934v2``, ``arXiv:hep-th/9901001``) or a link, without version; None otherwise."""
    text = text.strip()
    match = _BARE.match(text)
    if match:
        return _normalise(match.group("id"))
    return id_from_url(text)


def ids_in_urls(urls: Iterable[str]) -> list[str]:
    """The ids of several links, in order, each once."""
    found: list[str] = []
    for url in urls:
        for arxiv_id in ids_in_text(url):
            if arxiv_id not in found:
                found.append(arxiv_id)
    return found


def _embed_urls(embed: Any) -> list[str]:
    """Links in a Bluesky embed: a link card, or a card inside a record-with-media or a quoted post."""
    if not isinstance(embed, Mapping):
        return []
    urls: list[str] = []
    external = embed.get("external")
    if isinstance(external, Mapping) and isinstance(external.get("uri"), str):
        urls.append(external["uri"])
    media = embed.get("media")
    if isinstance(media, Mapping):
        urls.extend(_embed_urls(media))
    record = embed.get("record")
    if isinstance(record, Mapping):
        # recordWithMedia nests {record: {record: ...}}; a view of a quoted post carries value/embeds.
        urls.extend(_embed_urls(record))
        value = record.get("value")
        if isinstance(value, Mapping):
            urls.extend(_record_urls(value))
        for inner in _listed(record.get("embeds")):
            urls.extend(_embed_urls(inner))
    return urls


def _listed(value: Any) -> list[Any] | tuple[Any, ...]:
    """A JSON array, or nothing for any other value where an array belongs."""
    return value if isinstance(value, list | tuple) else ()


def _record_urls(record: Mapping[str, Any]) -> list[str]:
    urls: list[str] = []
    text = record.get("text")
    if isinstance(text, str):
        urls.append(text)
    for facet in _listed(record.get("facets")):
        if not isinstance(facet, Mapping):
            continue
        for feature in _listed(facet.get("features")):
            if isinstance(feature, Mapping) and isinstance(feature.get("uri"), str):
                urls.append(feature["uri"])
    urls.extend(_embed_urls(record.get("embed")))
    return urls


def ids_in_bluesky_post(post: Mapping[str, Any]) -> list[str]:
    """The ids a Bluesky post view links: its text, link facets, link card and quoted/record-with-media embeds."""
    urls: list[str] = []
    record = post.get("record")
    if isinstance(record, Mapping):
        urls.extend(_record_urls(record))
    # The hydrated view (post.embed) carries the same card, and the quoted post's own links.
    urls.extend(_embed_urls(post.get("embed")))
    return ids_in_urls(urls)


def id_month(arxiv_id: str) -> tuple[int, int] | None:
    """The (year, month) a new-style id was assigned in (``2106.10934``: 2021, 6); None for old ids."""
    if "/" in arxiv_id or len(arxiv_id) < 4 or not arxiv_id[:4].isdigit():
        return None
    return 2000 + int(arxiv_id[:2]), int(arxiv_id[2:4])
