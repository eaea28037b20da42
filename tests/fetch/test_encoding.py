"""Undoing Content-Encoding with bounded output: layers, chunk boundaries, damaged data and the size limit."""

from __future__ import annotations

import gzip
import os
import struct
import zlib

import pytest

from hotpapers_tui.fetch.encoding import STEP, BoundedDecoder, EncodingError, TooLarge, content_codings
from tests.fetch.conftest import gzip_of_zeros, layered_bomb

CONTENT = os.urandom(70_000) + b"hot papers " * 30_000


def decode(codings: list[str], body: bytes, *, limit: int = 1 << 30, chunk: int = 4096) -> bytes:
    decoder = BoundedDecoder(codings, limit)
    out: list[bytes] = []
    for i in range(0, len(body), chunk):
        for piece in decoder.feed(body[i : i + chunk]):
            assert len(piece) <= STEP
            out.append(piece)
    decoder.finish()
    return b"".join(out)


@pytest.mark.parametrize("chunk", [1, 7, 4096, 1 << 20])
def test_any_split_of_the_raw_body_decodes_the_same(chunk: int) -> None:
    body = gzip.compress(zlib.compress(CONTENT))
    assert decode(["deflate", "gzip"], body, chunk=chunk) == CONTENT


def test_several_gzip_members_are_one_content() -> None:
    one, two = gzip.compress(CONTENT[:1000]), gzip.compress(CONTENT[1000:])
    # The second member starting exactly at a chunk boundary, and in the middle of one.
    assert decode(["gzip"], one + two, chunk=len(one)) == CONTENT
    assert decode(["gzip"], one + two, chunk=len(one) - 3) == CONTENT


def test_padding_and_junk_after_the_stream_are_ignored() -> None:
    assert decode(["gzip"], gzip.compress(CONTENT) + b"\x00\x00 trailing junk") == CONTENT


def test_the_zero_bomb_is_valid_gzip() -> None:
    assert gzip.decompress(gzip_of_zeros(3)) == bytes(3 << 20)


def test_a_bomb_stops_within_one_step_of_the_limit() -> None:
    decoder = BoundedDecoder(["gzip", "gzip"], 5 << 20)
    with pytest.raises(TooLarge):
        for _ in decoder.feed(layered_bomb(1024)):
            pass
    assert 5 << 20 <= decoder.decoded <= (5 << 20) + STEP


def test_every_layer_is_held_to_the_limit() -> None:
    # Empty stored blocks decode to nothing, so the inner layer is megabytes that make no content at all:
    # the limit on the middle layer stops it instead of spending time on them.
    empty_blocks = b"\x00\x00\x00\xff\xff" * 1_000_000
    inner = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + empty_blocks + b"\x03\x00" + struct.pack("<II", 0, 0)
    assert gzip.decompress(inner) == b""
    decoder = BoundedDecoder(["gzip", "gzip"], 1 << 20)
    with pytest.raises(TooLarge):
        for _ in decoder.feed(gzip.compress(inner)):
            pass
    assert decoder.decoded == 0


def test_raw_bytes_count_too() -> None:
    decoder = BoundedDecoder([], 1000)
    assert b"".join(decoder.feed(b"x" * 1000)) == b"x" * 1000
    with pytest.raises(TooLarge):
        list(decoder.feed(b"y"))


@pytest.mark.parametrize(
    ("codings", "body", "message"),
    [
        (["gzip"], b"plain text", "invalid gzip data"),
        (["deflate"], b"plain text", "invalid deflate data"),
        (["gzip"], gzip.compress(CONTENT)[:-4], "the gzip data ends early"),
        (["gzip", "gzip"], gzip.compress(gzip.compress(CONTENT)[:100]), "the gzip data ends early"),
    ],
)
def test_damaged_data_is_an_encoding_error(codings: list[str], body: bytes, message: str) -> None:
    with pytest.raises(EncodingError, match=message):
        decode(codings, body)


def test_content_codings_from_headers() -> None:
    assert content_codings(["gzip, gzip"]) == ["gzip", "gzip"]
    assert content_codings(["x-gzip", " Deflate "]) == ["gzip", "deflate"]
    assert content_codings(["identity"]) == [] == content_codings([])
    for refused in (["br"], ["zstd"], ["compress"], ["gzip, \x1b[31mred"]):
        with pytest.raises(EncodingError, match="unsupported Content-Encoding") as caught:
            content_codings(refused)
        assert "\x1b" not in str(caught.value)
    with pytest.raises(EncodingError, match="5 layers"):
        content_codings(["gzip"] * 5)
