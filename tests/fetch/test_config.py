"""The config file: defaults, valid settings, and errors naming the file, the key and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotpapers_tui.config import (
    DEFAULT_BASE_URLS,
    Config,
    ConfigError,
    Credentials,
    describe_config,
    load_config,
)
from hotpapers_tui.fetch.api import SOURCES

GOOD = """
default_feed = "archive"
export_dir = "~/posts"
theme = "nord"

[keymap]
refresh = "R,ctrl+r"

[freshness]
listing_hours = 6
live_minutes = 15.5

[sources.arxiv]
base_url = "http://127.0.0.1:8080/"

[live]
window_days = 3
include_all_mentioned = true
weight_likes = 0.5
max_posts = 4

[credentials]
bluesky_handle = "me.bsky.social"
bluesky_app_password = "file-secret-1234"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_source_has_a_real_default_host() -> None:
    assert set(DEFAULT_BASE_URLS) == set(SOURCES)
    assert all(url.startswith("https://") for url in DEFAULT_BASE_URLS.values())
    config = load_config(Path("/nonexistent/config.toml"), env={})
    assert config.default_feed == "timeline" and config.base_url("arxiv") == "https://export.arxiv.org"
    assert config.live.window_days == 2 and config.live.min_paper_score == 5
    assert config.live.x_max_posts_per_build == 100
    assert config.freshness.listing_hours == 24


def test_good_file_is_read(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), env={})
    assert config.default_feed == "archive" and config.theme == "nord"
    assert config.export_dir == Path("~/posts").expanduser()
    assert dict(config.keymap) == {"refresh": "R,ctrl+r"}
    assert config.freshness.listing_hours == 6.0 and config.freshness.live_minutes == 15.5
    assert config.base_url("arxiv") == "http://127.0.0.1:8080"
    assert config.base_url("github_raw") == DEFAULT_BASE_URLS["github_raw"]
    assert config.live.window_days == 3 and config.live.include_all_mentioned is True
    assert config.live.weight_likes == 0.5 and config.live.weight_reposts == 1.0 and config.live.max_posts == 4
    assert config.credentials.bluesky_handle == "me.bsky.social"
    assert config.credentials.x_bearer_token is None


def test_environment_overrides_secrets_and_they_are_never_shown(tmp_path: Path) -> None:
    env = {"HOTPAPERS_X_BEARER_TOKEN": "env-token-5678", "HOTPAPERS_BLUESKY_APP_PASSWORD": "env-pass-9999"}
    config = load_config(write(tmp_path, GOOD), env=env)
    assert config.credentials.x_bearer_token == "env-token-5678"
    assert config.credentials.bluesky_app_password == "env-pass-9999"
    shown = describe_config(config) + repr(config) + str(config.credentials)
    for secret in ("env-token-5678", "env-pass-9999", "file-secret-1234", "me.bsky.social"):
        assert secret not in shown
    assert "x_bearer_token = set" in describe_config(config)
    assert repr(Credentials()) == (
        "Credentials(bluesky_handle=not set, bluesky_app_password=not set, x_bearer_token=not set)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("defualt_feed = 'x'", r"defualt_feed: unknown setting; allowed here: default_feed, "),
        ("[live]\nwindow_days = 'two'", r"live\.window_days: expected an integer, got 'two'"),
        ("[live]\nwindow_days = 2.5", r"live\.window_days: expected an integer, got 2\.5"),
        ("[live]\ninclude_all_mentioned = 1", r"live\.include_all_mentioned: expected true or false, got 1"),
        ("[live]\nweight_likes = true", r"live\.weight_likes: expected a number, got True"),
        ("[live]\nmax_post = 3", r"live\.max_post: unknown setting; allowed here: window_days, "),
        ("[live]\nmax_posts = -1", r"live\.max_posts: expected a number >= 0"),
        ("[sources.arxive]\nbase_url = 'http://x'", r"sources\.arxive: unknown setting; allowed here: github_api, "),
        ("[sources.arxiv]\nurl = 'http://x'", r"sources\.arxiv\.url: unknown setting; allowed here: base_url"),
        ("[sources.arxiv]\nbase_url = 'ftp://x'", r"sources\.arxiv\.base_url: expected an http:// or https:// URL"),
        ("[sources]\narxiv = 'http://x'", r"sources\.arxiv: expected a table \[sources\.arxiv\]"),
        ("keymap = 'R'", r"keymap: expected a table \[keymap\]"),
        ("[keymap]\nrefresh = 1", r"keymap\.refresh: expected a string, got 1"),
        ("[credentials]\ntoken = 'x'", r"credentials\.token: unknown setting; allowed here: bluesky_handle, "),
        ("[freshness]\nlive_minutes = '5'", r"freshness\.live_minutes: expected a number, got '5'"),
        ("theme = [1]", r"theme: expected a string, got \[1\]"),
        ('theme = "x"\ndefault_feed = = 1', r"not valid TOML \(.*line 2"),
    ],
)
def test_errors_name_file_key_and_what_is_allowed(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=rf"^{path}: {expected}"):
        load_config(path, env={})


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"theme = '\xff'")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path, env={})


def test_config_is_frozen() -> None:
    config = Config()
    with pytest.raises(AttributeError):
        config.default_feed = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.base_urls["arxiv"] = "http://x"  # type: ignore[index]
