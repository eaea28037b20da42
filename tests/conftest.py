"""Every test runs with private config, cache and data folders, and with the network shut.

The network guard lets a test reach loopback addresses only. Any other attempt (a TCP
or UDP connect, ``connect_ex``, a UDP ``sendto``/``sendmsg``, a name or address lookup)
raises OSError where it is made and is recorded; the test that made it then fails at
teardown, even if the code under test caught the error and carried on as if offline.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

pytest_plugins = ["pytester"]

ATTEMPTS: list[str] = []
"""Network attempts refused so far, as "what(target)"; each test checks those it made."""

_REAL: dict[str, Callable[..., Any]] = {
    "connect": socket.socket.connect,
    "connect_ex": socket.socket.connect_ex,
    "sendto": socket.socket.sendto,
    "sendmsg": socket.socket.sendmsg,
    "getaddrinfo": socket.getaddrinfo,
    "gethostbyname": socket.gethostbyname,
    "gethostbyname_ex": socket.gethostbyname_ex,
    "gethostbyaddr": socket.gethostbyaddr,
    "getnameinfo": socket.getnameinfo,
}
"""The functions the guard stands in front of (tests of the guard replace them, so nothing can leave)."""

_INET = (socket.AF_INET, socket.AF_INET6)


def is_loopback(host: object) -> bool:
    """True for a loopback address or name: 127.0.0.0/8, ::1 (also IPv4-mapped), localhost and *.localhost."""
    if host is None:
        return True  # getaddrinfo(None, ...) means this machine
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip().strip("[]").split("%", 1)[0].rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _refuse(what: str, target: object) -> None:
    if not is_loopback(target):
        ATTEMPTS.append(f"{what}({target!r})")
        raise OSError(f"tests do not touch the network ({what} to {target!r})")


def _host_of(sock: socket.socket, address: Any) -> object:
    """The host of an address for an internet socket, else None (Unix sockets and the like are local)."""
    if sock.family in _INET and isinstance(address, tuple) and address:
        return address[0]
    return None


def _connect(self: socket.socket, address: Any) -> Any:
    _refuse("connect", _host_of(self, address))
    return _REAL["connect"](self, address)


def _connect_ex(self: socket.socket, address: Any) -> Any:
    _refuse("connect_ex", _host_of(self, address))
    return _REAL["connect_ex"](self, address)


def _sendto(self: socket.socket, data: Any, *args: Any) -> Any:
    _refuse("sendto", _host_of(self, args[-1] if args else None))
    return _REAL["sendto"](self, data, *args)


def _sendmsg(self: socket.socket, buffers: Any, *args: Any) -> Any:
    address = args[2] if len(args) > 2 else None
    if address is not None:
        _refuse("sendmsg", _host_of(self, address))
    return _REAL["sendmsg"](self, buffers, *args)


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    _refuse("getaddrinfo", host)
    return _REAL["getaddrinfo"](host, *args, **kwargs)


def _gethostbyname(host: Any) -> Any:
    _refuse("gethostbyname", host)
    return _REAL["gethostbyname"](host)


def _gethostbyname_ex(host: Any) -> Any:
    _refuse("gethostbyname_ex", host)
    return _REAL["gethostbyname_ex"](host)


def _gethostbyaddr(address: Any) -> Any:
    _refuse("gethostbyaddr", address)
    return _REAL["gethostbyaddr"](address)


def _getnameinfo(sockaddr: Any, flags: Any) -> Any:
    _refuse("getnameinfo", sockaddr[0] if isinstance(sockaddr, tuple) and sockaddr else sockaddr)
    return _REAL["getnameinfo"](sockaddr, flags)


def _install() -> None:
    """Put the guard in place for the whole session, collection and session fixtures included."""
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = _sendto  # type: ignore[method-assign,assignment]
    socket.socket.sendmsg = _sendmsg  # type: ignore[method-assign]
    socket.getaddrinfo = _getaddrinfo
    socket.gethostbyname = _gethostbyname
    socket.gethostbyname_ex = _gethostbyname_ex
    socket.gethostbyaddr = _gethostbyaddr
    socket.getnameinfo = _getnameinfo


_install()


@pytest.fixture(autouse=True)
def network_guard() -> Iterator[None]:
    """Fails the test that tried to reach the network, whatever it did with the refusal."""
    first = len(ATTEMPTS)
    yield
    tried = ATTEMPTS[first:]
    del ATTEMPTS[first:]
    if tried:
        pytest.fail(f"the test tried to reach the network: {', '.join(tried)}", pytrace=False)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOTPAPERS_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("HOTPAPERS_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("HOTPAPERS_DATA_DIR", str(home / "data"))
    for name in ("HOTPAPERS_BLUESKY_HANDLE", "HOTPAPERS_BLUESKY_APP_PASSWORD", "HOTPAPERS_X_BEARER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    yield home


class MemoryKeyring(KeyringBackend):
    """A keyring held in memory: tests never read or write the machine's own keychain."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def private_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """Every test gets an empty keyring of its own; a child process gets none at all."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return backend
