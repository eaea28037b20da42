"""The links and categories lines: the regex fast path agrees with markdown-it, which reads the rest."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hotpapers_tui.posts import _link_targets, _read_categories, _read_links

URLS = st.one_of(
    st.from_regex(r"\Ahttps://arxiv\.org/(abs|pdf)/[0-9]{4}\.[0-9]{5}(v[0-9])?\Z"),
    st.from_regex(r"\Ahttps?://(www\.|export\.)?arxiv\.org/[A-Za-z0-9/._~-]{0,20}\Z"),
    st.text(st.sampled_from("abcXYZ019;/?:@=+$,-_.!~*'#%&"), min_size=1, max_size=30).map(lambda p: "https://" + p),
    st.text(st.sampled_from("aZ09;/?:@=+$,-_.!~*'#"), min_size=1, max_size=30).map(lambda p: "https://xn--" + p),
)
CATEGORY = st.from_regex(r"\A[A-Za-z0-9.\-]{1,12}\Z")


@settings(max_examples=150, deadline=None)
@given(URLS, URLS)
def test_fast_links_agree_with_markdown_it(abs_url: str, pdf_url: str) -> None:
    line = f"- links: [abs]({abs_url}) | [pdf]({pdf_url})"
    assert _read_links(line) == dict(_link_targets(line))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(CATEGORY, URLS), min_size=1, max_size=4))
def test_fast_categories_agree_with_markdown_it(items: list[tuple[str, str]]) -> None:
    line = "- " + " | ".join(f"[{name}]({url})" for name, url in items)
    assert _read_categories(line) == [text for text, _ in _link_targets(line)]


def test_other_link_shapes_go_through_markdown_it() -> None:
    line = "- links: [abs](<https://arxiv.org/abs/1 2>) | [pdf](https://arxiv.org/pdf/x?a=1&amp;b=2)"
    assert _read_links(line) == {"abs": "https://arxiv.org/abs/1%202", "pdf": "https://arxiv.org/pdf/x?a=1&b=2"}
    assert _read_categories("- [cs.LG](https://arxiv.org/list/cs.LG/recent)|[cs.AI](https://x)") == ["cs.LG", "cs.AI"]
    assert _read_links("- links: abs | pdf") == {}
    assert _read_categories("- cs.LG") == []
