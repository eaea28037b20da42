"""Turning an embed's HTML into a Tweet: plain text out of untrusted markup, nothing rendered."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hotpapers_tui.model import Tweet

TWITTER_SCRIPT = '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
BLUESKY_SCRIPT = '<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>'

_BYLINE = re.compile(r"^\s*(?:\u2014|&mdash;|-)?\s*(?P<name>.*?)\s*\(@(?P<handle>[^()\s]+)\)\s*(?P<date>.*?)\s*$", re.S)


class EmbedError(ValueError):
    """The embed HTML does not have the shape of a post embed."""


class _EmbedText(HTMLParser):
    """Collects the text of an embed, split into the quoted body and the byline after it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.classes = ""
        self.lang = ""
        self.body: list[str] = []
        self.byline: list[str] = []
        self.links: list[str] = []
        self.in_body = False
        self.seen_body = False
        self.depth = 0
        self.closed = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "blockquote":
            self.depth += 1
            if self.depth == 1:
                self.classes = values.get("class", "")
        elif tag == "p" and self.depth == 1 and not self.seen_body:
            self.in_body = True
            self.lang = values.get("lang", "")
        elif tag == "br":
            self._add("\n")
        elif tag == "a":
            self.links.append(values.get("href", ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self.in_body:
            self.in_body = False
            self.seen_body = True
        elif tag == "blockquote":
            self.depth -= 1
            if self.depth == 0:
                self.closed = True

    def handle_data(self, data: str) -> None:
        self._add(data)

    def _add(self, text: str) -> None:
        if self.in_body:
            self.body.append(text)
        elif self.seen_body and self.depth >= 1:
            self.byline.append(text)


def platform_of(classes: str) -> str:
    """The platform an embed's blockquote class names."""
    if "twitter-tweet" in classes:
        return "x"
    if "bluesky-embed" in classes:
        return "bluesky"
    return "hackernews"


def parse_embed(html: str, script: str | None = None) -> Tweet:
    """Read one embed line into a Tweet; raises EmbedError if it is not an embed.

    The text is decoded as plain text: entities resolved, ``<br>`` as line breaks, links
    as their text. Nothing is rendered or followed.
    """
    parser = _EmbedText()
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:  # HTMLParser rarely raises, but junk must not escape as a crash
        raise EmbedError(f"unreadable embed HTML ({exc})") from exc
    if not parser.closed:
        raise EmbedError("embed HTML has no closing </blockquote>")
    if not parser.seen_body:
        raise EmbedError("embed HTML has no <p>...</p> text")
    text = "".join(parser.body).strip("\n")
    byline = "".join(parser.byline)
    name, handle, when = "", "", ""
    match = _BYLINE.match(byline)
    if match:
        name, handle, when = match["name"], match["handle"], match["date"]
    else:
        name = byline.strip().lstrip("\u2014").strip()
    url = parser.links[-1] if parser.links else ""
    return Tweet(
        url=url,
        author=name,
        handle=handle,
        date=when,
        text=text,
        lang=parser.lang,
        html=html,
        script=script,
        platform=platform_of(parser.classes),
    )
