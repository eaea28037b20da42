"""The post subcommands: exit statuses, one-line errors, no silent overwrites, atomic writes."""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import io
import json
import os
import pty
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hotpapers_tui import export
from hotpapers_tui.cli import main
from hotpapers_tui.cli.export_run import BarReporter, PlainReporter, Tally, export_feed, reporter_for
from hotpapers_tui.feeds import DayLoad, FeedError
from hotpapers_tui.feeds.folder import FolderFeed, sample_path
from hotpapers_tui.fetch.api import FetchError
from hotpapers_tui.localfile import (
    MAX_CONFIG_BYTES,
    MAX_JSON_DAY_BYTES,
    MAX_POST_BYTES,
    FileRefused,
    read_regular_file,
)
from hotpapers_tui.posts import parse_post, render_post
from tests.posts.day_factory import random_day
from tests.posts.post_texts import CANONICAL

SAMPLE = sample_path().read_text(encoding="utf-8")

DAY_KEYS = {"schema", "date", "end_date", "title", "generated_at", "slug", "description", "papers"}
PAPER_KEYS = {
    "rank", "arxiv_id", "title", "authors", "retweets", "favorites", "score", "score_override", "counted_at",
    "abs_url", "pdf_url", "categories", "abstract", "breakdown", "tweets",
}  # fmt: skip
TWEET_KEYS = {
    "url",
    "author",
    "handle",
    "date",
    "lang",
    "text",
    "html",
    "script",
    "platform",
    "reposts",
    "likes",
    "comments",
}


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def broken_post(tmp_path: Path) -> Path:
    path = tmp_path / "2021-06-22---Hot-Papers.md"
    path.write_text(CANONICAL.replace("- retweets: 3, favorites: 1", "- retweets: 3 favorites: 1"), encoding="utf-8")
    return path


def assert_one_line_error(err: str, *needles: str) -> None:
    assert err.count("\n") == 1 and err.startswith("hotpapers-tui: ")
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err


def test_show_lists_papers_by_rank(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "show", str(sample_path()))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Hot Papers 2021-06-22"
    assert lines[1] == "22 papers, generated 2021-06-23 10:32"
    assert lines[3] == "  1. GRAND: Graph Neural Diffusion"
    assert "score 7868 (retweets 7779, favorites 89)" in lines[4]


def test_show_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "show", "--feed", "sample", "2021-06-22", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == DAY_KEYS
    assert (data["date"], data["title"], data["generated_at"]) == (
        "2021-06-22",
        "Hot Papers 2021-06-22",
        "2021-06-23T10:32:04",
    )
    paper = data["papers"][11]
    assert set(paper) == PAPER_KEYS
    assert (paper["rank"], paper["retweets"], paper["favorites"], paper["score"]) == (12, 143, 45, 188)
    first = data["papers"][0]
    assert first["categories"] == ["cs.LG", "stat.ML"]
    assert set(first["tweets"][0]) == TWEET_KEYS
    assert first["tweets"][0]["handle"] == "b_p_chamberlain"


def test_malformed_post_is_one_line_with_file_and_line(capsys: pytest.CaptureFixture[str], broken_post: Path) -> None:
    code, out, err = run_cli(capsys, "show", str(broken_post))
    assert (code, out) == (1, "")
    assert_one_line_error(err, f"{broken_post}: line 39: expected '- retweets: N, favorites: N")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["export", str(sample_path())])
    assert caught.value.code == 2
    assert "-o/--output" in capsys.readouterr().err


def test_missing_file_and_unknown_feed_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "show", str(tmp_path / "nope.md"))
    assert code == 1
    assert_one_line_error(err, "nope.md: no such file")
    code, _, err = run_cli(capsys, "days", "--feed", "ftp:somewhere")
    assert code == 1
    assert_one_line_error(err, "unknown feed 'ftp:somewhere'")


