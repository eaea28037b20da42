"""One-shot commands give up on a dead host for their whole run; the reader asks it again later."""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from hotpapers_tui.cli import common, reader_cmd
from hotpapers_tui.fetch.api import giving_up_for_the_run


async def _inside() -> bool:
    return giving_up_for_the_run()


def test_a_command_run_gives_up_for_the_whole_run() -> None:
    assert common.run(_inside()) is True
    assert giving_up_for_the_run() is False  # only inside the run


def test_a_long_running_run_asks_again_later() -> None:
    assert common.run(_inside(), one_shot=False) is False


def test_the_reader_is_not_a_one_shot_run(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_run(coro: Any, *, one_shot: bool = True) -> None:
        coro.close()
        seen["one_shot"] = one_shot

    class FakeApp:
        async def run_async(self) -> None:
            return None

    monkeypatch.setattr(reader_cmd, "run", fake_run)
    monkeypatch.setattr(reader_cmd, "reader_feed", lambda args, config: (None, None))
    monkeypatch.setattr(reader_cmd, "build_app", lambda *a, **k: FakeApp())
    assert reader_cmd.run_reader(argparse.Namespace()) == 0
    assert seen == {"one_shot": False}
