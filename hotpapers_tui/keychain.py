"""Credentials kept in the system's keychain (Secret Service, macOS Keychain, Windows) through ``keyring``."""

from __future__ import annotations

import threading
from typing import Any

SERVICE = "hotpapers-tui"
"""The service name every credential is stored under; the credential's name is the user name."""

_read: dict[str, str | None] = {}
"""What the keychain answered, by credential name: it is asked once per process (login and logout update it)."""
_read_from: list[object] = []
"""The backend those answers came from; another one (set by a program or a test) is asked afresh."""
_read_lock = threading.Lock()


class KeychainError(Exception):
    """The keychain cannot store or remove a credential; the message says why (never the secret)."""


def _keyring() -> Any:
    # Imported here: finding a backend costs a noticeable part of a second, which only
    # the commands that need credentials should pay.
    import keyring

    return keyring


def backend_missing() -> str | None:
    """Why no usable keychain exists here, or None when one does."""
    keyring = _keyring()
    from keyring.backends import fail, null

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring | null.Keyring):
        return f"no system keyring is available here (keyring found only {type(backend).__module__})"
    return None


def stored(name: str) -> str | None:
    """The credential kept under ``name``, or None (also when there is no keychain, or it is locked).

    Asked once per process: a second look-up (another feed opened) costs nothing and never
    prompts to unlock the keychain again.
    """
    keyring = _keyring()
    with _read_lock:
        try:
            backend = keyring.get_keyring()
        except Exception:
            return None
        if not _read_from or _read_from[0] is not backend:
            _read.clear()
            _read_from[:] = [backend]
        if name in _read:
            return _read[name]
        try:
            value = backend.get_password(SERVICE, name)
        except Exception:
            # No backend, a locked store or a broken D-Bus session: a feed still opens, without it.
            value = None
        _read[name] = value if isinstance(value, str) and value else None
        return _read[name]


def _remember(name: str, value: str | None) -> None:
    """What this process now knows the keychain holds under ``name`` (after storing or removing it)."""
    backend = _keyring().get_keyring()
    with _read_lock:
        if _read_from and _read_from[0] is backend:
            _read[name] = value


def store(name: str, value: str) -> None:
    """Keep ``value`` under ``name``; KeychainError when it cannot be kept."""
    missing = backend_missing()
    if missing is not None:
        raise KeychainError(missing)
    keyring = _keyring()
    try:
        keyring.set_password(SERVICE, name, value)
    except keyring.errors.KeyringError as exc:
        raise KeychainError(f"the keyring refused to store {name} ({type(exc).__name__})") from None
    _remember(name, value)


def remove(name: str) -> bool:
    """Forget ``name``; True if something was removed. KeychainError when the keychain cannot be used."""
    missing = backend_missing()
    if missing is not None:
        raise KeychainError(missing)
    keyring = _keyring()
    try:
        if keyring.get_password(SERVICE, name) is None:
            return False
        keyring.delete_password(SERVICE, name)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as exc:
        raise KeychainError(f"the keyring refused to remove {name} ({type(exc).__name__})") from None
    _remember(name, None)
    return True
