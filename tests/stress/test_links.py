"""Which links the reader may open or copy: every refused shape and the accepted ones."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotpapers_tui.links import ALLOWED_HOSTS, host_allowed, is_plain_host, refusal, safe_url

ACCEPTED = [
    "https://arxiv.org/abs/2106.10934",
    "http://arxiv.org/pdf/2106.10934",
    "https://www.arxiv.org/abs/2106.10934v2",
    "https://export.arxiv.org/api/query?id_list=2106.10934",
    "https://twitter.com/ak92501/status/1407142424800075779?ref_src=twsrc%5Etfw",
    "https://x.com/user/status/1",
    "https://t.co/dNaibcliBR",
    "https://bsky.app/profile/someone.bsky.social/post/3k",
    "https://news.ycombinator.com/item?id=1",
    "https://huggingface.co/papers/2106.10934",
    "https://github.com/owner/repo",
    "https://gist.github.com/owner/1",
    "HTTPS://arxiv.org/abs/1",
    "hTTp://arxiv.org/abs/1",
    "https://arxiv.org:443/abs/1",
    "https://arxiv.org./abs/1",
    "https://ARXIV.ORG/abs/1",
    "https://arxiv.org/abs/1#section-2",
]

# (why it is refused, the link)
REFUSED = [
    ("file URL", "file:///etc/passwd"),
    ("javascript URL", "javascript:alert(1)"),
    ("javascript URL, upper case", "JAVASCRIPT:alert(document.cookie)"),
    ("javascript URL dressed as a path", "javascript://arxiv.org/%0aalert(1)"),
    ("data URL", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    ("vbscript URL", "vbscript:msgbox(1)"),
    ("ftp URL", "ftp://arxiv.org/pub"),
    ("ssh URL", "ssh://git@github.com/owner/repo"),
    ("mailto", "mailto:someone@arxiv.org"),
    ("no scheme", "arxiv.org/abs/1"),
    ("scheme-relative", "//arxiv.org/abs/1"),
    ("no host", "https:///abs/1"),
    ("no slashes", "https:arxiv.org/abs/1"),
    ("user name before the host", "http://evil@arxiv.org"),
    ("user and password", "https://user:pass@arxiv.org/abs/1"),
    ("host looks allowed, real host after @", "https://arxiv.org@evil.com/abs/1"),
    ("allowed name as a label of another domain", "https://arxiv.org.evil.com/abs/1"),
    ("allowed name as the end of a longer label", "https://notarxiv.org/abs/1"),
    ("Cyrillic lookalike host (IDN)", "https://аrxiv.org/abs/1"),
    ("Greek lookalike host", "https://twitter.cοm/x"),
    ("punycode lookalike", "https://xn--rxiv-53d.org/abs/1"),
    ("fullwidth dot", "https://arxiv\uff0eorg/abs/1"),
    ("percent-encoded host", "https://arxiv%2eorg/abs/1"),
    ("backslash host confusion", "https://evil.com\\@arxiv.org/"),
    ("newline injection", "https://arxiv.org/abs/1\nhttps://evil.com"),
    ("carriage return injection", "https://arxiv.org/abs/1\r\nSet-Cookie: x"),
    ("leading space", " https://arxiv.org/abs/1"),
    ("trailing space", "https://arxiv.org/abs/1 "),
    ("tab in the host", "https://arx\tiv.org/abs/1"),
    ("space in the path", "https://arxiv.org/abs/1 2"),
    ("no-break space", "https://arxiv.org/\u00a0x"),
    ("NUL", "https://arxiv.org/\x00"),
    ("escape sequence", "https://arxiv.org/\x1b]52;c;eA==\x07"),
    ("bidi override", "https://arxiv.org/\u202egpj.exe"),
    ("zero-width space", "https://arx\u200biv.org/abs/1"),
    ("malformed port", "https://arxiv.org:99999/abs/1"),
    ("malformed IPv6", "https://[::1/abs"),
    ("empty", ""),
]


@pytest.mark.parametrize("url", ACCEPTED)
def test_expected_links_are_accepted_unchanged(url: str) -> None:
    assert safe_url(url, hosts=ALLOWED_HOSTS) == url
    assert refusal(url, hosts=ALLOWED_HOSTS) is None


@pytest.mark.parametrize(("why", "url"), REFUSED, ids=[w for w, _ in REFUSED])
def test_unsafe_links_are_refused(why: str, url: str) -> None:
    assert safe_url(url, hosts=ALLOWED_HOSTS) is None
    reason = refusal(url, hosts=ALLOWED_HOSTS)
    assert reason


def test_without_hosts_any_plain_http_host_passes() -> None:
    assert safe_url("https://example.com/x") == "https://example.com/x"
    assert safe_url("http://[::1]:8080/x") == "http://[::1]:8080/x"
    assert safe_url("https://example.com/x", hosts=ALLOWED_HOSTS) is None
    # The other checks still apply without a host list.
    assert safe_url("file:///etc/passwd") is None
    assert safe_url("http://evil@example.com") is None
    assert safe_url("https://аrxiv.org/") is None


def test_refusal_says_why() -> None:
    assert "http and https" in (refusal("javascript:alert(1)") or "")
    assert "user name" in (refusal("http://evil@arxiv.org") or "")
    assert "expected sites" in (refusal("https://arxiv.org.evil.com/", hosts=ALLOWED_HOSTS) or "")


def test_host_allowed_matches_whole_labels() -> None:
    assert host_allowed("export.arxiv.org", ["arxiv.org"])
    assert host_allowed("ARXIV.ORG.", ["arxiv.org"])
    assert not host_allowed("evilarxiv.org", ["arxiv.org"])
    assert not host_allowed("arxiv.org.evil.com", ["arxiv.org"])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_accepted_links_never_carry_controls_or_other_schemes(text: str) -> None:
    for url in (text, "https://" + text, "https://arxiv.org/" + text):
        out = safe_url(url, hosts=ALLOWED_HOSTS)
        if out is not None:
            assert out == url
            assert out.lower().startswith(("http://", "https://"))
            assert not any(c.isspace() or ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in out)
            assert "@" not in out.split("/")[2]


def test_links_module_is_core() -> None:
    code = "import sys, hotpapers_tui.links; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("host", "plain"),
    [
        ("arxiv.org", True),
        ("xn--80ak6aa92e.com", True),
        ("::1", True),
        ("arxiv.org\n", False),  # "$" accepted this: a match before the final newline
        ("arxiv.org.\n", False),
        ("::1\n", False),
        ("\u0430rxiv.org", False),
        ("arxiv.org/x", False),
    ],
)
def test_a_host_is_plain_only_as_a_whole(host: str, plain: bool) -> None:
    assert is_plain_host(host) is plain


def test_a_link_whose_host_ends_in_a_newline_is_refused() -> None:
    # Refused before the host check too (a control character); both checks hold on their own.
    assert safe_url("https://arxiv.org\n/abs/2101.00001") is None
