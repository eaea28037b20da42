"""Every test runs with private config, cache and data folders, and with the network shut."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and self.family in (socket.AF_INET, socket.AF_INET6):
        try:
            if not ipaddress.ip_address(host).is_loopback:
                raise OSError(f"tests do not touch the network (tried {host})")
        except ValueError:
            if host != "localhost":
                raise OSError(f"tests do not touch the network (tried {host})") from None
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOTPAPERS_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("HOTPAPERS_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("HOTPAPERS_DATA_DIR", str(home / "data"))
    for name in ("HOTPAPERS_BLUESKY_HANDLE", "HOTPAPERS_BLUESKY_APP_PASSWORD", "HOTPAPERS_X_BEARER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
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
