"""Where the project keeps its files: config, cache and data folders, each overridable by environment."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "hotpapers-tui"

CONFIG_ENV = "HOTPAPERS_CONFIG"
CACHE_ENV = "HOTPAPERS_CACHE_DIR"
DATA_ENV = "HOTPAPERS_DATA_DIR"


class PathError(Exception):
    """A path from the environment or the config cannot be used; the message names where it came from."""


def shown(text: str | os.PathLike[str]) -> str:
    """A path (or a message holding one) that any UTF-8 stream can print.

    File names that are not UTF-8 reach Python as lone surrogates (``surrogateescape``);
    writing those raises UnicodeEncodeError. They are shown as ``\\xff`` escapes instead.
    """
    text = os.fspath(text)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape" if _only_escapes(text) else "backslashreplace").decode(
            "utf-8", "backslashreplace"
        )


def _only_escapes(text: str) -> bool:
    """True when every surrogate in ``text`` is one ``surrogateescape`` made (U+DC80 to U+DCFF)."""
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


def expand(path: str, where: str) -> Path:
    """``path`` with a leading ``~`` or ``~user`` expanded; PathError naming ``where`` if it cannot be."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        # pathlib raises RuntimeError for ~user when the user (or $HOME) is unknown.
        raise PathError(f"{where}: cannot expand {shown(path)!r}: no such user's home folder") from None


def _from_env(name: str) -> Path | None:
    override = os.environ.get(name)
    return expand(override, name) if override else None


def config_path() -> Path:
    """The TOML config file: ``$HOTPAPERS_CONFIG``, else the platform's user config folder."""
    return _from_env(CONFIG_ENV) or Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def cache_dir() -> Path:
    """The cache folder: ``$HOTPAPERS_CACHE_DIR``, else the platform's user cache folder."""
    return _from_env(CACHE_ENV) or Path(platformdirs.user_cache_dir(APP_NAME))


def data_dir() -> Path:
    """The data folder (reading marks): ``$HOTPAPERS_DATA_DIR``, else the platform's user data folder."""
    return _from_env(DATA_ENV) or Path(platformdirs.user_data_dir(APP_NAME))


def check_environment() -> None:
    """Raise PathError now if a folder or file named by the environment cannot be used."""
    config_path()
    cache_dir()
    data_dir()
