"""Where the project keeps its files: config, cache and data folders, each overridable by environment."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "hotpapers-tui"


def config_path() -> Path:
    """The TOML config file: ``$HOTPAPERS_CONFIG``, else the platform's user config folder."""
    override = os.environ.get("HOTPAPERS_CONFIG")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def cache_dir() -> Path:
    """The cache folder: ``$HOTPAPERS_CACHE_DIR``, else the platform's user cache folder."""
    override = os.environ.get("HOTPAPERS_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir(APP_NAME))


def data_dir() -> Path:
    """The data folder (reading marks): ``$HOTPAPERS_DATA_DIR``, else the platform's user data folder."""
    override = os.environ.get("HOTPAPERS_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME))
