"""Credentials: login and logout through the keyring, the order they are taken in, and no secret ever shown."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from hotpapers_tui.cli import main
from hotpapers_tui.config import ConfigError, effective_credentials, live_settings, load_config
from hotpapers_tui.fetch.api import FetchError, Freshness
from hotpapers_tui.fetch.cache import AnswerCache
from hotpapers_tui.fetch.client import HttpFetcher, RetryPolicy
from hotpapers_tui.keychain import SERVICE, store
from tests.conftest import MemoryKeyring

ENV_SECRET = "env-secret-Zq81"
KEYRING_SECRET = "keyring-secret-Wm27"
FILE_SECRET = "file-secret-Hx55"
HANDLE = "someone-Pk33.bsky.social"
SECRETS = (ENV_SECRET, KEYRING_SECRET, FILE_SECRET, HANDLE)


@pytest.fixture
def prompts(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Answers for the prompts, and which prompt function asked: getpass (no echo) or input (echo)."""
    asked: dict[str, list[str]] = {"getpass": [], "input": []}
    answers = {"handle": HANDLE, "password": KEYRING_SECRET, "token": KEYRING_SECRET}

    def answer(kind: str, prompt: str) -> str:
        asked[kind].append(prompt)
        for word, value in answers.items():
            if word in prompt.lower():
                return value
        raise AssertionError(f"unexpected prompt {prompt!r}")

    monkeypatch.setattr("getpass.getpass", lambda prompt="": answer("getpass", prompt))
    monkeypatch.setattr("builtins.input", lambda prompt="": answer("input", prompt))
    return asked


def _config(home: Path, text: str) -> None:
    (home / "config.toml").write_text(text, encoding="utf-8")


def test_login_x_asks_without_echo_and_keeps_the_token_in_the_keyring(
    capsys: pytest.CaptureFixture[str], private_keyring: MemoryKeyring, prompts: dict[str, list[str]]
) -> None:
    assert main(["login", "x"]) == 0
    assert prompts == {"getpass": ["X API bearer token: "], "input": []}
    assert private_keyring.items == {(SERVICE, "x_bearer_token"): KEYRING_SECRET}
    out, err = capsys.readouterr()
    assert (out, err) == ("", "stored the X credentials in the system keyring\n")
    assert live_settings(load_config()).x_bearer_token == KEYRING_SECRET


def test_login_bluesky_asks_the_handle_then_the_app_password_without_echo(
    private_keyring: MemoryKeyring, prompts: dict[str, list[str]]
) -> None:
    assert main(["login", "bluesky"]) == 0
    assert len(prompts["input"]) == 1 and "handle" in prompts["input"][0]
    assert len(prompts["getpass"]) == 1 and "app password" in prompts["getpass"][0]
    assert private_keyring.items == {
        (SERVICE, "bluesky_handle"): HANDLE,
        (SERVICE, "bluesky_app_password"): KEYRING_SECRET,
    }
    settings = live_settings(load_config())
    assert settings.has_bluesky and settings.bluesky_app_password == KEYRING_SECRET


def test_logout_removes_what_login_stored(
    capsys: pytest.CaptureFixture[str], private_keyring: MemoryKeyring, prompts: dict[str, list[str]]
) -> None:
    assert main(["login", "bluesky"]) == 0
    assert main(["login", "x"]) == 0
    capsys.readouterr()
    assert main(["logout", "bluesky"]) == 0
    assert capsys.readouterr().err == "removed the Bluesky credentials from the system keyring\n"
    assert private_keyring.items == {(SERVICE, "x_bearer_token"): KEYRING_SECRET}
    assert main(["logout", "bluesky"]) == 0
    assert capsys.readouterr().err == "no Bluesky credentials were stored in the system keyring\n"
    assert not live_settings(load_config()).has_bluesky


def test_logout_says_what_still_supplies_a_credential(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, _isolated_home: Path
) -> None:
    monkeypatch.setenv("HOTPAPERS_X_BEARER_TOKEN", ENV_SECRET)
    assert main(["logout", "x"]) == 0
    err = capsys.readouterr().err
    assert "HOTPAPERS_X_BEARER_TOKEN still set in the environment" in err
    monkeypatch.delenv("HOTPAPERS_X_BEARER_TOKEN")
    _config(_isolated_home, f'[credentials]\nx_bearer_token = "{FILE_SECRET}"\n')
    assert main(["logout", "x"]) == 0
    err = capsys.readouterr().err
    assert "still holds x_bearer_token in [credentials]" in err
    assert all(secret not in err for secret in SECRETS)


