"""The post subcommands: exit statuses, one-line errors, no silent overwrites, atomic writes."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hotpapers_tui import export
from hotpapers_tui.cli import main
from hotpapers_tui.feeds.folder import sample_path
from hotpapers_tui.posts import parse_post, render_post
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
    assert err == f"wrote 3 posts to {outdir}\n"
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
    assert err.endswith(f"wrote 2 posts to {outdir}, 1 failed\n")
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
    assert_one_line_error(err, f"{folder}: cannot read the file")


def test_show_strips_escape_codes_from_titles(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "2021-06-22---Hot-Papers.md"
    path.write_text(
        CANONICAL.replace("# 1. First  Paper", "# 1. First \x1b[2J\x1b]0;owned\x07Paper\u202e"), encoding="utf-8"
    )
    code, out, _ = run_cli(capsys, "show", str(path))
    assert code == 0
    assert "  1. First Paper\n" in out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
