"""The commands over remote feeds, ``--offline``, ``config`` and ``cache``, run in-process."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from hotpapers_tui.cli import main
from hotpapers_tui.feeds.github import GithubFeed
from hotpapers_tui.fetch import client
from hotpapers_tui.posts import read_post
from tests.fetch.conftest import (
    FOLDER,
    OWNER,
    REF,
    REPO,
    PostServer,
    Reply,
    archive_days,
    layered_bomb,
    post_name,
    refused_url,
    stop,
)

SPEC = f"github:{OWNER}/{REPO}/{FOLDER}@{REF}"


def point_config_at(home: Path, base_url: str, top: str = "") -> Path:
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'{top}[sources.github_api]\nbase_url = "{base_url}"\n[sources.github_raw]\nbase_url = "{base_url}"\n',
        encoding="utf-8",
    )
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_days_show_export_then_from_cache_with_server_gone(
    home: Path, serve: Callable[[list[date]], PostServer], capsys: pytest.CaptureFixture[str]
) -> None:
    days = archive_days(3)
    server = serve(days)
    point_config_at(home, server.base_url)

    code, out, err = run(capsys, "days", "--feed", SPEC)
    assert (code, err) == (0, "")
    assert out.split() == [d.isoformat() for d in reversed(days)]

    code, out, _ = run(capsys, "show", "--feed", SPEC, days[1].isoformat())
    assert code == 0 and out.startswith(f"Hot Papers {days[1].isoformat()}\n")

    outdir = home / "out"
    outdir.mkdir()
    code, _, err = run(capsys, "export", "--all", "--feed", SPEC, "-o", str(outdir))
    assert code == 0 and "wrote 3 posts" in err
    assert sorted(p.name for p in outdir.iterdir()) == [post_name(d) for d in days]
    assert read_post(outdir / post_name(days[2])).date == days[2]

    stop(server)
    requests = len(server.seen)
    code, out, err = run(capsys, "days", "--feed", SPEC)
    assert code == 0 and out.split() == [d.isoformat() for d in reversed(days)]
    code, out, err = run(capsys, "export", "--feed", SPEC, days[0].isoformat(), "-o", "-")
    assert code == 0 and out == server.posts[post_name(days[0])].decode()
    assert len(server.seen) == requests

    code, out, _ = run(capsys, "cache", "info")
    assert code == 0
    # The root tree (a listing), the two sub-trees down to the folder (kept for good), three posts.
    assert f"location: {home / 'cache'}" in out and "entries: 6" in out
    assert "  forever: 5" in out and "  listing: 1" in out
    code, out, _ = run(capsys, "cache", "clear")
    assert code == 0 and "removed 6 entries" in out
    code, out, err = run(capsys, "days", "--feed", SPEC, "--offline")
    assert code == 1 and out == ""
    assert err.startswith("hotpapers-tui: ") and "offline" in err and err.count("\n") == 1


def test_offline_with_empty_cache_is_one_line(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "--offline", "--feed", "archive", "2021-06-22")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "offline" in err and "Traceback" not in err
    assert "api.github.com" in err  # the real host, never reached


def test_unreachable_server_is_one_line(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    point_config_at(home, refused_url())
    code, out, err = run(capsys, "days", "--feed", SPEC)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "cannot reach 127.0.0.1" in err


def test_config_path_and_show(home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(capsys, "config", "path")
    assert code == 0 and out.strip() == str(home / "config" / "config.toml") and "does not exist" in err
    monkeypatch.setenv("HOTPAPERS_X_BEARER_TOKEN", "tok-secret-42")
    point_config_at(home, "http://127.0.0.1:9")
    code, out, _ = run(capsys, "config", "show")
    assert code == 0
    assert '[sources.github_api]\nbase_url = "http://127.0.0.1:9"' in out
    assert '[sources.arxiv]\nbase_url = "https://export.arxiv.org"' in out
    assert "x_bearer_token = set" in out and "bluesky_handle = not set" in out
    assert "tok-secret-42" not in out


def test_broken_config_is_one_line(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = point_config_at(home, "http://127.0.0.1:9")
    path.write_text("[live]\nwindow_days = 'two'\n", encoding="utf-8")
    code, out, err = run(capsys, "days", "--feed", "sample")
    assert code == 1 and out == ""
    assert err == f"hotpapers-tui: {path}: live.window_days: expected an integer, got 'two'\n"
    code, _, err = run(capsys, "config", "show")
    assert code == 1 and "live.window_days" in err


def test_default_feed_comes_from_the_config(
    home: Path, serve: Callable[[list[date]], PostServer], capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve(archive_days(2))
    point_config_at(home, server.base_url, top=f'default_feed = "{SPEC}"\n')
    code, out, _ = run(capsys, "days")
    assert code == 0 and out.split() == ["2021-06-02", "2021-06-01"]


def _deep_json() -> bytes:
    return b"[" * 200_000 + b"]" * 200_000


@pytest.mark.parametrize(
    ("reply", "settings", "expected"),
    [
        pytest.param(
            Reply(body=layered_bomb(1024), headers={"Content-Encoding": "gzip, gzip"}),
            {},
            "127.0.0.1: answer larger than 32 MB once decoded (gzip, gzip) refused",
            id="layered-gzip-bomb",
        ),
        pytest.param(
            Reply(body=b"[not gzip]", headers={"Content-Encoding": "gzip"}),
            {},
            "127.0.0.1: invalid gzip data (",
            id="invalid-gzip",
        ),
        pytest.param(Reply(body=_deep_json()), {}, "invalid JSON (JSON nested too deeply to read)", id="deep-json"),
        pytest.param(
            Reply(status=302, headers={"Location": "LISTING"}), {}, "127.0.0.1: redirect loop (back to ", id="loop"
        ),
        pytest.param(
            Reply(status=301, headers={"Location": "https://evil.test/posts.json"}),
            {},
            "127.0.0.1: refused redirect to evil.test",
            id="cross-host-redirect",
        ),
        pytest.param(
            Reply(status=302, headers={"Location": "file:///etc/passwd"}),
            {},
            "127.0.0.1: refused redirect to file:///etc/passwd (only http and https are followed)",
            id="file-redirect",
        ),
        pytest.param(
            Reply(body=b"[" + b" " * 5000 + b"]", drip=0.02),
            {"DEADLINE": 0.5},
            "127.0.0.1: answer not complete within 0.5 s",
            id="slow-drip",
        ),
        pytest.param(
            Reply(body=b"[]", delay=2.0),
            {"READ_TIMEOUT": 0.2},
            "gave up on 127.0.0.1 after 3 timeouts",
            id="timeouts",
        ),
    ],
)
def test_hostile_answers_are_one_line_and_exit_1(
    home: Path,
    serve: Callable[[list[date]], PostServer],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    reply: Reply,
    settings: dict[str, float],
    expected: str,
) -> None:
    for name, value in settings.items():
        monkeypatch.setattr(client, name, value)
    server = serve(archive_days(2))
    if reply.headers.get("Location") == "LISTING":
        reply.headers["Location"] = server.listing_path
    server.faults[server.listing_path] = [reply] * 3
    point_config_at(home, server.base_url)
    code, out, err = run(capsys, "days", "--feed", SPEC)
    assert (code, out) == (1, "")
    assert err.startswith(f"hotpapers-tui: {SPEC}: cannot list the posts: ") and err.count("\n") == 1
    assert expected in err
    assert "Traceback" not in err and "cut off" not in err


def test_export_all_stops_asking_a_host_it_gave_up_on_for_the_whole_run(
    home: Path,
    serve: Callable[[list[date]], PostServer],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A host that stalls: the first day gives up on it; every later day fails at once, even past give_up_for."""
    monkeypatch.setattr(client, "READ_TIMEOUT", 0.2)
    monkeypatch.setattr(client, "GIVE_UP_FOR", 0.3)  # shorter than the run: the reader's window would end
    days = archive_days(8)
    server = serve(days)
    for d in days:
        server.faults[server.raw_path(post_name(d))] = [Reply(body=b"late", delay=1.0)] * 10
    point_config_at(home, server.base_url)
    outdir = home / "out"
    exported: list[date] = []
    real_load = GithubFeed.load

    async def slow_load(self: GithubFeed, day: date, **kw: object) -> object:
        exported.append(day)
        if len(exported) > 1:
            await asyncio.sleep(0.2)  # each later day starts after more than give_up_for has passed in all
        return await real_load(self, day, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(GithubFeed, "load", slow_load)
    code, out, err = run(capsys, "export", "--all", "--feed", SPEC, "-o", str(outdir))
    assert (code, out) == (1, "")
    raw = [p for p in server.paths_seen() if p.startswith(f"/{OWNER}/{REPO}/")]
    # Three timeouts on the first day, then nothing more asked of the host.
    assert raw == [server.raw_path(post_name(days[0]))] * 3
    lines = err.splitlines()
    first = days[0].isoformat()
    assert f"hotpapers-tui: 7 more days failed as {first} did: gave up on 127.0.0.1 after 3 timeouts" in lines
    assert lines[-1] == f"wrote 0 posts to {outdir}, 8 failed (8 network)"
    assert len(exported) == 8, err
