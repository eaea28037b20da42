"""A post cannot steer where a file is written, and exports never lose or replace a file by accident."""

from __future__ import annotations

import errno
import json
import os
import re
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


_REAL_FDOPEN = os.fdopen


class _FullDisk:
    """A file object whose writes fail as on a full disk."""

    def __init__(self, fd: int, mode: str) -> None:
        self._file = _REAL_FDOPEN(fd, mode)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()

    def write(self, data: bytes) -> int:
        self._file.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        self._file.flush()

    def fileno(self) -> int:
        return self._file.fileno()


@pytest.mark.parametrize("overwrite", [False, True])
def test_full_disk_on_write_keeps_the_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overwrite: bool
) -> None:
    target = tmp_path / "out.md"
    if overwrite:
        target.write_text("old content", encoding="utf-8")
    monkeypatch.setattr("hotpapers_tui.export.os.fdopen", _FullDisk)
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
    monkeypatch.setattr("hotpapers_tui.export.os.fdopen", _FullDisk)
    assert main(["export", str(source), "-o", str(tmp_path / "out.md")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "No space left on device" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.md"]
