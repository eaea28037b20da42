"""arXiv ids out of links and posts: every URL form, Bluesky facets and link cards, HN story URLs.

Only ids that arXiv's identifier scheme allows are taken (info.arxiv.org/help/arxiv_identifier):
each id arXiv would refuse costs a request at its 3-second pace before its HTTP 400 sets
it apart, so an id that cannot exist is dropped where it is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

# The shapes found in text; could_exist then applies the scheme's rules.
# New ids: YYMM.NNNN (0704 to 1412) or YYMM.NNNNN (from 1501); old ids: archive(.SUBJ)/YYMMNNN (9108 to 0703).
_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"
_LINK = re.compile(
    r"(?:https?://)?(?<![\w.-])(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format|ps)/"
    rf"(?P<id>{_NEW_ID}|{_OLD_ID})(?:v\d+)?(?![\d])",
    re.IGNORECASE,
)
# Used with fullmatch: "$" would also accept an id ending in a newline.
_BARE = re.compile(rf"(?:arxiv:)?(?P<id>{_NEW_ID}|{_OLD_ID})(?:v\d+)?", re.IGNORECASE)

OLD_ARCHIVES = frozenset(
    {
        "acc-phys",
        "adap-org",
        "alg-geom",
        "ao-sci",
        "astro-ph",
        "atom-ph",
        "bayes-an",
        "chao-dyn",
        "chem-ph",
        "cmp-lg",
        "comp-gas",
        "cond-mat",
        "cs",
        "dg-ga",
        "funct-an",
        "gr-qc",
        "hep-ex",
        "hep-lat",
        "hep-ph",
        "hep-th",
        "math",
        "math-ph",
        "mtrl-th",
        "nlin",
        "nucl-ex",
        "nucl-th",
        "patt-sol",
        "physics",
        "plasm-ph",
        "q-alg",
        "q-bio",
        "quant-ph",
        "solv-int",
        "supr-con",
    }
)
"""The archives of arXiv's taxonomy that existed before April 2007, when ids still named one."""

FIRST_NEW, FIVE_DIGITS = (2007, 4), (2015, 1)
"""New ids began with 0704; their sequence numbers have 5 digits from 1501 on."""
FIRST_OLD, LAST_OLD = (1991, 8), (2007, 3)
"""Old ids ran from 9108 to 0703."""


def could_exist(arxiv_id: str, *, not_after: date | None = None) -> bool:
    """Whether arXiv's identifier scheme allows ``arxiv_id`` (normalised, without version).

    ``YYMM.NNNN`` from 0704 to 1412 and ``YYMM.NNNNN`` from 1501, months 01 to 12,
    numbers from 1; ``archive(.XX)/YYMMNNN`` for an archive of the time, from 9108 to
    0703. With ``not_after``, an id of a later month than the one after it is refused too
    (a month of slack: ids take the month of their announcement, in New York).
    """
    if "/" in arxiv_id:
        archive, _, number = arxiv_id.partition("/")
        name, _, subject = archive.partition(".")
        if name not in OLD_ARCHIVES or (subject and not re.fullmatch(r"[A-Z]{2}", subject)):
            return False
        if not re.fullmatch(r"\d{7}", number):
            return False
        yy, month, sequence = int(number[:2]), int(number[2:4]), int(number[4:])
        year = (1900 if yy >= 91 else 2000) + yy
        return 1 <= month <= 12 and sequence > 0 and FIRST_OLD <= (year, month) <= LAST_OLD
    match = re.fullmatch(r"(\d{2})(\d{2})\.(\d{4,5})", arxiv_id)
    if match is None:
        return False
    year, month, digits = 2000 + int(match.group(1)), int(match.group(2)), match.group(3)
    if not 1 <= month <= 12 or (year, month) < FIRST_NEW or int(digits) == 0:
        return False
    if len(digits) != (5 if (year, month) >= FIVE_DIGITS else 4):
        return False
    if not_after is not None:
        latest = (not_after.year, not_after.month + 1) if not_after.month < 12 else (not_after.year + 1, 1)
        return (year, month) <= latest
    return True


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
        if arxiv_id not in found and could_exist(arxiv_id):
            found.append(arxiv_id)
    return found


def id_from_url(url: str) -> str | None:
    """The arXiv id of one link, or None when it does not point at a paper."""
    ids = ids_in_text(url)
    return ids[0] if ids else None


def parse_id(text: str) -> str | None:
    """A bare id (``2106.10934v2``, ``arXiv:hep-th/9901001``) or a link, without version; None otherwise.

    None too for an id arXiv's scheme does not allow (``1412.12345``, ``2613.00001``).
    """
    text = text.strip()
    match = _BARE.fullmatch(text)
    if match:
        arxiv_id = _normalise(match.group("id"))
        return arxiv_id if could_exist(arxiv_id) else None
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
    """The ids a Bluesky post view links (text, link facets, link card, quoted/record-with-media embeds)."""
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
