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
from hotpapers_tui.feeds.base import days_at_hand, export_ready, load_at_hand
from hotpapers_tui.fetch.api import FetchError, give_up_for_the_run
from hotpapers_tui.paths import shown
from hotpapers_tui.posts import PostError, render_post

PROGRAM = "hotpapers-tui"

MAX_BUILDS = 25
"""How many live days ``export --all --since/--until`` builds unless ``--max-builds`` allows more (about a month)."""

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
    left_out: int = 0
    """Days of the feed not exported because each would need a build (see :class:`ExportPlan`)."""

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
        if self.left_out:
            days = "live day" if self.left_out == 1 else "live days"
            text += f"; {self.left_out} {days} never built here left out (see above)"
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


@dataclass(frozen=True, slots=True)
class ExportPlan:
    """Which days an ``export --all`` writes, which of them it builds first, and which it leaves out."""

    days: list[date]
    """The days to write, oldest first."""
    build: frozenset[date] = frozenset()
    """Of those, the live days never built here, built before they are written."""
    left_out: list[date] = field(default_factory=list)
    """The feed's days not written because each would need a build, oldest first."""
    listed: frozenset[date] = frozenset()
    """Every day the feed lists (a day's post dated as another listed day is a conflict)."""

    def left_out_line(self) -> str:
        """What was left out and how to get it, or "" when nothing was."""
        if not self.left_out:
            return ""
        count = len(self.left_out)
        days = "live day" if count == 1 else "live days"
        span = (
            self.left_out[0].isoformat()
            if count == 1
            else f"between {self.left_out[0].isoformat()} and {self.left_out[-1].isoformat()}"
        )
        return (
            f"{PROGRAM}: left out {count} {days} never built here ({span}): each build asks every source and arXiv "
            "(one request every 3 seconds), so export --all builds none. To build and export them: "
            f"export --all --since DATE [--until DATE] (at most {MAX_BUILDS} builds, --max-builds N for more), "
            "or export DATE -o OUT for one day"
        )


class TooManyBuilds(Exception):
    """An ``export --all`` range holds more live days to build than allowed; the message says how to go on."""


async def plan_export(
    feed: Feed, *, since: date | None = None, until: date | None = None, max_builds: int = MAX_BUILDS
) -> ExportPlan:
    """The days an ``export --all`` of ``feed`` writes.

    Without a range, the days at hand (:func:`feeds.base.days_at_hand`): every day of
    most feeds; of the live feed and the timeline, the archive's days and the live days
    kept here, while the live days never built here are left out and counted (building
    all of them would take hours). With ``since``/``until``, every day in that range, the
    live days never built here built first, at most ``max_builds`` of them
    (:class:`TooManyBuilds` otherwise, before anything is written or built).
    """
    listed = sorted(await feed.days())
    wanted = [d for d in listed if (since is None or d >= since) and (until is None or d <= until)]
    at_hand = set(await days_at_hand(feed))
    not_at_hand = [d for d in wanted if d not in at_hand]
    if since is None and until is None:
        kept = [d for d in wanted if d in at_hand]
        return ExportPlan(kept, left_out=not_at_hand, listed=frozenset(listed))
    if len(not_at_hand) > max_builds:
        first, last = not_at_hand[0].isoformat(), not_at_hand[-1].isoformat()
        raise TooManyBuilds(
            f"the range holds {len(not_at_hand)} live days never built here (between {first} and {last}); "
            f"each build asks every source and arXiv (one request every 3 seconds), so at most {max_builds} are "
            f"built at a time: narrow --since/--until, or allow them with --max-builds {len(not_at_hand)}"
        )
    return ExportPlan(wanted, build=frozenset(not_at_hand), listed=frozenset(listed))


async def export_feed(
    feed: Feed,
    outdir: Path,
    *,
    force: bool,
    tally: Tally,
    reporter: PlainReporter | BarReporter,
    plan: ExportPlan | None = None,
) -> int:
    """Write the days of ``plan`` (default: :func:`plan_export` without a range) into ``outdir``.

    Returns the exit status (1 if any day was not written; days left out by the plan
    are said, not failed). Two days that would write the same file name are a conflict:
    the day whose own date the name carries keeps it, the other is reported and not
    written. A day that fails is reported once per cause and the rest still written.
    A host the fetch layer gives up on stays given up for the whole export (the reader
    asks it again after a while): every later day that needs it fails at once, one cause.
    """
    with give_up_for_the_run():
        return await _export_feed(feed, outdir, force=force, tally=tally, reporter=reporter, plan=plan)


async def _export_feed(
    feed: Feed,
    outdir: Path,
    *,
    force: bool,
    tally: Tally,
    reporter: PlainReporter | BarReporter,
    plan: ExportPlan | None,
) -> int:
    if plan is None:
        plan = await plan_export(feed)
    days = plan.days
    listed = plan.listed or frozenset(days)
    tally.total = len(days)
    tally.left_out = len(plan.left_out)
    if plan.left_out:
        reporter.line(plan.left_out_line())
    if plan.build:
        count = len(plan.build)
        what = "live day" if count == 1 else "live days"
        reporter.line(f"{PROGRAM}: building {count} {what} never built here before writing them")
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
                if listed_day in plan.build:
                    loaded = await feed.load(listed_day)
                else:
                    loaded = await load_at_hand(feed, listed_day)
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
