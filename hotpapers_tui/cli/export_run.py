"""``export --all``: every day of a feed into a folder, with progress, one line per cause, and a summary."""

from __future__ import annotations

import asyncio
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TextIO

from hotpapers_tui.daydata import DayDataError
from hotpapers_tui.export import ExportError, write_text_atomic
from hotpapers_tui.feeds import Feed, FeedError
from hotpapers_tui.feeds.base import export_ready
from hotpapers_tui.fetch.api import FetchError
from hotpapers_tui.paths import shown
from hotpapers_tui.posts import PostError, render_post

PROGRAM = "hotpapers-tui"

_URL = re.compile(r"(?:\s+for)?\s+[a-z][a-z0-9+.-]*://\S+|[a-z][a-z0-9+.-]*://\S+")


@dataclass
class Tally:
    """What an export did so far; read again after an interruption."""

    outdir: Path
    total: int = 0
    """Days the feed listed."""
    done: int = 0
    """Days finished (written, skipped or failed)."""
    written: list[str] = field(default_factory=list)
    """File names written, in order."""
    skipped: int = 0
    """Days whose file existed (without --force)."""
    failed: Counter[str] = field(default_factory=Counter)
    """Days that failed, by kind of cause."""
    causes: Counter[str] = field(default_factory=Counter)
    """Failures by their exact cause, to report each cause once and count the rest."""
    current: date | None = None
    """The day being exported now."""
    stopped: str = ""
    """Why the export stopped before the last day (the folder cannot be written), or empty."""

    @property
    def failures(self) -> int:
        return sum(self.failed.values())

    def summary(self) -> str:
        """The closing line: the files written (and only those), skipped and failed by cause."""
        posts = "post" if len(self.written) == 1 else "posts"
        text = f"wrote {len(self.written)} {posts} to {shown(self.outdir)}"
        if self.skipped:
            text += f", skipped {self.skipped} existing"
        if self.failed:
            kinds = ", ".join(f"{count} {kind}" for kind, count in self.failed.most_common())
            text += f", {self.failures} failed ({kinds})"
        if self.stopped:
            text += f"; stopped there, {self.total - self.done} days not tried"
        return text

    def interrupted(self) -> str:
        """The line for Ctrl+C: what was written, and that nothing was left half-written."""
        last = f" (the last: {self.written[-1]})" if self.written else ""
        left = self.total - self.done
        return f"interrupted: {self.summary()}{last}; {left} of {self.total} days not exported; no file is half-written"


class Reporter(Protocol):
    """Where an export tells what it does: progress and error lines, on standard error."""

    def start(self, tally: Tally, feed_name: str) -> None: ...

    def day_started(self, tally: Tally) -> None: ...

    def day_done(self, tally: Tally) -> None: ...

    def line(self, text: str) -> None: ...

    def close(self) -> None: ...


class PlainReporter:
    """Progress as plain lines (standard error is not a terminal): a line at most every ``interval`` seconds."""

    def __init__(
        self, stream: TextIO | None = None, *, interval: float = 10.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.stream = stream
        self.interval = interval
        self.clock = clock
        self._last = 0.0
        self._day_since = 0.0

    def _out(self) -> TextIO:
        return self.stream if self.stream is not None else sys.stderr

    def line(self, text: str) -> None:
        self._out().write(shown(text) + "\n")
        self._out().flush()

    def start(self, tally: Tally, feed_name: str) -> None:
        self._last = self.clock()
        self.line(f"{PROGRAM}: exporting {tally.total} days of {feed_name} to {tally.outdir}")

    def day_started(self, tally: Tally) -> None:
        self._day_since = self.clock()

    def status(self, tally: Tally) -> str:
        text = f"{PROGRAM}: {tally.done}/{tally.total} days done, {len(tally.written)} written"
        if tally.skipped:
            text += f", {tally.skipped} skipped"
        if tally.failures:
            text += f", {tally.failures} failed"
        if tally.current is not None:
            waited = self.clock() - self._day_since
            if waited >= self.interval:
                text += f"; waiting {waited:.0f} s for {tally.current.isoformat()}"
        return text

    def tick(self, tally: Tally) -> None:
        """Print the status if ``interval`` has passed since the last line."""
        if self.clock() - self._last >= self.interval:
            self._last = self.clock()
            self.line(self.status(tally))

    def day_done(self, tally: Tally) -> None:
        if tally.done < tally.total:
            self.tick(tally)

    def close(self) -> None:
        return None


class BarReporter:
    """A progress bar on standard error (a terminal), with error lines printed above it."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = Console(stderr=True, highlight=False, markup=False)
        self.progress = Progress(
            TextColumn("export", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}", markup=False),
            console=self.console,
            transient=True,
        )
        self._task: Any = None

    def start(self, tally: Tally, feed_name: str) -> None:
        self.progress.start()
        self._task = self.progress.add_task("", total=tally.total)

    def day_started(self, tally: Tally) -> None:
        if tally.current is not None:
            self.progress.update(self._task, description=tally.current.isoformat())

    def day_done(self, tally: Tally) -> None:
        self.progress.update(self._task, completed=tally.done)

    def tick(self, tally: Tally) -> None:
        return None

    def line(self, text: str) -> None:
        from rich.text import Text

        self.console.print(Text(shown(text)), soft_wrap=True)

    def close(self) -> None:
        self.progress.stop()


def reporter_for(stream: TextIO) -> PlainReporter | BarReporter:
    """A bar on a terminal, plain lines otherwise."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return BarReporter() if tty else PlainReporter(stream)


def _fetch_error(exc: BaseException) -> FetchError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, FetchError):
            return seen
        seen = seen.__cause__
    return None


