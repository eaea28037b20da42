"""The config file: defaults, valid settings, and errors naming the file, the key and what is allowed."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest

from hotpapers_tui import config as config_module
from hotpapers_tui.cli import main
from hotpapers_tui.config import (
    DEFAULT_BASE_URLS,
    MAX_LISTING_HOURS,
    MAX_LIVE_MINUTES,
    Config,
    ConfigError,
    Credentials,
    base_url_problem,
    describe_config,
    live_settings,
    load_config,
)
from hotpapers_tui.fetch.api import SOURCES
from hotpapers_tui.fetch.client import open_fetcher
from hotpapers_tui.keymap import BINDINGS
from hotpapers_tui.keynames import character_for, key_problem, keys_problem
from hotpapers_tui.live import settings as live_settings_module
from hotpapers_tui.live.settings import TUNING_FIELDS, LiveSettings

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
        (
            "defualt_feed = 'x'",
            r"defualt_feed: unknown setting; did you mean default_feed\? allowed here: default_feed, ",
        ),
        ("[live]\nwindow_days = 'two'", r"live\.window_days: expected an integer, got 'two'"),
        ("[live]\nwindow_days = 2.5", r"live\.window_days: expected an integer, got 2\.5"),
        ("[live]\ninclude_all_mentioned = 1", r"live\.include_all_mentioned: expected true or false, got 1"),
        ("[live]\nweight_likes = true", r"live\.weight_likes: expected a number, got True"),
        (
            "[live]\nmax_post = 3",
            r"live\.max_post: unknown setting; did you mean max_posts\? allowed here: window_days, ",
        ),
        ("[live]\nmax_posts = -1", r"live\.max_posts: must be at least 1, not -1"),
        (
            "[sources.arxive]\nbase_url = 'http://x'",
            r"sources\.arxive: unknown setting; did you mean arxiv\? allowed here: github_api, ",
        ),
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


# --- values that used to load and crash later -------------------------------------------------


@pytest.mark.parametrize("key", ["listing_hours", "live_minutes"])
@pytest.mark.parametrize(
    ("value", "shown"), [("inf", "inf"), ("nan", "nan"), ("-inf", "-inf"), ("3e10", "30000000000.0")]
)
def test_freshness_must_be_a_finite_time_within_a_year(tmp_path: Path, key: str, value: str, shown: str) -> None:
    path = write(tmp_path, f"[freshness]\n{key} = {value}\n")
    with pytest.raises(
        ConfigError, match=rf"^{path}: freshness\.{key}: expected a (finite )?number (>=|<=) \d+, got {shown}$"
    ):
        load_config(path, env={})


def test_freshness_at_its_bounds_builds_a_fetcher(tmp_path: Path) -> None:
    path = write(tmp_path, f"[freshness]\nlisting_hours = {MAX_LISTING_HOURS}\nlive_minutes = {MAX_LIVE_MINUTES}\n")
    config = load_config(path, env={})
    fetcher = open_fetcher(config, cache=None)
    assert fetcher.ttl  # timedelta(hours=...) did not overflow


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[live]\nweight_likes = inf", r"live\.weight_likes: must be a finite number, not inf"),
        ("[live]\nweight_hn_points = nan", r"live\.weight_hn_points: must be a finite number, not nan"),
        ("[live]\nwindow_days = 30000000000", r"live\.window_days: must be at most 366, not 30000000000"),
        ("[live]\nmin_paper_score = 9999999999999", r"live\.min_paper_score: must be at most 1,000,000,000"),
        ("[live]\nmax_posts = 0", r"live\.max_posts: must be at least 1, not 0"),
    ],
)
def test_live_values_are_bounded(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=rf"^{path}: {expected}"):
        load_config(path, env={})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:99999", r"not a valid URL \(Port out of range 0-65535\)"),
        ("http://[::1", r"not a valid URL \(Invalid IPv6 URL\)"),
        ("http://[not-v6]:80", r"not a valid URL \('not-v6' does not appear to be an IPv4 or IPv6 address\)"),
        ("http://host:port", r"not a valid URL"),
        ("http://", r"no host in the URL"),
        ("http://:80", r"no host in the URL"),
        (
            "http://me:secret@example.org",
            r"a base URL carries no user name or password .*, got 'http://\.\.\.@example\.org'$",
        ),
        ("http://exa mple.org", r"spaces and control characters"),
        ("http://example.org\n", r"spaces and control characters"),
        ("http://-bad-.org", r"'-bad-\.org' is not a host name"),
        ("http://a..b", r"'a\.\.b' is not a host name"),
        ("https://xn--zz.org", r"'xn--zz\.org' is not a host name"),  # not punycode: httpx raised IDNAError
        ("https://example.org:0", r"port 0"),
    ],
)
def test_base_urls_that_cannot_be_asked_are_refused(tmp_path: Path, url: str, expected: str) -> None:
    path = write(tmp_path, f"[sources.arxiv]\nbase_url = {json.dumps(url)}\n")
    with pytest.raises(ConfigError, match=rf"^{path}: sources\.arxiv\.base_url: {expected}"):
        load_config(path, env={})
    assert base_url_problem(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/",
        "https://[::1]:8443",
        "https://mirror.example.org/prefix/",
        "http://localhost:65535",
        "https://bücher.example",
        "https://xn--bcher-kva.example",
    ],
)
def test_base_urls_that_load_make_requests(tmp_path: Path, url: str) -> None:
    config = load_config(write(tmp_path, f"[sources.arxiv]\nbase_url = {json.dumps(url)}\n"), env={})
    request = httpx.Request("GET", httpx.URL(config.base_url("arxiv") + "/api/query").copy_merge_params({"q": "x"}))
    assert request.url.host


def test_the_console_script_reports_a_bad_url_as_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[sources.github_api]\nbase_url = "http://127.0.0.1:99999"\n')
    monkeypatch.setenv("HOTPAPERS_CONFIG", str(path))
    for argv in (["days", "--feed", "archive"], ["config", "show"]):
        assert main(argv) == 1


@pytest.mark.parametrize("variable", ["HOTPAPERS_CONFIG", "HOTPAPERS_CACHE_DIR", "HOTPAPERS_DATA_DIR"])
def test_an_unknown_user_in_a_path_variable_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "~nosuchuser-hotpapers/x")
    for argv in (["config", "show"], ["days", "--feed", "sample"]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert (
            err == f"hotpapers-tui: {variable}: cannot expand '~nosuchuser-hotpapers/x': no such user's home folder\n"
        )


def test_an_unknown_user_in_export_dir(tmp_path: Path) -> None:
    path = write(tmp_path, 'export_dir = "~nosuchuser-hotpapers/posts"\n')
    with pytest.raises(ConfigError, match=rf"^{path}: export_dir: cannot expand"):
        load_config(path, env={})


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ('""', r"no key given"),
        ('" , "', r"an empty key name"),
        ('"ctrl+shift+alt+nonsense"', r"'nonsense' is not a key name"),
        ('"ctrl+"', r"no key after the modifiers"),
        ('"ctrl+ctrl+a"', r"a modifier given twice"),
        ('"control+a"', r"'control' is not a modifier"),
        ('"Escape"', r"'Escape' is not a key name"),
        ('"n,\\t"', r"an empty key name"),
        ('"n,\\u0007"', r"'\\x07' is not a key name"),
    ],
)
def test_keymap_keys_must_be_textual_key_names(tmp_path: Path, keys: str, expected: str) -> None:
    path = write(tmp_path, f"[keymap]\nnext_day = {keys}\n")
    with pytest.raises(ConfigError, match=rf"^{path}: keymap\.next_day: .*{expected}"):
        load_config(path, env={})


def test_keymap_ids_must_name_a_binding(tmp_path: Path) -> None:
    path = write(tmp_path, '[keymap]\nnext_dya = "n"\n')
    with pytest.raises(
        ConfigError,
        match=rf"^{path}: keymap\.next_dya: unknown setting; did you mean next_day\? allowed here: cursor_down, ",
    ):
        load_config(path, env={})


@pytest.mark.parametrize(
    "keys", ["n", "R,ctrl+r", "question_mark", "f12", "ctrl+shift+up", "[", "left_square_bracket", "shift+tab", "comma"]
)
def test_good_keymap_keys_load(tmp_path: Path, keys: str) -> None:
    config = load_config(write(tmp_path, f"[keymap]\nnext_day = {json.dumps(keys)}\n"), env={})
    assert config.keymap["next_day"] == keys


def test_key_names_agree_with_textual() -> None:
    """The core's list of key names, checked against Textual's own (this test may import it)."""
    from textual.keys import Keys, _character_to_key, key_to_character

    for key in Keys:
        name = key.value
        if name.startswith("<") or name == "ctrl-at":
            continue
        assert key_problem(name) is None, name
    for code in range(0x21, 0x7F):
        name = _character_to_key(chr(code))
        assert key_problem(name) is None, name
        # Textual reads its short names (plus, minus) only as key names; where it maps a name, both agree.
        if key_to_character(name) is not None:
            assert key_to_character(name) == character_for(name), name
    for binding in BINDINGS:
        assert keys_problem(binding.keys) is None, binding.id


def test_a_large_config_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "# " + "x" * (1024 * 1024) + "\n")
    with pytest.raises(ConfigError, match=rf"^{path}: config file is larger than 1 MB"):
        load_config(path, env={})


# --- the [live] table belongs to the live feature --------------------------------------------


def test_live_settings_do_not_import_the_config() -> None:
    source = Path(live_settings_module.__file__ or "").read_text(encoding="utf-8")
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    # The feature may use its own modules (the calendar), never the config.
    assert not any(name and name.startswith("hotpapers_tui.config") for name in imported), imported
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, hotpapers_tui.live.settings; print('hotpapers_tui.config' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "False"


def test_new_live_fields_flow_through_from_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    @dataclass(frozen=True, slots=True)
    class Extended(LiveSettings):
        extra_holidays: tuple[date, ...] = ()
        earliest_day: date = date(2023, 5, 4)

    tuning = (*TUNING_FIELDS, "extra_holidays", "earliest_day")
    monkeypatch.setattr(config_module, "LiveSettings", Extended)
    monkeypatch.setattr(config_module, "TUNING_FIELDS", tuning)
    path = write(tmp_path, "[live]\nextra_holidays = [2024-01-02, 2024-12-24]\nearliest_day = 2023-06-01\n")
    config = load_config(path, env={})
    assert isinstance(config.live, Extended)
    assert config.live.extra_holidays == (date(2024, 1, 2), date(2024, 12, 24))
    assert config.live.earliest_day == date(2023, 6, 1)
    assert "extra_holidays = [2024-01-02, 2024-12-24]" in describe_config(config)
    bad = write(tmp_path, '[live]\nearliest_day = "June"\n')
    with pytest.raises(ConfigError, match=rf"^{bad}: live\.earliest_day: "):
        load_config(bad, env={})
    bad = write(tmp_path, "[live]\nextra_holidays = 2024-01-02\n")
    with pytest.raises(ConfigError, match=rf"^{bad}: live\.extra_holidays: expected a list, got "):
        load_config(bad, env={})


def test_live_settings_come_from_the_config_and_the_credentials(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), env={"HOTPAPERS_X_BEARER_TOKEN": "tok-1"})
    settings = live_settings(config, lookup=lambda name: None)
    assert settings.window_days == 3 and settings.max_posts == 4
    assert settings.x_bearer_token == "tok-1" and settings.bluesky_handle == "me.bsky.social"


@pytest.mark.parametrize("value", ['"two words"', '"line\\nbreak"', '""', '"tab\\there"'])
def test_a_credential_that_cannot_be_a_header_is_refused_without_showing_it(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, f"[credentials]\nx_bearer_token = {value}\n")
    with pytest.raises(ConfigError, match=rf"^{path}: credentials\.x_bearer_token: .*\(value not shown\)$") as caught:
        load_config(path, env={})
    for word in ("two", "words", "line", "break", "tab", "here"):
        assert word not in str(caught.value).replace("line without", "")


# --- a config folder that cannot be entered --------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="permissions are made to bite in a forked child")
def test_a_config_folder_that_cannot_be_entered_is_said_as_it_is() -> None:
    import contextlib
    import io
    import shutil
    import tempfile

    from tests.library.conftest import in_unprivileged_child

    shared = Path(tempfile.mkdtemp(prefix="hotpapers-config-test-"))
    try:
        shared.chmod(0o755)
        locked = shared / "locked"
        locked.mkdir(mode=0o700)  # the tests run as root: the child, as nobody, cannot enter it
        (shared / "open").mkdir(mode=0o755)
        unreadable = shared / "open" / "config.toml"
        unreadable.write_text('theme = "nord"\n', encoding="utf-8")
        unreadable.chmod(0o600)
        absent = locked / "config.toml"

        def attempt() -> dict[str, object]:
            found: dict[str, object] = {}
            for name, path in (("absent", absent), ("unreadable", unreadable)):
                try:
                    load_config(path, env={})
                    found[name] = "loaded"
                except ConfigError as exc:
                    found[name] = str(exc)
            err = io.StringIO()
            os.environ["HOTPAPERS_CONFIG"] = str(absent)
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())):
                found["path"] = main(["config", "path"])
                found["days"] = main(["days", "--feed", "sample"])
            found["stderr"] = err.getvalue()
            return found

        found = in_unprivileged_child(attempt)
    finally:
        shutil.rmtree(shared)
    # The file may well be absent: what is true is that the folder cannot be entered, so it cannot be known.
    assert found["absent"] == (
        f"{absent}: cannot tell whether a config file is there: the folder {locked} cannot be entered "
        "(Permission denied); make it enterable, or set HOTPAPERS_CONFIG to a config file elsewhere"
    )
    # A file that is there but cannot be read is said as such.
    assert found["unreadable"] == f"{unreadable}: cannot read the config file (Permission denied)"
    # An error, not the defaults: settings the user may rely on (base URLs, the feed) are never ignored unseen.
    assert found["path"] == 0 and found["days"] == 1
    assert found["stderr"] == (
        f"hotpapers-tui: the folder {locked} cannot be entered: whether the file is there cannot be known, "
        "and every command stops until it can\n"
        f"hotpapers-tui: {found['absent']}\n"
    )
