"""The tests' network guard: loopback passes, anything else raises and fails the test that tried, even if caught."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from tests import conftest as guard
from tests.fetch.conftest import PostServer

# Documentation ranges (RFC 5737, RFC 3849) and a reserved name: never anyone's real host.
FAR_V4, FAR_V6, FAR_NAME = "192.0.2.1", "2001:db8::1", "hotpapers.invalid"


@pytest.fixture
def unplugged(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The functions behind the guard replaced by ones that only note the call, so that even a broken guard
    sends nothing; yields the calls that got through. The attempts the test makes are taken back at the end, so
    that the guard's own teardown check passes for these tests."""
    through: list[str] = []

    def noting(name: str) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            through.append(name)
            raise OSError(f"{name}: unplugged")

        return call

    for name in guard._REAL:
        monkeypatch.setitem(guard._REAL, name, noting(name))
    first = len(guard.ATTEMPTS)
    yield through
    del guard.ATTEMPTS[first:]


def attempts_since(first: int) -> list[str]:
    return guard.ATTEMPTS[first:]


TCP, UDP = socket.SOCK_STREAM, socket.SOCK_DGRAM
V4, V6 = socket.AF_INET, socket.AF_INET6


@pytest.mark.parametrize(
    ("what", "kind", "attempt"),
    [
        ("connect", (V4, TCP), lambda s: s.connect((FAR_V4, 443))),
        ("connect_ex", (V4, TCP), lambda s: s.connect_ex((FAR_V4, 443))),
        ("connect", (V6, TCP), lambda s: s.connect((FAR_V6, 443, 0, 0))),
        ("connect", (V4, UDP), lambda s: s.connect((FAR_V4, 53))),
        ("sendto", (V4, UDP), lambda s: s.sendto(b"x", (FAR_V4, 53))),
        ("sendto", (V4, UDP), lambda s: s.sendto(b"x", 0, (FAR_V4, 53))),
        ("sendmsg", (V4, UDP), lambda s: s.sendmsg([b"x"], [], 0, (FAR_V4, 53))),
        ("getaddrinfo", None, lambda _: socket.getaddrinfo(FAR_NAME, 443)),
        ("getaddrinfo", None, lambda _: socket.create_connection((FAR_NAME, 443))),
        ("gethostbyname", None, lambda _: socket.gethostbyname(FAR_NAME)),
        ("gethostbyname_ex", None, lambda _: socket.gethostbyname_ex(FAR_NAME)),
        ("gethostbyaddr", None, lambda _: socket.gethostbyaddr(FAR_V4)),
        ("getnameinfo", None, lambda _: socket.getnameinfo((FAR_V4, 443), 0)),
    ],
)
def test_every_way_out_is_refused_and_recorded(
    unplugged: list[str], what: str, kind: tuple[int, int] | None, attempt: Callable[[Any], Any]
) -> None:
    first = len(guard.ATTEMPTS)
    with pytest.raises(OSError, match="tests do not touch the network"):
        if kind is None:
            attempt(None)
        else:
            with socket.socket(*kind) as sock:
                attempt(sock)
    assert unplugged == []
    assert [a.split("(")[0] for a in attempts_since(first)] == [what]


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "::ffff:127.0.0.1", "localhost", "LocalHost.", "a.localhost"]
)
def test_loopback_is_allowed(host: str) -> None:
    assert guard.is_loopback(host)


@pytest.mark.parametrize(
    "host", [FAR_V4, FAR_V6, FAR_NAME, "0.0.0.0", "::", "::ffff:192.0.2.1", "localhost.example.com", "", "10.0.0.1"]
)
def test_anything_else_is_not(host: str) -> None:
    assert not guard.is_loopback(host)


def test_a_loopback_server_is_reachable(serve: Callable[[list[date]], PostServer]) -> None:
    server = serve([])
    first = len(guard.ATTEMPTS)
    for host in ("127.0.0.1", "localhost"):
        with socket.create_connection((host, server.server_address[1]), timeout=5) as sock:
            sock.sendall(b"GET /nothing HTTP/1.0\r\n\r\n")
            assert sock.recv(12).startswith(b"HTTP/1.")
    assert attempts_since(first) == []


def test_a_test_that_swallows_the_refusal_still_fails(pytester: pytest.Pytester, unplugged: list[str]) -> None:
    """The old guard's gap: code that catches the OSError (and reports "offline") let the test pass."""
    pytester.makeconftest("from tests.conftest import network_guard  # noqa: F401\n")
    pytester.makepyfile(
        f"""
        import socket

        def test_looks_offline():
            try:
                socket.getaddrinfo("{FAR_NAME}", 443)
            except OSError:
                pass  # as a fetcher would: "offline, showing the cache"
        """
    )
    # In this process, so the unplugged functions stay in place (the snapshot plugin keeps session state: off).
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:textual-snapshot", "-p", "no:asyncio")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_looks_offline*",
            f"*the test tried to reach the network: getaddrinfo('{FAR_NAME}')*",
        ]
    )
    assert unplugged == []
