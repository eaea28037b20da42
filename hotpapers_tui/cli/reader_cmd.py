"""The reader itself: ``hotpapers-tui [--feed FEED] [--date DATE]``, and ``screenshot`` to render it to SVG."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hotpapers_tui.cli.common import CliError, add_feed_option, is_offline, parse_date, run
from hotpapers_tui.config import Config, load_config
from hotpapers_tui.feeds import FeedError, open_feed
from hotpapers_tui.feeds.folder import sample_feed
from hotpapers_tui.library.marks import ReadPolicy

if TYPE_CHECKING:
    from hotpapers_tui.feeds import Feed
    from hotpapers_tui.ui.app import HotPapersApp

VIEWS = ("list", "detail", "help", "save", "goto")
"""What ``screenshot --view`` can show."""


def add_reader_options(parser: argparse.ArgumentParser) -> None:
    add_feed_option(parser)
    parser.add_argument(
        "--date", type=parse_date, metavar="YYYY-MM-DD", help="open on this day (or the nearest earlier one)"
    )


def parse_size(text: str) -> tuple[int, int]:
    """A terminal size ``COLSxROWS``, or a usage error."""
    match = re.fullmatch(r"(\d+)x(\d+)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"expected a size as COLSxROWS (120x40), got {text!r}")
    cols, rows = int(match.group(1)), int(match.group(2))
    if not (20 <= cols <= 400 and 10 <= rows <= 200):
        raise argparse.ArgumentTypeError(f"size {text!r} out of range (20x10 to 400x200)")
    return cols, rows


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    shot = sub.add_parser(
        "screenshot",
        parents=[common],
        help="render the reader headlessly and write an SVG screenshot",
        description="Start the reader without a terminal, show a view, and save it as an SVG image.",
    )
    # Given before the command name too (--feed sample screenshot): keep_top_level_values, run on every
    # command once all are registered, leaves them without a default here so that value is kept.
    add_reader_options(shot)
    shot.add_argument("--size", type=parse_size, default=(120, 40), metavar="COLSxROWS", help="default: 120x40")
    shot.add_argument("--view", choices=VIEWS, default="list", help="what to show (default: list)")
    shot.add_argument("--row", type=int, default=0, metavar="N", help="highlight the N-th paper (0-based)")
    shot.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.svg")
    shot.add_argument("--force", action="store_true", help="replace FILE.svg if it exists")
    shot.set_defaults(handler=cmd_screenshot)


def build_app(
    args: argparse.Namespace,
    feed: Feed,
    *,
    config: Config | None = None,
    notice: str | None = None,
    background: bool = True,
) -> HotPapersApp:
    """The reader for parsed arguments and the config file's settings (export folder, keymap, theme).

    ``background=False`` leaves out the work a picture of the screen does not show: loading
    neighbouring days ahead and keeping the search index.
    """
    from hotpapers_tui.ui.app import HotPapersApp

    config = config if config is not None else load_config()
    # --offline needs no notice of its own: the header says it for as long as the reader runs.
    offline = is_offline(args)
    return HotPapersApp(
        feed,
        start_date=getattr(args, "date", None),
        export_dir=config.export_dir,
        keymap=dict(config.keymap),
        theme=config.theme,
        notice=notice,
        read_policy=ReadPolicy.parse(config.mark_read),
        offline=offline,
        cache_only=cache_only_opener(feed.name, config),
        background=background,
    )


def cache_only_opener(spec: str, config: Config) -> Callable[[], Feed] | None:
    """For a remote feed, a way to open it again answering from the cache only (background indexing never fetches)."""
    if spec == "sample" or spec.startswith("dir:"):
        return None

    def opener() -> Feed:
        return open_feed(spec, config=config, offline=True)

    return opener


def reader_feed(args: argparse.Namespace, config: Config) -> tuple[Feed, str | None]:
    """The feed to read, not listed yet: ``--feed`` as named, else the configured default.

    Nothing here touches the disk or the network: the reader lists the days once its
    first frame is on screen, and falls back to the sample (saying why) if it cannot.
    A ``default_feed`` that names no feed opens the sample with a notice; a ``--feed``
    that names none is an error.
    """
    spec = getattr(args, "feed", None)
    # Deferred: a remote feed's modules are imported once the first frame is up.
    if spec:
        return open_feed(spec, config=config, offline=is_offline(args), deferred=True), None
    try:
        return open_feed(config.default_feed, config=config, offline=is_offline(args), deferred=True), None
    except FeedError as exc:
        return sample_feed(), f"default_feed in the config: {exc}; showing the sample day instead"


async def open_reader_feed(args: argparse.Namespace, config: Config) -> tuple[Feed, str | None]:
    """The feed to read with its days listed: ``--feed`` as named, else the default with the sample as fallback."""
    from hotpapers_tui.startup import open_start_feed

    offline = is_offline(args)
    spec = getattr(args, "feed", None)
    if spec:
        return open_feed(spec, config=config, offline=offline), None
    return await open_start_feed(config, offline=offline)


def run_reader(args: argparse.Namespace) -> int:
    config = load_config()
    feed, notice = reader_feed(args, config)
    app = build_app(args, feed, config=config, notice=notice)

    async def read() -> None:
        # The feed's connections belong to the loop that runs the reader.
        await app.run_async()

    run(read(), one_shot=False)
    return 0


# Keys that bring each view up once the day is shown.
_VIEW_KEYS: dict[str, tuple[str, ...]] = {
    "list": (),
    "detail": ("enter",),
    "help": ("question_mark",),
    "save": ("s",),
    "goto": ("g",),
}


SETTLE_STEP = 0.005
"""Seconds between looks at whether the reader has shown its day (Pilot's idle wait sleeps 20 ms a time)."""
SETTLE_LIMIT = 20.0
"""Seconds the reader has to show a day before the screenshot gives up."""


async def render_svg(app: HotPapersApp, size: tuple[int, int], view: str, row: int = 0) -> str:
    """Run ``app`` headlessly at ``size``, bring up ``view``, and return the screen as SVG."""
    from hotpapers_tui.ui.screens.reader import ReaderScreen
    from hotpapers_tui.ui.widgets.paper_list import PaperList

    def busy() -> list[Any]:
        # The save dialog's worker waits for an answer: everything else is waited for.
        return [w for w in app.workers if w.group != "save" and not w.is_finished]

    async with app.run_test(size=size, notifications=True) as pilot:
        for _ in range(int(SETTLE_LIMIT / SETTLE_STEP)):
            # Every message handled, then a short sleep: the day is on screen once the load has ended.
            await pilot.pause(SETTLE_STEP)
            screen = app.screen
            if isinstance(screen, ReaderScreen) and screen.current is not None and not busy():
                break
        else:
            raise CliError("the reader did not show a day")
        if row:
            app.screen.query_one(PaperList).move_to(row, by_user=False)
        await pilot.press(*_VIEW_KEYS[view])
        waiting = busy()
        if waiting:  # an empty list would mean every worker to Textual
            await app.workers.wait_for_complete(waiting)
        await pilot.pause(0)
        return app.export_screenshot(title=f"hotpapers-tui: {view}")


def cmd_screenshot(args: argparse.Namespace) -> int:
    out: Path = args.output
    if out.exists() and not args.force:
        raise CliError(f"{out}: already exists (use --force to replace it)")
    config = load_config()

    feed, notice = reader_feed(args, config)
    app = build_app(args, feed, config=config, notice=notice, background=False)
    svg = run(render_svg(app, args.size, args.view, args.row))
    from hotpapers_tui.export import write_text_atomic

    write_text_atomic(out, svg, overwrite=args.force)
    print(f"wrote {out}")
    return 0
