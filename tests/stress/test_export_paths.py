"""A post cannot steer where a file is written, and exports never lose or replace a file by accident."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotpapers_tui.cli import main
from hotpapers_tui.daydata import day_to_json
from hotpapers_tui.export import ExportError, save_post, write_text_atomic
from hotpapers_tui.model import Day
from hotpapers_tui.posts import parse_post, render_post

CANONICAL = re.compile(r"^\d{4}-\d{2}-\d{2}(?:-\d{4}-\d{2}-\d{2})?---Hot-Papers\.md$")
HOSTILE = [
    "../../etc/passwd",
    "/tmp/x",
    "..",
    "a/../../b",
    "nul\x00byte",
    "C:\\Windows\\win.ini",
    "~/.bashrc",
    "x\nslug: ../../y",
    "2021-06-22---Hot-Papers.md/../../evil",
]


def _hostile_post(value: str) -> str:
    line = value.replace("\n", " ").replace("\x00", "")
    return f'---\ntitle: {line} 2021-06-22\ndate: 2021-06-23T10:32:04.Z\nslug: "{line}"\ndescription: "{line}"\n---\n'


@pytest.mark.parametrize("value", HOSTILE)
def test_filename_comes_from_the_date_only(value: str) -> None:
    day = Day(date=date(2021, 6, 22), title=value, generated_at=datetime(2021, 6, 23), slug=value, description=value)
    assert day.filename == "2021-06-22---Hot-Papers.md"
    ranged = Day(date=date(2021, 6, 22), end_date=date(2021, 6, 23), title=value, generated_at=datetime(2021, 6, 23))
    assert ranged.filename == "2021-06-22-2021-06-23---Hot-Papers.md"


@settings(max_examples=200, deadline=None)
@given(title=st.text(), slug=st.text(), description=st.text(), start=st.dates(), end=st.none() | st.dates())
def test_filename_is_always_one_canonical_name(
    title: str, slug: str, description: str, start: date, end: date | None
) -> None:
    day = Day(
        date=start, end_date=end, title=title, generated_at=datetime(2021, 1, 1), slug=slug, description=description
    )
    assert CANONICAL.match(day.filename)
    assert Path(day.filename).name == day.filename


@pytest.mark.parametrize("value", HOSTILE)
def test_export_of_a_hostile_post_into_a_folder_writes_only_the_canonical_file(tmp_path: Path, value: str) -> None:
    source = tmp_path / "in" / "post.md"
    source.parent.mkdir()
    source.write_text(_hostile_post(value), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    before = sorted(tmp_path.rglob("*"))
    assert main(["export", str(source), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["2021-06-22---Hot-Papers.md"]
    assert sorted(tmp_path.rglob("*")) == sorted([*before, out / "2021-06-22---Hot-Papers.md"])


def test_export_from_json_with_hostile_slug_writes_only_the_canonical_file(tmp_path: Path) -> None:
    day = parse_post(_hostile_post("../../etc/passwd"), "post.md")
    data: dict[str, Any] = day_to_json(day)
    data["slug"] = "../../../tmp/evil"
    data["title"] = "/tmp/evil 2021-06-22"  # a title must end with the day's date to read back
    source = tmp_path / "day.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", "--from-json", str(source), "-o", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["2021-06-22---Hot-Papers.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["day.json", "out"]


def test_export_all_uses_canonical_names_whatever_the_front_matter(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "2021-06-22---Hot-Papers.md").write_text(_hostile_post("../../../escape"), encoding="utf-8")
    out = tmp_path / "deep" / "out"
    out.mkdir(parents=True)
    assert main(["export", "--all", "--feed", f"dir:{feed}", "-o", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["2021-06-22---Hot-Papers.md"]
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["out"]


# --- write_text_atomic under failure -------------------------------------------------------

SAMPLE_DAY = Day(date=date(2021, 6, 22), title="Hot Papers 2021-06-22", generated_at=datetime(2021, 6, 23, 10, 32, 4))


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_existing_file_is_never_replaced_without_consent(tmp_path: Path) -> None:
    target = tmp_path / "2021-06-22---Hot-Papers.md"
    target.write_text("the user's own notes", encoding="utf-8")
    with pytest.raises(ExportError, match="already exists"):
        save_post(SAMPLE_DAY, target)
    assert target.read_text(encoding="utf-8") == "the user's own notes"
    assert _leftovers(tmp_path) == []
    save_post(SAMPLE_DAY, target, overwrite=True)
    assert target.read_text(encoding="utf-8") == render_post(SAMPLE_DAY)


def test_file_appearing_during_the_write_is_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.md"
    real_link = os.link

    def racing_link(src: str, dst: str) -> None:
        Path(dst).write_text("written by someone else meanwhile", encoding="utf-8")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(ExportError, match="already exists"):
        write_text_atomic(target, "ours")
    assert target.read_text(encoding="utf-8") == "written by someone else meanwhile"
    assert _leftovers(tmp_path) == []


_REAL_WRITE = os.write


def _full_disk(fd: int, data: bytes | memoryview) -> int:
    """A write that stores half and then fails as on a full disk."""
    _REAL_WRITE(fd, bytes(data[: len(data) // 2]))
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("overwrite", [False, True])
def test_full_disk_on_write_keeps_the_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overwrite: bool
) -> None:
    target = tmp_path / "out.md"
    if overwrite:
        target.write_text("old content", encoding="utf-8")
    monkeypatch.setattr("hotpapers_tui.export.os.write", _full_disk)
    with pytest.raises(ExportError, match="No space left on device"):
        write_text_atomic(target, "new content " * 1000, overwrite=overwrite)
    assert _leftovers(tmp_path) == []
    if overwrite:
        assert target.read_text(encoding="utf-8") == "old content"
    else:
        assert not target.exists()


@pytest.mark.parametrize("overwrite", [False, True])
def test_full_disk_on_fsync_keeps_the_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overwrite: bool
) -> None:
    target = tmp_path / "out.md"
    if overwrite:
        target.write_text("old content", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("hotpapers_tui.export.os.fsync", full)
    with pytest.raises(ExportError, match="No space left on device"):
        write_text_atomic(target, "new content", overwrite=overwrite)
    assert _leftovers(tmp_path) == []
    if overwrite:
        assert target.read_text(encoding="utf-8") == "old content"
    else:
        assert not target.exists()


def test_failing_rename_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.md"
    target.write_text("old content", encoding="utf-8")

    def refuse(src: str, dst: str) -> None:
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("hotpapers_tui.export.os.replace", refuse)
    with pytest.raises(ExportError, match="Permission denied"):
        write_text_atomic(target, "new content", overwrite=True)
    assert target.read_text(encoding="utf-8") == "old content"
    assert _leftovers(tmp_path) == []


def test_full_disk_through_the_command_line_is_one_line_and_status_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "post.md"
    source.write_text(_hostile_post("x"), encoding="utf-8")
    monkeypatch.setattr("hotpapers_tui.export.os.write", _full_disk)
    assert main(["export", str(source), "-o", str(tmp_path / "out.md")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "No space left on device" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.md"]


# --- only a regular file is ever replaced; folders named by -o ------------------------------------


def _special(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"special-{kind}"
    if kind == "stdout-link":
        path.symlink_to("/proc/self/fd/1")
    elif kind == "file-link":
        target = tmp_path / "target.md"
        target.write_text("the link's target\n", encoding="utf-8")
        path.symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        try:
            os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
        except PermissionError:
            pytest.skip("making a device node needs privileges this run does not have")
    return path


@pytest.mark.parametrize("kind", ["stdout-link", "file-link", "fifo", "device"])
@pytest.mark.parametrize("force", [False, True])
def test_output_that_is_not_a_regular_file_is_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, force: bool
) -> None:
    special = _special(tmp_path, kind)
    before = special.lstat()
    source = tmp_path / "post.md"
    source.write_text(_hostile_post("x"), encoding="utf-8")
    argv = ["export", str(source), "-o", str(special)] + (["--force"] if force else [])
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    if force:
        assert "not a regular file; only a regular file is ever replaced" in err
    else:
        assert "already exists" in err or "not a regular file" in err
    after = special.lstat()
    assert (after.st_mode, after.st_ino, after.st_rdev) == (before.st_mode, before.st_ino, before.st_rdev)
    if kind == "file-link":
        assert (tmp_path / "target.md").read_text(encoding="utf-8") == "the link's target\n"
    assert _leftovers(tmp_path) == []


def test_a_special_file_put_in_place_during_the_write_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.md"
    target.write_text("old\n", encoding="utf-8")
    real_fsync = os.fsync

    def swap(fd: int) -> None:
        real_fsync(fd)
        target.unlink()
        target.symlink_to("/proc/self/fd/1")

    monkeypatch.setattr("hotpapers_tui.export.os.fsync", swap)
    with pytest.raises(ExportError, match="symbolic link"):
        write_text_atomic(target, "new\n", overwrite=True)
    assert target.is_symlink()
    assert _leftovers(tmp_path) == []


def test_trailing_slash_means_a_folder_and_it_is_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "post.md"
    source.write_text(_hostile_post("x"), encoding="utf-8")
    out = tmp_path / "new" / "deeper"
    assert main(["export", str(source), "-o", f"{out}/"]) == 0
    assert [p.name for p in out.iterdir()] == ["2021-06-22---Hot-Papers.md"]
    assert capsys.readouterr().err == f"wrote {out / '2021-06-22---Hot-Papers.md'}\n"
    # Without the slash a missing name is a file, as before.
    assert main(["export", str(source), "-o", str(tmp_path / "plain")]) == 0
    assert (tmp_path / "plain").is_file()


def test_trailing_slash_on_an_existing_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "post.md"
    source.write_text(_hostile_post("x"), encoding="utf-8")
    (tmp_path / "taken").write_text("mine\n", encoding="utf-8")
    assert main(["export", str(source), "-o", f"{tmp_path / 'taken'}/"]) == 1
    err = capsys.readouterr().err
    assert err == f"hotpapers-tui: {tmp_path / 'taken'}: exists and is not a folder\n"
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "mine\n"


def test_export_all_creates_the_folder_and_its_parents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "2021-06-22---Hot-Papers.md").write_text(_hostile_post("x"), encoding="utf-8")
    out = tmp_path / "a" / "b" / "c"
    assert main(["export", "--all", "--feed", f"dir:{feed}", "-o", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["2021-06-22---Hot-Papers.md"]
    assert capsys.readouterr().err.endswith(f"wrote 1 post to {out}\n")


def test_export_all_of_a_failing_feed_creates_no_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "never"
    assert main(["export", "--all", "--feed", f"dir:{tmp_path / 'missing'}", "-o", str(out)]) == 1
    assert "not a folder of posts" in capsys.readouterr().err
    assert not out.exists()


# --- temporary files an interrupted export left -------------------------------------------------


def _temp(folder: Path, name: str, age: float) -> Path:
    path = folder / name
    path.write_text("half a post", encoding="utf-8")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_stale_temporary_files_of_our_naming_are_removed_on_the_next_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = _temp(out, ".2021-06-21---Hot-Papers.md.k2j4h5g6.tmp", age=600)
    ranged = _temp(out, ".2021-06-21-2021-06-23---Hot-Papers.md.abcd_123.tmp", age=600)
    fresh = _temp(out, ".2021-06-20---Hot-Papers.md.zzzzzzzz.tmp", age=0)
    others = [
        _temp(out, ".notes.md.k2j4h5g6.tmp", age=600),  # not a post's name: someone else's
        _temp(out, ".2021-06-21---Hot-Papers.md.k2j4h5g.tmp", age=600),  # not mkstemp's 8 characters
        _temp(out, "2021-06-21---Hot-Papers.md.k2j4h5g6.tmp", age=600),  # no leading dot
    ]
    held = _temp(out, ".2021-06-19---Hot-Papers.md.aaaaaaaa.tmp", age=600)
    import fcntl

    with open(held, "rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # a writer still busy with it
        source = tmp_path / "post.md"
        source.write_text(_hostile_post("x"), encoding="utf-8")
        assert main(["export", str(source), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"removed 2 temporary files an interrupted export left in {out}" in err
    assert not stale.exists() and not ranged.exists()
    assert fresh.exists() and held.exists() and all(p.exists() for p in others)


def test_a_killed_export_all_leaves_nothing_the_next_one_does_not_clean(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    for day in ("2021-06-21", "2021-06-22"):
        (feed / f"{day}---Hot-Papers.md").write_text(_hostile_post("x").replace("2021-06-22", day), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    _temp(out, ".2021-06-22---Hot-Papers.md.q1w2e3r4.tmp", age=60)
    assert main(["export", "--all", "--feed", f"dir:{feed}", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["2021-06-21---Hot-Papers.md", "2021-06-22---Hot-Papers.md"]