def test_export_needs_force_to_replace(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    out.write_text("my own notes\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "export", str(sample_path()), "-o", str(out))
    assert code == 1
    assert_one_line_error(err, f"{out}: already exists (use --force to replace it)")
    assert out.read_text(encoding="utf-8") == "my own notes\n"
    code, _, err = run_cli(capsys, "export", str(sample_path()), "-o", str(out), "--force")
    assert (code, err) == (0, f"wrote {out}\n")
    assert out.read_text(encoding="utf-8") == SAMPLE


def test_export_into_a_folder_uses_the_canonical_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, _ = run_cli(capsys, "export", "--feed", "sample", "2021-06-22", "-o", str(tmp_path))
    assert code == 0
    assert (tmp_path / "2021-06-22---Hot-Papers.md").read_text(encoding="utf-8") == SAMPLE


def test_export_to_stdout_is_the_post(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    older = tmp_path / "2021-06-22---Hot-Papers.md"
    older.write_text(CANONICAL.replace("\n---\n", "\n---\n\n\n", 1), encoding="utf-8")
    code, out, err = run_cli(capsys, "export", str(older), "-o", "-")
    # The post is written back as it was read, its extra blank lines included.
    assert (code, out, err) == (0, older.read_text(encoding="utf-8"), "")


def test_from_json_round_trips_to_identical_bytes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _, json_text, _ = run_cli(capsys, "show", str(sample_path()), "--json")
    day_json = tmp_path / "day.json"
    day_json.write_text(json_text, encoding="utf-8")
    code, out, _ = run_cli(capsys, "export", "--from-json", str(day_json), "-o", "-")
    assert (code, out) == (0, SAMPLE)
    code, _, _ = run_cli(capsys, "export", "--from-json", str(day_json), "-o", str(tmp_path / "again.md"))
    assert code == 0
    assert (tmp_path / "again.md").read_bytes() == sample_path().read_bytes()


def test_from_json_edits_show_in_the_post(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _, json_text, _ = run_cli(capsys, "show", str(sample_path()), "--json")
    data = json.loads(json_text)
    data["papers"][21]["retweets"] = 100000
    data["papers"][21]["title"] = "Now first"
    (tmp_path / "day.json").write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run_cli(capsys, "export", "--from-json", str(tmp_path / "day.json"), "-o", "-")
    assert code == 0
    day = parse_post(out)
    assert day.papers[0].title == "Now first"
    assert day.papers[0].retweets == 100000


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json", "line 1: not valid JSON"),
        ('{"date": "2021-06-22"}', "day: missing key 'papers'"),
        ('{"date": "June", "papers": []}', "day.date: expected an ISO date or time, found 'June'"),
    ],
)
def test_from_json_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "day.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = run_cli(capsys, "export", "--from-json", str(path), "-o", "-")
    assert (code, out) == (1, "")
    assert_one_line_error(err, str(path), needle)


def test_export_all_writes_canonical_names(capsys: pytest.CaptureFixture[str], post_dir: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    outdir.mkdir()
    code, _, err = run_cli(capsys, "export", "--all", "--feed", f"dir:{post_dir}", "-o", str(outdir))
    assert code == 0
    assert err == f"hotpapers-tui: exporting 3 days of dir:{post_dir} to {outdir}\nwrote 3 posts to {outdir}\n"
    names = sorted(p.name for p in outdir.iterdir())
    assert names == [f"2021-06-2{d}---Hot-Papers.md" for d in (1, 2, 3)]
    for name in names:
        source = (post_dir / name).read_text(encoding="utf-8")
        written = (outdir / name).read_text(encoding="utf-8")
        assert written == render_post(parse_post(source))
    # The older layout (an extra blank line) is kept: a post read and written again is the same file.
    assert (outdir / names[2]).read_text(encoding="utf-8") == (post_dir / names[2]).read_text(encoding="utf-8")


def test_export_all_skips_existing_without_force(
    capsys: pytest.CaptureFixture[str], post_dir: Path, tmp_path: Path
) -> None:
    outdir = tmp_path / "out"
    outdir.mkdir()
    mine = outdir / "2021-06-22---Hot-Papers.md"
    mine.write_text("hand edited\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "export", "--all", "--feed", f"dir:{post_dir}", "-o", str(outdir))
    assert code == 1
    assert f"{mine}: already exists, skipped (use --force to replace it)" in err
    assert err.endswith(f"wrote 2 posts to {outdir}, skipped 1 existing\n")
    assert mine.read_text(encoding="utf-8") == "hand edited\n"
    assert len(list(outdir.iterdir())) == 3
    code, _, _ = run_cli(capsys, "export", "--all", "--feed", f"dir:{post_dir}", "-o", str(outdir), "--force")
    assert code == 0
    assert mine.read_text(encoding="utf-8").startswith("---\ntitle: Hot Papers 2021-06-22\n")


def test_export_all_reports_a_broken_post_and_writes_the_rest(
    capsys: pytest.CaptureFixture[str], post_dir: Path, tmp_path: Path
) -> None:
    broken = post_dir / "2021-06-22---Hot-Papers.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("- links:", "- linx:", 1), encoding="utf-8")
    outdir = tmp_path / "out"
    outdir.mkdir()
    code, _, err = run_cli(capsys, "export", "--all", "--feed", f"dir:{post_dir}", "-o", str(outdir))
    assert code == 1
    assert f"hotpapers-tui: {broken}: line 24: expected '- links: [abs](URL) | [pdf](URL)'" in err
    assert err.endswith(f"wrote 2 posts to {outdir}, 1 failed (1 unreadable)\n")
    assert sorted(p.name for p in outdir.iterdir()) == ["2021-06-21---Hot-Papers.md", "2021-06-23---Hot-Papers.md"]


def test_days_newest_first(capsys: pytest.CaptureFixture[str], post_dir: Path) -> None:
    code, out, _ = run_cli(capsys, "days", "--feed", f"dir:{post_dir}")
    assert (code, out) == (0, "2021-06-23\n2021-06-22\n2021-06-21\n")
    code, out, _ = run_cli(capsys, "days", "--feed", f"dir:{post_dir}", "--limit", "1")
    assert (code, out) == (0, "2021-06-23\n")


def test_days_of_a_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "days", "--feed", f"dir:{tmp_path / 'none'}")
    assert (code, out) == (1, "")
    assert_one_line_error(err, "none: not a folder of posts")


def _no_space(fd: int) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_interrupted_export_keeps_the_old_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "2021-06-22---Hot-Papers.md"
    out.write_text("the old post\n", encoding="utf-8")
    monkeypatch.setattr(export.os, "fsync", _no_space)
    code, _, err = run_cli(capsys, "export", str(sample_path()), "-o", str(out), "--force")
    assert code == 1
    assert_one_line_error(err, f"{out}: cannot write (No space left on device)")
    assert out.read_text(encoding="utf-8") == "the old post\n"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_export_killed_mid_write_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "post.md"
    out.write_text("the old post\n", encoding="utf-8")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(export.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export.write_text_atomic(out, SAMPLE, overwrite=True)
    assert out.read_text(encoding="utf-8") == "the old post\n"
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]


def test_exported_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    new = export.write_text_atomic(tmp_path / "new.md", "x\n")
    assert new.stat().st_mode & 0o777 == 0o666 & ~umask
    kept = tmp_path / "kept.md"
    kept.write_text("old\n", encoding="utf-8")
    kept.chmod(0o640)
    export.write_text_atomic(kept, "new\n", overwrite=True)
    assert kept.stat().st_mode & 0o777 == 0o640


def test_console_script_reports_errors_without_traceback(broken_post: Path) -> None:
    script = Path(sys.executable).with_name("hotpapers-tui")
    if not script.exists():
        pytest.skip("the hotpapers-tui console script is not installed next to this Python")
    bad = subprocess.run([str(script), "show", str(broken_post)], capture_output=True, text=True, timeout=60)
    assert (bad.returncode, bad.stdout) == (1, "")
    assert_one_line_error(bad.stderr, f"{broken_post}: line 39:")
    good = subprocess.run([str(script), "export", str(sample_path()), "-o", "-"], capture_output=True, timeout=60)
    assert (good.returncode, good.stdout) == (0, sample_path().read_bytes())
    usage = subprocess.run([str(script), "show"], capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr


def test_readme_documents_every_json_key(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## JSON schema", 1)[1].split("\n## ", 1)[0]
    _, out, _ = run_cli(capsys, "show", str(sample_path()), "--json")
    data = json.loads(out)
    printed = set(data) | set(data["papers"][0]) | set(data["papers"][0]["tweets"][0])
    missing = sorted(key for key in printed if f"`{key}`" not in section)
    assert missing == []


def test_export_to_a_missing_folder_or_from_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "export", str(sample_path()), "-o", str(tmp_path / "no" / "out.md"))
    assert code == 1
    assert_one_line_error(err, f"{tmp_path / 'no'}: no such folder")
    folder = tmp_path / "2021-06-22---Hot-Papers.md"
    folder.mkdir()
    code, _, err = run_cli(capsys, "show", str(folder))
    assert code == 1
    assert_one_line_error(err, f"{folder}: is a folder, not a regular file")


def test_show_strips_escape_codes_from_titles(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "2021-06-22---Hot-Papers.md"
    path.write_text(
        CANONICAL.replace("# 1. First  Paper", "# 1. First \x1b[2J\x1b]0;owned\x07Paper\u202e"), encoding="utf-8"
    )
    code, out, _ = run_cli(capsys, "show", str(path))
    assert code == 0
    assert "  1. First Paper\n" in out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out


# --- export --all: two sources for one name, counts, causes, progress ------------------------


def _write_day(folder: Path, when: dt.date, *, named: dt.date | None = None, seed: int = 0) -> str:
    """A generated post for ``when``, written under the file name of ``named`` (default: its own)."""
    text = render_post(random_day(random.Random(seed), when, papers=3))
    (folder / f"{(named or when).isoformat()}---Hot-Papers.md").write_text(text, encoding="utf-8")
    return text


@pytest.mark.parametrize("impostor", [dt.date(2021, 8, 27), dt.date(2021, 8, 25)], ids=["after", "before"])
@pytest.mark.parametrize("force", [True, False])
def test_two_days_for_one_file_name_are_a_conflict_never_an_overwrite(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, impostor: dt.date, force: bool
) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    real = _write_day(feed, dt.date(2021, 8, 26), seed=1)
    _write_day(feed, dt.date(2021, 8, 26), named=impostor, seed=2)  # a post of the 26th named as another day
    out = tmp_path / "out"
    argv = ["export", "--all", "--feed", f"dir:{feed}", "-o", str(out)] + (["--force"] if force else [])
    code, _, err = run_cli(capsys, *argv)
    assert code == 1
    assert sorted(p.name for p in out.iterdir()) == ["2021-08-26---Hot-Papers.md"]
    assert (out / "2021-08-26---Hot-Papers.md").read_text(encoding="utf-8") == real
    assert (
        f"hotpapers-tui: {impostor.isoformat()}: its post is dated 2021-08-26, so it would be written as "
        "2021-08-26---Hot-Papers.md, the file of 2021-08-26; not written\n"
    ) in err
    assert "already exists" not in err
    assert err.endswith(f"wrote 1 post to {out}, 1 failed (1 name conflict)\n")


def test_two_mislabelled_days_for_an_unlisted_name_write_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    first = _write_day(feed, dt.date(2021, 9, 1), named=dt.date(2021, 8, 27), seed=3)
    _write_day(feed, dt.date(2021, 9, 1), named=dt.date(2021, 8, 28), seed=4)
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "export", "--all", "--feed", f"dir:{feed}", "-o", str(out), "--force")
    assert code == 1
    assert sorted(p.name for p in out.iterdir()) == ["2021-09-01---Hot-Papers.md"]
    assert (out / "2021-09-01---Hot-Papers.md").read_text(encoding="utf-8") == first
    assert "2021-08-28: its post is dated 2021-09-01" in err
    assert err.endswith(f"wrote 1 post to {out}, 1 failed (1 name conflict)\n")


def test_the_counts_printed_are_the_files_written(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    for day in range(1, 8):
        _write_day(feed, dt.date(2021, 6, day), seed=day)
    _write_day(feed, dt.date(2021, 6, 3), named=dt.date(2021, 6, 9), seed=9)
    out = tmp_path / "out"
    out.mkdir()
    (out / "2021-06-05---Hot-Papers.md").write_text("mine\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "export", "--all", "--feed", f"dir:{feed}", "-o", str(out))
    assert code == 1
    written = int(err.splitlines()[-1].split()[1])
    assert written == len(list(out.iterdir())) - 1 == 6
    assert err.endswith(f"wrote 6 posts to {out}, skipped 1 existing, 1 failed (1 name conflict)\n")


class _ScriptedFeed:
    """A feed whose days fail as told: a stand-in for a remote feed whose host stopped answering."""

    def __init__(self, days: list[dt.date], failures: dict[dt.date, Exception]) -> None:
        self.name = "scripted"
        self._days = days
        self._failures = failures
        self.loaded: list[dt.date] = []

    async def days(self) -> list[dt.date]:
        return self._days

    async def load(self, day: dt.date, **_: object) -> DayLoad:
        self.loaded.append(day)
        if day in self._failures:
            raise self._failures[day]
        return DayLoad(random_day(random.Random(day.toordinal()), day, papers=2))

    async def aclose(self) -> None:
        return None


def _network_failure(day: dt.date) -> FeedError:
    url = f"https://raw.example.org/owner/repo/HEAD/posts/{day.isoformat()}---Hot-Papers.md"
    cause = FetchError("raw.example.org: gave up after repeated timeouts", url=url)
    error = FeedError(f"github:owner/repo/posts: cannot read {day.isoformat()}---Hot-Papers.md: {cause}")
    error.__cause__ = cause
    return error


async def test_each_cause_is_reported_once_then_counted(tmp_path: Path) -> None:
    days = [dt.date(2021, 6, 1) + dt.timedelta(days=i) for i in range(40)]
    failures: dict[dt.date, Exception] = {d: _network_failure(d) for d in days[10:]}
    failures[days[3]] = FeedError(f"{days[3]}: line 4: expected a title")
    stream = io.StringIO()
    tally = Tally(tmp_path)
    status = await export_feed(
        _ScriptedFeed(days, failures), tmp_path, force=False, tally=tally, reporter=PlainReporter(stream)
    )
    assert status == 1
    lines = stream.getvalue().splitlines()
    assert lines == [
        f"hotpapers-tui: exporting 40 days of scripted to {tmp_path}",
        "hotpapers-tui: 2021-06-04: line 4: expected a title",
        "hotpapers-tui: github:owner/repo/posts: cannot read 2021-06-11---Hot-Papers.md: "
        "raw.example.org: gave up after repeated timeouts",
        "hotpapers-tui: 29 more days failed as 2021-06-11 did: raw.example.org: gave up after repeated timeouts",
    ]
    assert tally.summary() == f"wrote 9 posts to {tmp_path}, 31 failed (30 network, 1 unreadable)"
    assert len(list(tmp_path.iterdir())) == 9


def test_an_unwritable_folder_is_one_line_and_stops(
    capsys: pytest.CaptureFixture[str], post_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(export.tempfile, "mkstemp", refuse)
    code, _, err = run_cli(capsys, "export", "--all", "--feed", f"dir:{post_dir}", "-o", str(out))
    assert code == 1
    assert err.splitlines() == [
        f"hotpapers-tui: exporting 3 days of dir:{post_dir} to {out}",
        f"hotpapers-tui: {out}: cannot write into the folder (Permission denied)",
        f"wrote 0 posts to {out}, 1 failed (1 cannot write); stopped there, 2 days not tried",
    ]


def test_plain_progress_lines_come_at_most_every_interval(tmp_path: Path) -> None:
    now = [0.0]

    def clock() -> float:
        now[0] += 4.0  # every look at the clock: four seconds later
        return now[0]

    days = [dt.date(2021, 6, 1) + dt.timedelta(days=i) for i in range(6)]
    stream = io.StringIO()
    reporter = PlainReporter(stream, interval=10.0, clock=clock)
    asyncio.run(export_feed(_ScriptedFeed(days, {}), tmp_path, force=False, tally=Tally(tmp_path), reporter=reporter))
    lines = stream.getvalue().splitlines()
    assert lines[0] == f"hotpapers-tui: exporting 6 days of scripted to {tmp_path}"
    progress = lines[1:]
    assert progress and all(re.fullmatch(r"hotpapers-tui: \d/6 days done, \d written", line) for line in progress)
    assert len(progress) < 6


def test_a_slow_day_says_what_it_waits_for() -> None:
    now = [100.0]
    reporter = PlainReporter(io.StringIO(), interval=10.0, clock=lambda: now[0])
    tally = Tally(Path("out"), total=5, done=2, written=["a", "b"], current=dt.date(2021, 6, 3))
    reporter.day_started(tally)
    now[0] += 45
    assert reporter.status(tally) == "hotpapers-tui: 2/5 days done, 2 written; waiting 45 s for 2021-06-03"


def test_a_terminal_gets_a_progress_bar(post_dir: Path, tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    out = tmp_path / "out"
    argv = ["export", "--all", "--feed", f"dir:{post_dir}", "-o", str(out)]
    proc = subprocess.run(
        [sys.executable, "-c", "from hotpapers_tui.cli import entry; entry()", *argv],
        stderr=secondary,
        stdout=subprocess.PIPE,
        timeout=60,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(primary)
    assert proc.returncode == 0
    text = shown.decode("utf-8", "replace")
    assert "3/3" in text and "━" in text  # the bar and its M/N count
    assert text.rstrip().endswith(f"wrote 3 posts to {out}")


def test_reporter_is_a_bar_only_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert isinstance(reporter_for(io.StringIO()), PlainReporter)
    assert isinstance(reporter_for(Tty()), BarReporter)


_SLOW_EXPORT = """
import asyncio, sys
from hotpapers_tui.feeds.folder import FolderFeed
real = FolderFeed.load
async def slow(self, day, **kw):
    await asyncio.sleep(0.25)
    return await real(self, day, **kw)
FolderFeed.load = slow
from hotpapers_tui.cli import entry
sys.argv = ["hotpapers-tui", *sys.argv[1:]]
entry()
"""


def test_ctrl_c_says_what_was_written_and_exits_130(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    for day in range(1, 29):
        _write_day(feed, dt.date(2021, 6, day), seed=day)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_EXPORT, "export", "--all", "--feed", f"dir:{feed}", "-o", str(out)],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(list(out.glob("*.md"))) < 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    written = sorted(p.name for p in out.iterdir())
    assert all(name.endswith("---Hot-Papers.md") for name in written)  # no temporary file left
    match = re.search(r"interrupted: wrote (\d+) posts? to .*\(the last: (\S+)\); (\d+) of 28 days not exported", err)
    assert match, err
    assert int(match.group(1)) == len(written) >= 2
    assert match.group(2) == written[-1]
    assert int(match.group(3)) == 28 - len(written)
    assert "Traceback" not in err


# --- inputs that are not regular files, and size limits ----------------------------------------


def _cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command line in a child process: a regression that blocks fails on the timeout, not the suite."""
    return subprocess.run(
        [sys.executable, "-c", "from hotpapers_tui.cli import entry; entry()", *argv],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize("how", ["show", "export", "from-json", "config"])
def test_a_fifo_is_refused_without_blocking(tmp_path: Path, how: str) -> None:
    fifo = tmp_path / "2021-06-22---Hot-Papers.md"
    os.mkfifo(fifo)
    argv = {
        "show": ["show", str(fifo)],
        "export": ["export", str(fifo), "-o", "-"],
        "from-json": ["export", "--from-json", str(fifo), "-o", "-"],
        "config": ["config", "show"],
    }[how]
    done = _cli(*argv, env={"HOTPAPERS_CONFIG": str(fifo)} if how == "config" else None)
    assert (done.returncode, done.stdout) == (1, "")
    assert (
        done.stderr
        == f"hotpapers-tui: {fifo}: {'config file ' if how == 'config' else ''}is a FIFO, not a regular file\n"
    )


def test_a_device_is_refused_before_reading(tmp_path: Path) -> None:
    done = _cli("show", "/dev/zero")
    assert (done.returncode, done.stderr) == (
        1,
        "hotpapers-tui: /dev/zero: is a character device, not a regular file\n",
    )


@pytest.mark.parametrize(
    ("argv", "size", "limit"),
    [
        (["show", "{path}"], MAX_POST_BYTES + 1, "16 MB"),
        (["export", "--from-json", "{path}", "-o", "-"], MAX_JSON_DAY_BYTES + 1, "32 MB"),
        (["config", "show"], MAX_CONFIG_BYTES + 1, "1 MB"),
    ],
)
def test_files_above_the_size_limit_are_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    size: int,
    limit: str,
) -> None:
    path = tmp_path / "2021-06-22---Hot-Papers.md"
    with path.open("wb") as handle:
        handle.truncate(size)  # sparse: large on paper, nothing to read if the check fails first
    monkeypatch.setenv("HOTPAPERS_CONFIG", str(path))
    code, out, err = run_cli(capsys, *[a.format(path=path) for a in argv])
    assert (code, out) == (1, "")
    assert_one_line_error(err, str(path), f"is larger than {limit}")


def test_a_post_growing_past_the_limit_while_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "2021-06-22---Hot-Papers.md"
    path.write_bytes(b"x" * 100)
    real_fstat = os.fstat

    def small(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        return os.stat_result((info.st_mode, *info[1:6], 10, *info[7:]))

    monkeypatch.setattr("hotpapers_tui.localfile.os.fstat", small)
    with pytest.raises(FileRefused, match="larger than 50 bytes"):
        read_regular_file(path, 50)


# --- a folder whose name is not UTF-8 -----------------------------------------------------------


def test_a_folder_path_that_is_not_utf8_lists_loads_and_reports(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path) + b"/posts\xff"
    os.mkdir(folder)
    good = render_post(random_day(random.Random(5), dt.date(2021, 6, 22), papers=2))
    with open(folder + b"/2021-06-22---Hot-Papers.md", "w", encoding="utf-8") as handle:
        handle.write(good)
    with open(folder + b"/2021-06-21---Hot-Papers.md", "w", encoding="utf-8") as handle:
        handle.write("---\nbroken")
    spec = "dir:" + os.fsdecode(folder)
    shown_folder = f"{tmp_path}/posts\\xff"

    days = _cli("days", "--feed", spec)
    assert (days.returncode, days.stdout, days.stderr) == (0, "2021-06-22\n2021-06-21\n", "")
    show = _cli("show", "--feed", spec, "2021-06-22", "--json")
    assert show.returncode == 0 and json.loads(show.stdout)["date"] == "2021-06-22"
    broken = _cli("show", "--feed", spec, "2021-06-21")
    assert broken.returncode == 1
    assert broken.stderr.startswith(f"hotpapers-tui: {shown_folder}/2021-06-21---Hot-Papers.md: line 2: ")
    missing = _cli("show", "--feed", spec, "2021-06-20")
    assert (missing.returncode, missing.stderr) == (1, f"hotpapers-tui: dir:{shown_folder}: no day 2021-06-20\n")
    exported = _cli("export", "--all", "--feed", spec, "-o", os.fsdecode(folder + b"/out/"))
    assert exported.returncode == 1 and "Traceback" not in exported.stderr
    assert exported.stderr.endswith(f"wrote 1 post to {shown_folder}/out, 1 failed (1 unreadable)\n")
    assert os.listdir(folder + b"/out") == [b"2021-06-22---Hot-Papers.md"]


async def test_folder_feed_errors_print_anywhere(tmp_path: Path) -> None:
    folder = Path(os.fsdecode(os.fsencode(tmp_path) + b"/gone\xfe"))
    feed = FolderFeed(folder)
    with pytest.raises(FeedError) as caught:
        await feed.days()
    str(caught.value).encode("utf-8")  # would raise UnicodeEncodeError with a raw surrogate
    assert str(caught.value) == f"{tmp_path}/gone\\xfe: not a folder of posts"
