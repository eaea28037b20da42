"""``hotpapers-tui screenshot`` renders the reader headlessly to an SVG file."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotpapers_tui.cli import main


def test_writes_svg_of_the_chosen_day_and_view(posts_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "help.svg"
    code = main(["screenshot", "--feed", f"dir:{posts_dir}", "--date", "2024-03-07", "--view", "help", "-o", str(out)])
    assert code == 0
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    assert "2024-03-07" in svg
    assert "Save&#160;day&#160;as&#160;Markdown&#160;post" in svg


def test_never_replaces_without_force(posts_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "list.svg"
    out.write_text("mine", encoding="utf-8")
    assert main(["screenshot", "--feed", f"dir:{posts_dir}", "-o", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "mine"
    assert "already exists" in capsys.readouterr().err
    assert main(["screenshot", "--feed", f"dir:{posts_dir}", "--size", "80x24", "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("<svg")


def test_bad_size_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["screenshot", "--size", "huge", "-o", str(tmp_path / "x.svg")])
    assert exc.value.code == 2
