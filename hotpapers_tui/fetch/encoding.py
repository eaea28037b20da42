"""Undoing an answer's Content-Encoding chain step by step, never holding or producing more than a size limit."""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence

ACCEPT_ENCODING = "gzip, deflate"
"""What requests ask for: the codings decoded here, with bounded memory, by the standard library."""

MAX_CODINGS = 4
"""Layers of Content-Encoding accepted on one answer; real servers send one."""

STEP = 64 * 1024
"""Most bytes one layer hands on at a time, so that memory stays near the limit whatever the ratio."""

_GZIP_MAGIC = b"\x1f\x8b"


class EncodingError(Exception):
    """The answer's Content-Encoding cannot be undone: unsupported, too many layers or damaged data."""


class TooLarge(Exception):
    """Decoding passed the size limit (at some layer of the chain)."""


def content_codings(values: Sequence[str]) -> list[str]:
    """The codings named by the Content-Encoding header values, in the order they were applied.

    ``identity`` is dropped; anything not decoded here (``br``, ``zstd``, ``compress``,
    unknown names) is refused rather than handed on as if it were the content.
    """
    codings = []
    for value in values:
        for part in value.split(","):
            coding = part.strip().lower()
            if coding in ("", "identity"):
                continue
            if coding not in ("gzip", "x-gzip", "deflate"):
                raise EncodingError(f"unsupported Content-Encoding {_shown(coding)!r}")
            codings.append("gzip" if coding == "x-gzip" else coding)
    if len(codings) > MAX_CODINGS:
        raise EncodingError(f"{len(codings)} layers of Content-Encoding (at most {MAX_CODINGS} are undone)")
    return codings


def _shown(text: str) -> str:
    return "".join(c if c.isprintable() and c.isascii() else "?" for c in text[:40])


class _Inflate:
    """One gzip or deflate layer, handing on at most ``STEP`` bytes per step."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        # gzip: the 16 + MAX_WBITS form reads the gzip header and checks the CRC and length trailer.
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS if coding == "gzip" else zlib.MAX_WBITS)
        self._started = False
        self._done = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        pending = bool(data)
        while pending and not self._done:
            if self._z.eof:
                data = self._next_member(data)
                pending = bool(data)
                continue
            try:
                out = self._z.decompress(data, STEP)
            except zlib.error as exc:
                if self.coding == "deflate" and not self._started:
                    # Some servers send raw deflate without the zlib wrapper that the name promises.
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._started = True
                    continue
                raise EncodingError(f"invalid {self.coding} data ({exc})") from None
            self._started = True
            data = self._z.unconsumed_tail
            if out:
                yield out
            if self._z.eof:
                data = self._z.unused_data
                pending = bool(data)
            else:
                # A full step may leave output held inside zlib: ask again until less comes.
                pending = bool(data) or len(out) == STEP

    def _next_member(self, data: bytes) -> bytes:
        """Bytes after the end of a stream: a further gzip member to read, or nothing (the rest is ignored)."""
        rest = data.lstrip(b"\x00")
        if not rest:
            return b""
        if self.coding == "gzip" and rest[:1] == _GZIP_MAGIC[:1]:
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
            return rest
        self._done = True
        return b""

    def finish(self) -> None:
        """The end of the body: the stream must have ended too (``feed`` leaves no output held back)."""
        if self._started and not self._done and not self._z.eof:
            raise EncodingError(f"the {self.coding} data ends early")


class BoundedDecoder:
    """Undoes a chain of codings as the raw body arrives.

    Every layer hands on pieces of at most ``STEP`` bytes and none may produce more
    than ``limit`` bytes in all: a bomb is refused once the limit is passed, having
    held about the limit in memory, never the size it claims.
    """

    def __init__(self, codings: Sequence[str], limit: int) -> None:
        # Codings are listed in the order applied, so the last applied is undone first.
        self._layers = [_Inflate(c) for c in reversed(codings)]
        self._limit = limit
        self._sizes = [0] * (len(self._layers) + 1)
        self.codings = list(codings)

    @property
    def decoded(self) -> int:
        """Bytes of content produced so far."""
        return self._sizes[-1]

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """The content decoded from one more piece of the raw body. Raises TooLarge or EncodingError."""
        yield from self._through(0, raw)

    def finish(self) -> None:
        """Checks, once the raw body has ended, that every layer's data ended too. Raises EncodingError."""
        for layer in self._layers:
            layer.finish()

    def _through(self, i: int, data: bytes) -> Iterator[bytes]:
        self._sizes[i] += len(data)
        if self._sizes[i] > self._limit:
            raise TooLarge
        if i == len(self._layers):
            yield data
            return
        for out in self._layers[i].feed(data):
            yield from self._through(i + 1, out)