@pytest.mark.parametrize("argv", [["login", "x"], ["login", "bluesky"], ["logout", "x"]])
def test_without_a_keyring_backend_the_command_says_so_and_names_the_variables(
    capsys: pytest.CaptureFixture[str], prompts: dict[str, list[str]], argv: list[str]
) -> None:
    keyring.set_keyring(fail.Keyring())
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("hotpapers-tui: no system keyring is available here")
    assert ("HOTPAPERS_X_BEARER_TOKEN" if argv[1] == "x" else "HOTPAPERS_BLUESKY_APP_PASSWORD") in err
    assert prompts == {"getpass": [], "input": []}  # no secret typed for nothing


def test_without_a_keyring_backend_feeds_still_open(monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv("HOTPAPERS_X_BEARER_TOKEN", ENV_SECRET)
    assert live_settings(load_config()).x_bearer_token == ENV_SECRET
    assert main(["sources"]) == 0


@pytest.mark.parametrize("typed", ["", "   ", "two words", "a\x1bb"])
def test_a_secret_that_cannot_be_used_is_not_stored_nor_repeated(
    capsys: pytest.CaptureFixture[str], private_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": typed)
    assert main(["login", "x"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("hotpapers-tui: x_bearer_token: ") and err.endswith("; nothing stored\n")
    if typed.strip():
        assert typed not in err and "words" not in err
    assert private_keyring.items == {}


def test_end_of_input_stores_nothing(
    capsys: pytest.CaptureFixture[str], private_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    def eof(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("getpass.getpass", eof)
    assert main(["login", "x"]) == 1
    assert capsys.readouterr().err == "hotpapers-tui: no input; nothing stored\n"
    assert private_keyring.items == {}


def test_the_environment_wins_then_the_keyring_then_the_file(
    _isolated_home: Path, private_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(_isolated_home, f'[credentials]\nx_bearer_token = "{FILE_SECRET}"\nbluesky_handle = "{HANDLE}"\n')
    creds, origin = effective_credentials(load_config())
    assert (creds.x_bearer_token, origin["x_bearer_token"]) == (FILE_SECRET, "config file")
    store("x_bearer_token", KEYRING_SECRET)  # as login does: the process's memory of the keyring follows
    creds, origin = effective_credentials(load_config())
    assert (creds.x_bearer_token, origin["x_bearer_token"]) == (KEYRING_SECRET, "keyring")
    assert (creds.bluesky_handle, origin["bluesky_handle"]) == (HANDLE, "config file")
    monkeypatch.setenv("HOTPAPERS_X_BEARER_TOKEN", ENV_SECRET)
    creds, origin = effective_credentials(load_config())
    assert (creds.x_bearer_token, origin["x_bearer_token"]) == (ENV_SECRET, "environment")
    assert "bluesky_app_password" not in origin and creds.bluesky_app_password is None


def test_an_unusable_keyring_value_is_passed_over(_isolated_home: Path, private_keyring: MemoryKeyring) -> None:
    _config(_isolated_home, f'[credentials]\nx_bearer_token = "{FILE_SECRET}"\n')
    private_keyring.set_password(SERVICE, "x_bearer_token", "two\nlines")
    creds, origin = effective_credentials(load_config())
    assert (creds.x_bearer_token, origin["x_bearer_token"]) == (FILE_SECRET, "config file")


NON_ASCII_SECRET = "t\u00f6ken-Rb62"


def test_a_non_ascii_token_in_the_environment_or_the_file_is_a_config_error_without_the_value(
    _isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTPAPERS_X_BEARER_TOKEN", NON_ASCII_SECRET)
    with pytest.raises(ConfigError) as from_env:
        load_config()
    assert str(from_env.value) == (
        "environment: HOTPAPERS_X_BEARER_TOKEN: must be ASCII characters only (it is sent in an HTTP request) "
        "(value not shown)"
    )
    monkeypatch.delenv("HOTPAPERS_X_BEARER_TOKEN")
    _config(_isolated_home, f'[credentials]\nx_bearer_token = "{NON_ASCII_SECRET}"\n')
    with pytest.raises(ConfigError, match=r"credentials\.x_bearer_token: must be ASCII characters only") as from_file:
        load_config()
    assert NON_ASCII_SECRET not in str(from_file.value)


def test_a_non_ascii_keyring_value_is_passed_over_and_login_refuses_one(
    _isolated_home: Path,
    private_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _config(_isolated_home, f'[credentials]\nx_bearer_token = "{FILE_SECRET}"\n')
    private_keyring.set_password(SERVICE, "x_bearer_token", NON_ASCII_SECRET)
    creds, origin = effective_credentials(load_config())
    assert (creds.x_bearer_token, origin["x_bearer_token"]) == (FILE_SECRET, "config file")
    private_keyring.items.clear()
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NON_ASCII_SECRET)
    assert main(["login", "x"]) == 1
    err = capsys.readouterr().err
    why = "must be ASCII characters only (it is sent in an HTTP request)"
    assert err == f"hotpapers-tui: x_bearer_token: {why}; nothing stored\n"
    assert private_keyring.items == {}


def test_the_keyring_is_not_asked_for_what_the_environment_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTPAPERS_X_BEARER_TOKEN", ENV_SECRET)
    asked: list[str] = []
    effective_credentials(load_config(), lookup=lambda name: asked.append(name) or None)
    assert asked == ["bluesky_handle", "bluesky_app_password"]


# --- no secret in config show, sources, errors, logs or cache keys -----------------------------


@pytest.fixture
def every_source_of_secrets(
    _isolated_home: Path, private_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(_isolated_home, f'[credentials]\nbluesky_handle = "{HANDLE}"\nbluesky_app_password = "{FILE_SECRET}"\n')
    private_keyring.set_password(SERVICE, "bluesky_app_password", KEYRING_SECRET)
    monkeypatch.setenv("HOTPAPERS_X_BEARER_TOKEN", ENV_SECRET)


@pytest.mark.usefixtures("every_source_of_secrets")
def test_config_show_and_sources_never_show_a_secret(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "show"]) == 0
    shown = capsys.readouterr().out
    assert "bluesky_app_password = set  # from the keyring" in shown
    assert "x_bearer_token = set  # from the environment" in shown
    assert "bluesky_handle = set  # from the config file" in shown
    assert main(["sources"]) == 0
    shown += "".join(capsys.readouterr())
    assert "bluesky      enabled" in shown and "x            enabled" in shown
    for secret in SECRETS:
        assert secret not in shown
    settings = live_settings(load_config())
    for secret in SECRETS:
        assert secret not in repr(settings) and secret not in repr(load_config())


class _Refusing(BaseHTTPRequestHandler):
    """Answers 401 to everything, as a service does to a wrong token."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = b'{"error":"AuthenticationRequired"}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Answering(_Refusing):
    def do_GET(self) -> None:
        body = b'{"data":[]}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def refusing() -> Iterator[str]:
    yield from _serve(_Refusing)


@pytest.fixture
def answering() -> Iterator[str]:
    yield from _serve(_Answering)


async def test_errors_and_logs_never_carry_a_secret(
    refusing: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fetcher = HttpFetcher(
        base_urls={"x": refusing, "bluesky_auth": refusing},
        cache=AnswerCache(tmp_path / "cache"),
        retry=RetryPolicy(attempts=1),
    )
    messages: list[str] = []
    try:
        with pytest.raises(FetchError) as caught:
            await fetcher.get(
                "x",
                "/2/tweets/search/recent",
                headers={"Authorization": f"Bearer {ENV_SECRET}"},
                freshness=Freshness.LIVE,
            )
        messages.append(str(caught.value) + caught.value.url)
        with pytest.raises(FetchError) as caught:
            await fetcher.post(
                "bluesky_auth",
                "/xrpc/com.atproto.server.createSession",
                json_body={"identifier": HANDLE, "password": KEYRING_SECRET},
            )
        messages.append(str(caught.value) + caught.value.url)
    finally:
        await fetcher.aclose()
    text = "\n".join(messages) + caplog.text
    assert "401" in text
    for secret in SECRETS:
        assert secret not in text


async def test_cache_keys_and_files_never_carry_a_secret(answering: str, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    fetcher = HttpFetcher(base_urls={"x": answering}, cache=AnswerCache(cache_dir))
    try:
        answer = await fetcher.get(
            "x",
            "/2/tweets/search/recent",
            params={"query": "arxiv.org"},
            headers={"Authorization": f"Bearer {ENV_SECRET}"},
            freshness=Freshness.LIVE,
        )
        assert answer.status == 200
    finally:
        await fetcher.aclose()
    stored = [path for path in cache_dir.rglob("*") if path.is_file()]
    assert stored
    for path in stored:
        assert ENV_SECRET.encode() not in path.read_bytes()
        assert ENV_SECRET not in str(path)
