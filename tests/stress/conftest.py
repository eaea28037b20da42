"""Prints how many fuzz cases ran, so a run's output shows the figure and not just 'passed'."""

from __future__ import annotations

import pytest

from tests.stress.fuzzcount import ACCEPTED, CASES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not CASES:
        return
    failed = len(terminalreporter.stats.get("failed", []))
    terminalreporter.section("fuzz cases")
    for name, count in sorted(CASES.items()):
        accepted = ACCEPTED[name]
        terminalreporter.write_line(f"{name}: {count} cases ({accepted} read, {count - accepted} refused cleanly)")
    terminalreporter.write_line(f"total: {sum(CASES.values())} cases, {failed} failed tests")
