"""arXiv ids out of every link form, Bluesky facets and cards, and bare ids."""

from datetime import date

import pytest

from hotpapers_tui.live.ids import could_exist, id_from_url, ids_in_bluesky_post, ids_in_text, parse_id


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2106.10934",
        "https://arxiv.org/abs/2106.10934v2",
        "http://arxiv.org/pdf/2106.10934",
        "https://arxiv.org/pdf/2106.10934v3.pdf",
        "https://arxiv.org/pdf/2106.10934.pdf",
        "https://arxiv.org/html/2106.10934v1",
        "https://www.arxiv.org/abs/2106.10934",
        "https://export.arxiv.org/abs/2106.10934",
        "arxiv.org/abs/2106.10934",
        "HTTPS://ARXIV.ORG/ABS/2106.10934",
        "https://arxiv.org/abs/2106.10934?context=cs",
        "https://arxiv.org/abs/2106.10934#S3",
        "https://arxiv.org/abs/2106.10934/",
    ],
)
def test_every_link_form_gives_the_same_id(url: str) -> None:
    assert id_from_url(url) == "2106.10934"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
        ("https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001"),
        ("https://arxiv.org/pdf/cond-mat/0211034.pdf", "cond-mat/0211034"),
        ("https://arxiv.org/abs/math.AG/0101001", "math.AG/0101001"),
        ("https://arxiv.org/abs/math.ag/0101001", "math.AG/0101001"),
        ("https://arxiv.org/abs/0704.0001", "0704.0001"),
        ("https://arxiv.org/abs/1501.00001v1", "1501.00001"),
    ],
)
def test_old_and_four_digit_ids(url: str, expected: str) -> None:
    assert id_from_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/list/cs.LG/recent",
        "https://example.org/abs/2106.10934",
        "https://arxiv.org/abs/2106.109345",
        "https://notarxiv.org/abs/2106.10934",
        "https://arxiv.org/",
        "",
    ],
)
def test_links_that_are_not_papers(url: str) -> None:
    assert id_from_url(url) is None


def test_ids_in_text_keep_order_and_drop_repeats() -> None:
    text = (
        "Two papers: arxiv.org/abs/2401.00002 and https://arxiv.org/pdf/2401.00001v2 "
        "(also https://www.arxiv.org/abs/2401.00002v3), see https://example.com/2401.00003"
    )
    assert ids_in_text(text) == ["2401.00002", "2401.00001"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2106.10934", "2106.10934"),
        ("2106.10934v4", "2106.10934"),
        ("arXiv:2106.10934", "2106.10934"),
        ("hep-th/9901001", "hep-th/9901001"),
        (" https://arxiv.org/abs/2106.10934 ", "2106.10934"),
        ("not an id", None),
        ("2106.1", None),
    ],
)
def test_parse_id(text: str, expected: str | None) -> None:
    assert parse_id(text) == expected


def test_bluesky_ids_from_facets_cards_and_quotes() -> None:
    post = {
        "uri": "at://did:plc:abc/app.bsky.feed.post/3k",
        "record": {
            "text": "New paper! arxiv.org/abs/2401.0…",
            "facets": [
                {
                    "index": {"byteStart": 11, "byteEnd": 34},
                    "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://arxiv.org/abs/2401.00001"}],
                },
                {"features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:x"}]},
            ],
            "embed": {
                "$type": "app.bsky.embed.recordWithMedia",
                "media": {"$type": "app.bsky.embed.external", "external": {"uri": "https://arxiv.org/pdf/2401.00002"}},
                "record": {"record": {"uri": "at://did:plc:q/app.bsky.feed.post/1"}},
            },
        },
        "embed": {
            "$type": "app.bsky.embed.record#view",
            "record": {
                "value": {"text": "quoted: https://arxiv.org/abs/2401.00003v1"},
                "embeds": [{"external": {"uri": "https://export.arxiv.org/abs/2401.00004"}}],
            },
        },
    }
    # The truncated text link is not an id; the facet carries the full link.
    assert ids_in_bluesky_post(post) == ["2401.00001", "2401.00002", "2401.00003", "2401.00004"]


def test_bluesky_link_card_only() -> None:
    post = {
        "record": {
            "text": "worth a read",
            "embed": {"$type": "app.bsky.embed.external", "external": {"uri": "https://arxiv.org/abs/2401.00005v2"}},
        }
    }
    assert ids_in_bluesky_post(post) == ["2401.00005"]


def test_bluesky_junk_shapes_give_nothing() -> None:
    assert ids_in_bluesky_post({"record": {"facets": "x", "embed": [1, 2]}, "embed": None}) == []
    assert ids_in_bluesky_post({}) == []


# arXiv's identifier scheme (info.arxiv.org/help/arxiv_identifier): YYMM.NNNN from 0704 to 1412,
# YYMM.NNNNN from 1501, months 01-12, numbers from 1; archive(.XX)/YYMMNNN from 9108 to 0703.
REAL_FORMS = [
    "0704.0001",
    "0706.0001",
    "1412.9999",
    "1501.00001",
    "2106.10934",
    "2611.99999",
    "hep-th/9108001",
    "hep-th/9901001",
    "math.AG/0101001",
    "cond-mat/0703999",
    "q-bio/0309001",
    "cs/9301001",
    "astro-ph/0001001",
]
IMPOSSIBLE = [
    ("1412.12345", "five digits before 1501"),
    ("1501.0001", "four digits from 1501"),
    ("0703.1234", "new style before 0704"),
    ("0613.1234", "month 13"),
    ("2613.00001", "month 13"),
    ("2600.00001", "month 00"),
    ("2611.00000", "number 0"),
    ("0704.0000", "number 0"),
    ("hep-th/9107001", "old style before 9108"),
    ("hep-th/0704001", "old style after 0703"),
    ("hep-th/9913001", "month 13"),
    ("hep-th/9901000", "number 0"),
    ("foo-bar/9901001", "no such archive"),
    ("stat/0601001", "an archive of new ids only"),
    ("math.ABC/0101001", "subject class of three letters"),
]


@pytest.mark.parametrize("arxiv_id", REAL_FORMS)
def test_every_real_form_could_exist(arxiv_id: str) -> None:
    assert could_exist(arxiv_id)
    assert parse_id(arxiv_id) == arxiv_id and parse_id(f"arXiv:{arxiv_id}v3") == arxiv_id
    assert ids_in_text(f"see https://arxiv.org/abs/{arxiv_id}v2 now") == [arxiv_id]


@pytest.mark.parametrize(("arxiv_id", "why"), IMPOSSIBLE)
def test_ids_arxiv_would_refuse_are_dropped_where_they_are_read(arxiv_id: str, why: str) -> None:
    assert not could_exist(arxiv_id), why
    assert parse_id(arxiv_id) is None, why
    assert ids_in_text(f"https://arxiv.org/abs/{arxiv_id} and arxiv.org/pdf/{arxiv_id}v1.pdf") == [], why


def test_an_id_of_a_month_not_yet_begun_cannot_exist_yet() -> None:
    now = date(2026, 11, 30)
    assert could_exist("2611.00001", not_after=now) and could_exist("2612.00001", not_after=now)  # a month of slack
    assert not could_exist("2701.00001", not_after=now) and could_exist("2701.00001")
    assert could_exist("2701.00001", not_after=date(2026, 12, 1)) and not could_exist("2702.00001", not_after=now)
