"""The user's settings: a TOML file read into a frozen, validated Config with defaults."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from hotpapers_tui import paths
from hotpapers_tui.fetch.api import SOURCES
from hotpapers_tui.library.marks import ReadPolicy
from hotpapers_tui.live.settings import TUNING_FIELDS, LiveSettings

DEFAULT_BASE_URLS: Mapping[str, str] = MappingProxyType(
    {
        "github_api": "https://api.github.com",
        "github_raw": "https://raw.githubusercontent.com",
        "arxiv": "https://export.arxiv.org",
        "huggingface": "https://huggingface.co",
        "hackernews": "https://hn.algolia.com",
        "bluesky": "https://api.bsky.app",
        "bluesky_auth": "https://bsky.social",
        "x": "https://api.x.com",
        "x_oembed": "https://publish.twitter.com",
    }
)
"""The real services, by source name; ``[sources.NAME] base_url`` replaces one."""

CREDENTIAL_ENV: Mapping[str, str] = MappingProxyType(
    {
        "bluesky_handle": "HOTPAPERS_BLUESKY_HANDLE",
        "bluesky_app_password": "HOTPAPERS_BLUESKY_APP_PASSWORD",
        "x_bearer_token": "HOTPAPERS_X_BEARER_TOKEN",
    }
)
"""Environment variables that override the ``[credentials]`` table, which they win over."""


class ConfigError(Exception):
    """The config file cannot be used; the message names the file, the key and what is allowed."""


@dataclass(frozen=True, slots=True)
class FreshnessSettings:
    """How long cached answers stay good, by meaning."""

    listing_hours: float = 24.0
    """A listing of posts (the archive's days) is refetched after this many hours."""
    live_minutes: float = 30.0
    """A live day's attention counts are refetched after this many minutes."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """Secrets for the sources that need them; never shown (repr masks them)."""

    bluesky_handle: str | None = None
    bluesky_app_password: str | None = None
    x_bearer_token: str | None = None

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={'set' if getattr(self, f.name) else 'not set'}" for f in fields(self))
        return f"Credentials({shown})"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class Config:
    """Every setting, with defaults for what the file leaves out."""

    path: Path | None = None
    """The file it was read from (None when built from defaults only)."""
    default_feed: str = "timeline"
    """The feed the reader opens on."""
    export_dir: Path | None = None
    """Where the reader's export writes posts (None: the current folder)."""
    theme: str | None = None
    """The reader's colour theme by name (None: the default)."""
    mark_read: str = "shown+opened"
    """When a paper counts as read: ``shown[:SECONDS]``, ``opened``, ``shown+opened`` or ``never``."""
    keymap: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Binding id -> keys (comma separated), replacing the reader's defaults."""
    freshness: FreshnessSettings = field(default_factory=FreshnessSettings)
    """Cache freshness times."""
    base_urls: Mapping[str, str] = field(default_factory=lambda: DEFAULT_BASE_URLS)
    """Source name -> scheme and host of the service (or a mirror)."""
    live: LiveSettings = field(default_factory=LiveSettings)
    """How the live feed works."""
    credentials: Credentials = field(default_factory=Credentials)
    """Secrets, merged from the file and the environment."""

    def base_url(self, source: str) -> str:
        """The base URL for a source name of ``fetch.api.SOURCES``."""
        return self.base_urls[source]


def _type_name(kind: type | tuple[type, ...]) -> str:
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}
    names |= {tuple: "a list", date: "a date"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


class _Reader:
    """Checks one file's tables, naming the file and key in every complaint."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.path}: {key}: {message}")

    def table(
        self, data: Mapping[str, Any], name: str, allowed: list[str] | None, where: str = ""
    ) -> Mapping[str, Any]:
        """A sub-table; ``allowed`` None lets any key through."""
        value = data.get(name, {})
        key = f"{where}{name}"
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table [{key}], got {_shown(value)}")
        if allowed is not None:
            self.known(value, allowed, key + ".")
        return value

    def known(self, data: Mapping[str, Any], allowed: list[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                raise self.fail(f"{where}{key}", f"unknown setting; allowed here: {', '.join(allowed)}")

    def value(self, data: Mapping[str, Any], name: str, kind: type, default: Any, where: str = "") -> Any:
        if name not in data:
            return default
        value = data[name]
        # TOML integers are fine where a number is wanted; booleans are never numbers.
        ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if kind is tuple and isinstance(value, list):
            # A TOML array where the setting holds a sequence; its items are checked by the setting's dataclass.
            value, ok = tuple(value), True
        if not ok:
            raise self.fail(f"{where}{name}", f"expected {_type_name(kind)}, got {_shown(value)}")
        return value


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _dataclass_values(
    reader: _Reader, data: Mapping[str, Any], cls: type, where: str, names: Sequence[str] | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    defaults = cls()
    for f in fields(cls):
        if names is not None and f.name not in names:
            continue
        default = getattr(defaults, f.name)
        kind = type(default) if default is not None else str
        out[f.name] = reader.value(data, f.name, kind, default, where)
    return out


def _positive(reader: _Reader, values: Mapping[str, Any], where: str) -> None:
    for name, value in values.items():
        if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
            raise reader.fail(f"{where}{name}", f"expected a number >= 0, got {value!r}")


def config_from_toml(data: Mapping[str, Any], path: Path, env: Mapping[str, str] | None = None) -> Config:
    """Validate parsed TOML into a Config; raises ConfigError naming the key."""
    reader = _Reader(path)
    top = ["default_feed", "export_dir", "theme", "mark_read", "keymap", "freshness", "sources", "live", "credentials"]
    reader.known(data, top, "")
    default_feed = reader.value(data, "default_feed", str, "timeline")
    export_dir = reader.value(data, "export_dir", str, None)
    theme = reader.value(data, "theme", str, None)
    mark_read = reader.value(data, "mark_read", str, "shown+opened")
    try:
        ReadPolicy.parse(mark_read)
    except ValueError as exc:
        raise reader.fail("mark_read", str(exc)) from None

    keymap_table = reader.table(data, "keymap", None)
    keymap = {key: reader.value(keymap_table, key, str, "", "keymap.") for key in keymap_table}

    fresh_table = reader.table(data, "freshness", [f.name for f in fields(FreshnessSettings)])
    fresh_values = _dataclass_values(reader, fresh_table, FreshnessSettings, "freshness.")
    _positive(reader, fresh_values, "freshness.")

    sources_table = reader.table(data, "sources", list(SOURCES))
    base_urls = dict(DEFAULT_BASE_URLS)
    for name in sources_table:
        table = reader.table(sources_table, name, ["base_url"], "sources.")
        url = reader.value(table, "base_url", str, None, f"sources.{name}.")
        if url is not None:
            if not url.startswith(("http://", "https://")) or "?" in url or "#" in url:
                raise reader.fail(f"sources.{name}.base_url", f"expected an http:// or https:// URL, got {_shown(url)}")
            base_urls[name] = url.rstrip("/")

    live_table = reader.table(data, "live", list(TUNING_FIELDS))
    live_values = _dataclass_values(reader, live_table, LiveSettings, "live.", TUNING_FIELDS)
    _positive(reader, live_values, "live.")
    try:
        live = LiveSettings(**live_values)
    except ValueError as exc:
        raise reader.fail("live", str(exc)) from None

    cred_table = reader.table(data, "credentials", list(CREDENTIAL_ENV))
    cred_values = {name: reader.value(cred_table, name, str, None, "credentials.") for name in CREDENTIAL_ENV}
    environ = os.environ if env is None else env
    for name, var in CREDENTIAL_ENV.items():
        if environ.get(var):
            cred_values[name] = environ[var]

    return Config(
        path=path,
        default_feed=default_feed,
        export_dir=Path(export_dir).expanduser() if export_dir else None,
        theme=theme,
        mark_read=mark_read,
        keymap=MappingProxyType(keymap),
        freshness=FreshnessSettings(**fresh_values),
        base_urls=MappingProxyType(base_urls),
        live=live,
        credentials=Credentials(**cred_values),
    )


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """The settings from ``path`` (default: ``paths.config_path()``); defaults if the file is missing."""
    path = paths.config_path() if path is None else path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return config_from_toml({}, path, env)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    return config_from_toml(data, path, env)


def describe_config(config: Config) -> str:
    """The effective settings as TOML-like text; secrets appear only as "set" or "not set"."""

    def show(value: Any) -> str:
        if isinstance(value, tuple):
            return "[" + ", ".join(show(v) for v in value) + "]"
        if isinstance(value, date):
            return value.isoformat()  # a TOML date, which the file takes back as it is
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return repr(value)
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'

    if config.path is None:
        lines = ["# defaults"]
    elif config.path.exists():
        lines = [f"# from {config.path}"]
    else:
        lines = [f"# defaults ({config.path} does not exist)"]
    lines.append(f"default_feed = {show(config.default_feed)}")
    unset_export = "# export_dir: not set (current folder)"
    lines.append(f"export_dir = {show(config.export_dir)}" if config.export_dir else unset_export)
    lines.append(f"theme = {show(config.theme)}" if config.theme else "# theme: not set (the default)")
    lines.append(f"mark_read = {show(config.mark_read)}")
    lines += ["", "[keymap]"]
    lines += [f"{key} = {show(keys)}" for key, keys in sorted(config.keymap.items())]
    lines += ["", "[freshness]"]
    lines += [f"{f.name} = {show(getattr(config.freshness, f.name))}" for f in fields(FreshnessSettings)]
    for name in SOURCES:
        lines += ["", f"[sources.{name}]", f"base_url = {show(config.base_urls[name])}"]
    lines += ["", "[live]"]
    lines += [f"{name} = {show(getattr(config.live, name))}" for name in TUNING_FIELDS]
    lines += ["", "[credentials]"]
    for f in fields(Credentials):
        state = "set" if getattr(config.credentials, f.name) else "not set"
        lines.append(f"{f.name} = {state}  # env {CREDENTIAL_ENV[f.name]}")
    return "\n".join(lines) + "\n"
