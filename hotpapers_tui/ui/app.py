"""The reader application: takes plain settings, pushes the reader screen, owns app-wide commands."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.notifications import Notify, SeverityLevel
from textual.screen import Screen

from hotpapers_tui.feeds.base import Feed
from hotpapers_tui.keymap import BINDINGS, keys_for, unknown_ids
from hotpapers_tui.library.marks import ReadPolicy
from hotpapers_tui.ui.screens.reader import CacheOnlyFeed, ReaderScreen

NOTICE_SECONDS = 3.0
"""How long a routine notice (a mark set, a sort changed) stays; warnings and errors stay Textual's default."""


class HotPapersApp(App[None]):
    """Hot Papers in the terminal."""

    CSS_PATH = "reader.tcss"
    TITLE = "Hot Papers"

    def __init__(
        self,
        feed: Feed,
        *,
        start_date: date | None = None,
        export_dir: Path | None = None,
        keymap: Mapping[str, str] | None = None,
        theme: str | None = None,
        notice: str | None = None,
        read_policy: ReadPolicy | None = None,
        offline: bool = False,
        cache_only: CacheOnlyFeed | None = None,
        background: bool = True,
    ) -> None:
        super().__init__()
        self.feed = feed
        """Where the days come from (listed by the reader once it is on screen)."""
        self.start_date = start_date
        """The day to open on (the nearest earlier one if absent), or None for the newest."""
        self.export_dir = export_dir
        """The folder 's' offers first (config ``export_dir``), or None for the current folder."""
        self.user_keymap = dict(keymap or {})
        """Rebindings by binding id (``{"next_day": "n"}``)."""
        self.notice = notice
        """A message to show once the reader is up, or None."""
        self.read_policy = read_policy
        """When a paper counts as read without ``r`` (None: the default policy)."""
        self.offline = offline
        """True with ``--offline``: the header says so for as long as the reader runs."""
        self.cache_only = cache_only
        """Opens the feed from the cache only, for indexing remote days in the background."""
        self.background = background
        """Load neighbouring days ahead and keep the search index (off for a screenshot, which needs neither)."""
        self.unknown_theme = ""
        """A configured theme Textual does not know, reported once the reader is up."""
        if theme:
            if theme in self.available_themes:
                self.theme = theme
            else:
                self.unknown_theme = theme
        if self.user_keymap:
            self.set_keymap(self.user_keymap)

    def on_mount(self) -> None:
        self.push_screen(
            ReaderScreen(
                self.feed,
                self.start_date,
                self.export_dir,
                read_policy=self.read_policy,
                offline=self.offline,
                cache_only=self.cache_only,
                background=self.background,
            )
        )
        if self.notice:
            self.notify(self.notice, markup=False, severity="warning", timeout=10)
        if self.unknown_theme:
            themes = ", ".join(sorted(self.available_themes))
            self.notify(f"Theme {self.unknown_theme!r} is not known; available: {themes}", severity="warning")
        unknown = unknown_ids(self.user_keymap)
        if unknown:
            self.notify(f"Keymap: no binding with id {', '.join(unknown)}", severity="warning", markup=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        if timeout is None and severity == "information":
            timeout = NOTICE_SECONDS
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _on_notify(self, event: Notify) -> None:
        # One routine notice at a time, like the message line of less or newsboat: quick r, * or A
        # presses stacked a toast each over the list. What must stay (offline, a failed day, the
        # gap) stays in the status line; a warning or error is kept until its time is up, once.
        new = event.notification
        for old in list(self._notifications):
            same = (old.message, old.title, old.severity) == (new.message, new.title, new.severity)
            if same or (new.severity == old.severity == "information"):
                self._unnotify(old, refresh=False)
        super()._on_notify(event)

    async def on_unmount(self) -> None:
        await self.feed.aclose()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, ReaderScreen):
            return
        seen: set[str] = set()
        for binding in BINDINGS:
            action = binding.action.removeprefix("screen.")
            if binding.where or action.startswith("app.") or action in seen:
                continue
            seen.add(action)
            keys = keys_for(binding, self.user_keymap)
            yield SystemCommand(binding.command, f"Key: {keys}", partial(self.run_action, action, screen))