def _without_urls(text: str) -> str:
    return _URL.sub("", text).strip()


def classify(exc: Exception) -> tuple[str, str]:
    """A failure's kind (for the summary) and its cause (to report each cause once)."""
    if isinstance(exc, ExportError):
        return "cannot write", exc.cause
    fetch = _fetch_error(exc)
    if fetch is not None:
        # One host failing fails every day the same way; the URL differs, the cause does not.
        return "network", _without_urls(str(fetch))
    return "unreadable", str(exc)


async def export_feed(
    feed: Feed, outdir: Path, *, force: bool, tally: Tally, reporter: PlainReporter | BarReporter
) -> int:
    """Write every day of ``feed`` into ``outdir``; returns the exit status (1 if any day was not written).

    Two days that would write the same file name are a conflict: the day whose own
    date the name carries keeps it, the other is reported and not written. A day that
    fails is reported once per cause and the rest still written.
    """
    days = list(await feed.days())
    listed = set(days)
    tally.total = len(days)
    claimed: dict[str, date] = {}
    first_of_cause: dict[str, date] = {}
    reporter.start(tally, feed.name)
    ticker = asyncio.create_task(_tick(reporter, tally))

    def fail(day: date, kind: str, cause: str, message: str) -> None:
        tally.failed[kind] += 1
        tally.causes[cause] += 1
        if tally.causes[cause] == 1:
            first_of_cause[cause] = day
            reporter.line(f"{PROGRAM}: {message}")

    try:
        for listed_day in days:
            tally.current = listed_day
            reporter.day_started(tally)
            try:
                loaded = await feed.load(listed_day)
                day = await export_ready(feed, loaded.day)
                text = render_post(day)
            except (FeedError, PostError, DayDataError, FetchError, ValueError) as exc:
                kind, cause = classify(exc)
                fail(listed_day, kind, cause, str(exc))
            else:
                name = day.filename
                owner = claimed.get(name)
                if owner is None and day.date != listed_day and day.date in listed:
                    owner = day.date
                if owner is not None:
                    message = (
                        f"{listed_day.isoformat()}: its post is dated {day.date.isoformat()}, so it would be written "
                        f"as {name}, the file of {owner.isoformat()}; not written"
                    )
                    fail(listed_day, "name conflict", message, message)
                else:
                    claimed[name] = listed_day
                    try:
                        write_text_atomic(outdir / name, text, overwrite=force)
                    except ExportError as exc:
                        if exc.exists:
                            tally.skipped += 1
                            if tally.skipped == 1:
                                reporter.line(
                                    f"{PROGRAM}: {shown(outdir / name)}: already exists, skipped"
                                    " (use --force to replace it)"
                                )
                        else:
                            kind, cause = classify(exc)
                            fail(listed_day, kind, cause, str(exc))
                            if exc.whole_folder:
                                # Every further day would fail the same way: stop asking the feed.
                                tally.stopped = exc.cause
                    else:
                        tally.written.append(name)
            tally.done += 1
            tally.current = None
            reporter.day_done(tally)
            if tally.stopped:
                break
    finally:
        ticker.cancel()
        reporter.close()
    for cause, count in tally.causes.items():
        if count > 1:
            first = first_of_cause[cause].isoformat()
            noun = "day" if count == 2 else "days"
            reporter.line(f"{PROGRAM}: {count - 1} more {noun} failed as {first} did: {_without_urls(cause)}")
    if tally.skipped > 1:
        others = tally.skipped - 1
        files = "file" if others == 1 else "files"
        reporter.line(f"{PROGRAM}: {others} more existing {files} skipped (use --force to replace them)")
    return 1 if tally.skipped or tally.failures else 0


async def _tick(reporter: PlainReporter | BarReporter, tally: Tally) -> None:
    """Say where the export is while one day takes long (a slow server)."""
    while True:
        await asyncio.sleep(1.0)
        reporter.tick(tally)
