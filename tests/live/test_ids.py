"""arXiv ids out of every link form, Bluesky facets and cards, and bare ids."""

import pytest

from hotpapers_tui.live.ids import id_from_url, ids_in_bluesky_post, ids_in_text, parse_id


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
