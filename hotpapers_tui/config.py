"""The user's settings: a TOML file read into a frozen, validated Config with defaults."""

from __future__ import annotations

import dataclasses
import difflib
import ipaddress
import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

import msgspec

from hotpapers_tui import paths
from hotpapers_tui.fetch.api import SOURCES, header_problem
from hotpapers_tui.keymap import BINDINGS
from hotpapers_tui.keynames import keys_problem
from hotpapers_tui.library.marks import ReadPolicy
from hotpapers_tui.live.settings import CREDENTIAL_FIELDS, TUNING_FIELDS, LiveCredentials, LiveSettings
from hotpapers_tui.localfile import MAX_CONFIG_BYTES, FileRefused, closed_folder, read_regular_file

T = TypeVar("T")

DEFAULT_BASE_URLS: Mapping[str, str] = MappingProxyType(
    {
        "github_api": "https://api.github.com",
        "github_raw": "https://raw.githubusercontent.com",
        "arxiv": "https://export.arxiv.org",
        "huggingface": "https://huggingface.co",
        "hackernews": "https://hn.algolia.com",
        "bluesky": "https://bsky.social",
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
"""Environment variables for the credentials; they win over the keyring and the ``[credentials]`` table."""

MAX_LISTING_HOURS = 24 * 366
MAX_LIVE_MINUTES = 60 * 24 * 366


class ConfigError(Exception):
    """The config file cannot be used; the message names the file, the key and what is allowed."""


@dataclass(frozen=True, slots=True)
class FreshnessSettings:
    """How long cached answers stay good, by meaning."""

    listing_hours: Annotated[float, msgspec.Meta(ge=0, le=MAX_LISTING_HOURS)] = 24.0
    """A listing of posts (the archive's days) is refetched after this many hours (0 to a year)."""
    live_minutes: Annotated[float, msgspec.Meta(ge=0, le=MAX_LIVE_MINUTES)] = 30.0
    """A live day's attention counts are refetched after this many minutes (0 to a year)."""


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
    """How the live feed works (its ``[live]`` table; the credentials are added by :func:`live_settings`)."""
    credentials: Credentials = field(default_factory=Credentials)
    """Secrets from the environment and the file (the environment wins); see :func:`effective_credentials`."""
    credentials_from_env: frozenset[str] = frozenset()
    """The credential names the environment set: the keyring is not asked for those."""

    def base_url(self, source: str) -> str:
        """The base URL for a source name of ``fetch.api.SOURCES``."""
        return self.base_urls[source]


# -- the file's tables, declared --------------------------------------------------------------
#
# Each table is converted by msgspec into a declared structure: the types (numbers,
# dates, lists) and ranges live next to the fields, and a field the live feature adds
# to LiveSettings is read from [live] with no change here. Unknown keys are checked
# first so the message can list what is allowed; msgspec's errors are reworded in TOML
# terms (the key's dotted name, the value found).


class _TopLevel(msgspec.Struct, frozen=True):
    default_feed: Annotated[str, msgspec.Meta(min_length=1)] = "timeline"
    export_dir: Annotated[str, msgspec.Meta(min_length=1)] | None = None
    theme: Annotated[str, msgspec.Meta(min_length=1)] | None = None
    mark_read: str = "shown+opened"


class _SourceTable(msgspec.Struct, frozen=True):
    base_url: str | None = None


_TABLES = ("keymap", "freshness", "sources", "live", "credentials")
_TOP_KEYS = [*(f.name for f in msgspec.structs.fields(_TopLevel)), *_TABLES]

_TYPE_WORDS = {
    "int": "an integer",
    "float": "a number",
    "str": "a string",
    "bool": "true or false",
    "object": "a table",
    "array": "a list",
    "date": "a date (YYYY-MM-DD)",
    "datetime": "a date and time",
    "time": "a time",
}

_EXPECTED = re.compile(r"^Expected `([^`]*)`(?:, got `([^`]*)`)?(.*?)(?: - at `\$(.*)`)?$", re.S)
_UNKNOWN_FIELD = re.compile(r"^Object contains unknown field `([^`]*)`(?: - at `\$(.*)`)?$")
_AT = re.compile(r"^(.*) - at `\$(.*)`$", re.S)


def _shown(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()  # as the file writes it
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _type_words(kinds: str) -> str:
    words = [_TYPE_WORDS.get(kind.strip(), kind.strip()) for kind in kinds.split("|") if kind.strip() != "null"]
    return " or ".join(words)


def _key_path(where: str, path: str) -> tuple[str, list[str]]:
    """A dotted TOML key from a table prefix and msgspec's ``.a.b[0]`` path."""
    parts = [p for p in re.split(r"[.\[\]]", path) if p]
    return ".".join([where, *parts] if where else parts), parts


def _value_at(data: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _unknown(key: str, allowed: list[str]) -> str:
    """The message for an unknown key: the likeliest intended name first, then every allowed one."""
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return f"unknown setting; {hint}allowed here: {', '.join(allowed)}"


class _Reader:
    """Converts one file's tables, naming the file and key in every complaint."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{paths.shown(self.path)}: {key}: {message}" if key else f"{self.path}: {message}")

    def table(self, data: Mapping[str, Any], name: str, where: str = "") -> dict[str, Any]:
        value = data.get(name, {})
        key = f"{where}{name}"
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table [{key}], got {_shown(value)}")
        return value

    def known(self, data: Mapping[str, Any], allowed: list[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                raise self.fail(f"{where}{key}", _unknown(key, allowed))

    def convert(self, data: Mapping[str, Any], kind: type[T], where: str, allowed: list[str] | None = None) -> T:
        """``data`` (one table) as ``kind``; unknown keys and wrong values become ConfigError."""
        prefix = f"{where}." if where else ""
        names = allowed if allowed is not None else [f.name for f in _fields_of(kind)]
        self.known(data, names, prefix)
        try:
            return msgspec.convert(dict(data), type=kind)
        except msgspec.ValidationError as exc:
            raise self._reworded(str(exc), data, where, names) from None

    def _reworded(self, message: str, data: Mapping[str, Any], where: str, names: list[str]) -> ConfigError:
        unknown = _UNKNOWN_FIELD.match(message)
        if unknown:
            key, _ = _key_path(where, f"{unknown.group(2) or ''}.{unknown.group(1)}")
            return self.fail(key, _unknown(unknown.group(1), names))
        expected = _EXPECTED.match(message)
        if expected:
            key, parts = _key_path(where, expected.group(4) or "")
            value = _value_at(data, parts)
            bound = expected.group(3).strip()
            if bound:
                # A range or length constraint: "Expected `float` <= 8784.0".
                bound = re.sub(r"(\d+)\.0\b", r"\1", bound)
                words = _type_words(expected.group(1))
                if isinstance(value, float) and not math.isfinite(value):
                    words = f"a finite {words.removeprefix('a ')}"
                return self.fail(key, f"expected {words} {bound}, got {_shown(value)}")
            return self.fail(key, f"expected {_type_words(expected.group(1))}, got {_shown(value)}")
        at = _AT.match(message)
        if at and at.group(1).strip().startswith("Invalid RFC3339 encoded date"):
            # A string where a date belongs: say so in TOML's terms, with the value found.
            key, parts = _key_path(where, at.group(2))
            return self.fail(key, f"expected a date (YYYY-MM-DD), got {_shown(_value_at(data, parts))}")
        if at:
            key, _ = _key_path(where, at.group(2))
            return self.fail(key, at.group(1).strip()[:1].lower() + at.group(1).strip()[1:])
        # A check of the structure itself (LiveSettings.__post_init__) names the field first.
        first = message.split(" ", 1)[0]
        if first in names:
            return self.fail(f"{where}.{first}" if where else first, message.split(" ", 1)[1])
        return self.fail(where, message)


def _fields_of(kind: type) -> list[Any]:
    if dataclasses.is_dataclass(kind):
        return list(dataclasses.fields(kind))
    return list(msgspec.structs.fields(kind))


# Used with fullmatch: "$" would also accept a label ending in a newline.
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a source's base URL, or None when it can."""
    if not url.startswith(("http://", "https://")):
        return "expected an http:// or https:// URL"
    if any(c.isspace() or not c.isprintable() for c in url):
        return "spaces and control characters are not allowed in a URL"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.query or parts.fragment or "?" in url or "#" in url:
        return "a base URL has no ?query or #fragment"
    if "@" in parts.netloc:
        return "a base URL carries no user name or password (secrets belong in [credentials])"
    host = parts.hostname or ""
    if not host:
        return "no host in the URL"
    if port is not None and port == 0:
        return "port 0 is not a port to connect to"
    if "[" in parts.netloc:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return f"{host!r} is not an IPv6 address"
    elif not all(_HOST_LABEL.fullmatch(label) for label in host.rstrip(".").split(".")):
        try:
            host.encode("idna")
        except UnicodeError:
            return f"{host!r} is not a host name"
        if not all(label and not label.startswith("-") for label in host.rstrip(".").split(".")):
            return f"{host!r} is not a host name"
    else:
        try:
            host.encode("ascii").decode("idna")  # an "xn--" label must be punycode
        except UnicodeError:
            return f"{host!r} is not a host name"
    return None


def secret_problem(value: str) -> str | None:
    """Why ``value`` cannot be a credential, or None.

    A token goes into an HTTP header, which carries visible ASCII only (httpx refuses
    anything else); handles are ASCII domain names and app passwords are generated in
    ASCII, so every credential is held to the same rule.
    """
    if not value.strip():
        return "empty"
    inner = value.strip(" ")
    if any(c.isspace() or not c.isprintable() for c in inner):
        return "must be one line without spaces or control characters"
    if not inner.isascii() or header_problem(inner) is not None:
        return "must be ASCII characters only (it is sent in an HTTP request)"
    return None


def _check_credential(reader: _Reader, name: str, value: str | None, where: str) -> str | None:
    if value is None:
        return None
    problem = secret_problem(value)
    if problem is not None:
        # The value itself is never repeated: it is a secret.
        raise reader.fail(where, f"{problem} (value not shown)")
    return value.strip(" ")


def config_from_toml(data: Mapping[str, Any], path: Path, env: Mapping[str, str] | None = None) -> Config:
    """Validate parsed TOML into a Config; raises ConfigError naming the key."""
    reader = _Reader(path)
    reader.known(data, _TOP_KEYS, "")
    top = reader.convert({k: v for k, v in data.items() if k not in _TABLES}, _TopLevel, "", _TOP_KEYS)
    try:
        ReadPolicy.parse(top.mark_read)
    except ValueError as exc:
        raise reader.fail("mark_read", str(exc)) from None
    try:
        export_dir = paths.expand(top.export_dir, "export_dir") if top.export_dir else None
    except paths.PathError as exc:
        raise reader.fail("", str(exc)) from None

    keymap = reader.table(data, "keymap")
    reader.known(keymap, [b.id for b in BINDINGS], "keymap.")
    for binding_id, keys in keymap.items():
        if not isinstance(keys, str):
            raise reader.fail(f"keymap.{binding_id}", f"expected a string, got {_shown(keys)}")
        problem = keys_problem(keys)
        if problem is not None:
            raise reader.fail(f"keymap.{binding_id}", f"{_shown(keys)}: {problem}")

    freshness = reader.convert(reader.table(data, "freshness"), FreshnessSettings, "freshness")

    sources_table = reader.table(data, "sources")
    reader.known(sources_table, list(SOURCES), "sources.")
    base_urls = dict(DEFAULT_BASE_URLS)
    for name in sources_table:
        table = reader.convert(reader.table(sources_table, name, "sources."), _SourceTable, f"sources.{name}")
        if table.base_url is not None:
            problem = base_url_problem(table.base_url)
            if problem is not None:
                # A user:password@ part is a secret: it is never repeated.
                url = re.sub(r"//[^/@]*@", "//...@", table.base_url)
                raise reader.fail(f"sources.{name}.base_url", f"{problem}, got {_shown(url)}")
            base_urls[name] = table.base_url.rstrip("/")

    live = reader.convert(reader.table(data, "live"), LiveSettings, "live", list(TUNING_FIELDS))

    creds_file = reader.convert(reader.table(data, "credentials"), Credentials, "credentials")
    values = {
        name: _check_credential(reader, name, getattr(creds_file, name), f"credentials.{name}")
        for name in CREDENTIAL_ENV
    }
    environ = os.environ if env is None else env
    from_env: set[str] = set()
    env_reader = _Reader(Path("environment"))
    for name, var in CREDENTIAL_ENV.items():
        if environ.get(var):
            values[name] = _check_credential(env_reader, name, environ[var], var)
            from_env.add(name)

    return Config(
        path=path,
        default_feed=top.default_feed,
        export_dir=export_dir,
        theme=top.theme,
        mark_read=top.mark_read,
        keymap=MappingProxyType(dict(keymap)),
        freshness=freshness,
        base_urls=MappingProxyType(base_urls),
        live=live,
        credentials=Credentials(**values),
        credentials_from_env=frozenset(from_env),
    )


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """The settings from ``path`` (default: ``paths.config_path()``); defaults if the file is missing.

    The folders the environment names are checked too, so that a bad ``HOTPAPERS_*``
    value is one clear error at the start rather than a failure later.
    """
    try:
        paths.check_environment()
        path = paths.config_path() if path is None else path
    except paths.PathError as exc:
        raise ConfigError(str(exc)) from None
    try:
        raw = read_regular_file(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        return config_from_toml({}, path, env)
    except FileRefused as exc:
        raise ConfigError(f"{paths.shown(path)}: config file {exc}") from None
    except PermissionError as exc:
        folder = closed_folder(path)
        if folder is None:
            raise ConfigError(f"{paths.shown(path)}: cannot read the config file ({exc.strerror or exc})") from None
        # Not the defaults: a config that may hold the user's base URLs, feed and credentials is not ignored unseen.
        raise ConfigError(
            f"{paths.shown(path)}: cannot tell whether a config file is there: the folder {paths.shown(folder)} "
            f"cannot be entered ({exc.strerror or exc}); make it enterable, or set {paths.CONFIG_ENV} "
            "to a config file elsewhere"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{paths.shown(path)}: cannot read the config file ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{paths.shown(path)}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{paths.shown(path)}: not valid TOML ({exc})") from None
    return config_from_toml(data, path, env)


# -- credentials and the live feature's settings ----------------------------------------------

Lookup = Callable[[str], "str | None"]
"""Reads one stored credential by name (the keyring), None when it has none."""


def effective_credentials(config: Config, lookup: Lookup | None = None) -> tuple[Credentials, Mapping[str, str]]:
    """The credentials in effect and where each came from (``environment``, ``keyring``, ``config file``).

    The environment wins, then the keyring (``hotpapers-tui login``), then the file's
    ``[credentials]`` table. The keyring is asked only for what the environment leaves
    unset, and only here: importing and asking it costs time no other command should pay.
    """
    if lookup is None:
        from hotpapers_tui.keychain import stored

        lookup = stored
    values: dict[str, str | None] = {}
    origin: dict[str, str] = {}
    for name in CREDENTIAL_ENV:
        value = getattr(config.credentials, name)
        if name in config.credentials_from_env:
            values[name], origin[name] = value, "environment"
            continue
        kept = lookup(name)
        # A value another program left unusable (a line break would break the request's headers) is passed over.
        if kept and secret_problem(kept) is None:
            values[name], origin[name] = kept.strip(" "), "keyring"
        elif value:
            values[name], origin[name] = value, "config file"
        else:
            values[name] = None
    return Credentials(**values), MappingProxyType(origin)


def live_settings(config: Config, lookup: Lookup | None = None) -> LiveSettings:
    """The live feed's settings: the ``[live]`` table and the credentials in effect.

    The credentials are looked up (in the order of :func:`effective_credentials`) the first
    time one is read, not here: opening a feed must not wait on the keyring.
    """

    def credentials() -> Mapping[str, str | None]:
        creds, _ = effective_credentials(config, lookup)
        return {name: getattr(creds, name) for name in CREDENTIAL_FIELDS}

    return dataclasses.replace(config.live, credentials=LiveCredentials(lookup=credentials))


# -- showing ------------------------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | frozenset | set):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = paths.shown(str(value))
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def describe_config(config: Config, origin: Mapping[str, str] | None = None) -> str:
    """The effective settings as TOML-like text; secrets appear only as "set" or "not set".

    ``origin`` says where each credential comes from (see :func:`effective_credentials`);
    without it, the environment and the file are described.
    """
    show = _toml_value
    if config.path is None:
        lines = ["# defaults"]
    elif config.path.exists():
        lines = [f"# from {paths.shown(config.path)}"]
    else:
        lines = [f"# defaults ({paths.shown(config.path)} does not exist)"]
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
    if origin is None:
        origin = {
            name: "environment" if name in config.credentials_from_env else "config file"
            for name in CREDENTIAL_ENV
            if getattr(config.credentials, name)
        }
    for name, var in CREDENTIAL_ENV.items():
        where = origin.get(name)
        state = f"set  # from the {where}; env {var}" if where else f"not set  # env {var}"
        lines.append(f"{name} = {state}")
    return "\n".join(lines) + "\n"
