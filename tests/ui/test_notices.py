"""Notices do not bury the screen: one routine notice at a time, as a terminal reader's message line, gone soon."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from hotpapers_tui.feeds import FolderFeed
from hotpapers_tui.library.marks import ReadPolicy
from hotpapers_tui.ui.app import NOTICE_SECONDS, HotPapersApp
from hotpapers_tui.ui.widgets.day_header import DayHeader
from tests.ui.conftest import DAYS
from tests.ui.helpers import SIZES, notifications, settle

NO_TIMER = ReadPolicy(after_shown=None, on_open=False)


@pytest.mark.parametrize("size", SIZES)
async def test_quick_mark_keys_leave_one_notice_and_the_header_uncovered(
    feed: FolderFeed, size: tuple[int, int]
) -> None:
    app = HotPapersApp(feed, start_date=DAYS[-1], read_policy=NO_TIMER)
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await settle(pilot)
        app.clear_notifications()
        await pilot.press("r", "asterisk", "j", "r", "asterisk", "A", "u")
        await pilot.pause()
        assert notifications(app) == ["Undone: 4 read marks."], notifications(app)
        toasts = list(app.screen.query(Toast))
        assert len(toasts) == 1
        header = screen.query_one(DayHeader).region
        assert not any(t.region.overlaps(header) for t in toasts), "the header stays readable"
        assert all(n.timeout == NOTICE_SECONDS for n in app._notifications)


async def test_a_warning_is_not_replaced_by_a_routine_notice_and_is_said_once(feed: FolderFeed) -> None:
    app = HotPapersApp(feed, start_date=DAYS[-1], read_policy=NO_TIMER)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.clear_notifications()
        for _ in range(3):
            app.notify("The marks database is read-only.", severity="warning")
        await pilot.press("r", "r")
        await pilot.pause()
        messages = notifications(app)
        assert messages.count("The marks database is read-only.") == 1, "the same warning again replaces itself"
        assert len(messages) == 2 and messages[-1].startswith("Unread: "), messages
        assert next(n.timeout for n in app._notifications) == app.NOTIFICATION_TIMEOUT
