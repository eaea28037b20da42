"""Subcommands over posts: ``show``, ``export`` and ``days``."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from hotpapers_tui.cli.common import CliError, add_feed_option, feed_from_args, parse_date, run, say_feed_notes
from hotpapers_tui.cli.export_run import MAX_BUILDS, Tally, TooManyBuilds, export_feed, plan_export, reporter_for
from hotpapers_tui.daydata import day_from_json, day_to_json
from hotpapers_tui.export import ensure_folder, output_path, remove_stale_temps, save_post
from hotpapers_tui.feeds import DayLoad, Feed, FeedError
from hotpapers_tui.feeds.base import export_ready, why_no_day
from hotpapers_tui.localfile import MAX_JSON_DAY_BYTES, FileRefused, read_regular_file
from hotpapers_tui.model import Day, rank_papers
from hotpapers_tui.paths import shown
from hotpapers_tui.posts import read_post, render_post
from hotpapers_tui.textsafety import plain


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    show = sub.add_parser(
        "show",
        parents=[common],
        help="print a day as a ranked list or as JSON",
        description="Print a day: a post file (PATH) or a date of a feed (--feed FEED DATE).",
    )
    show.add_argument("target", metavar="PATH|DATE", help="a post file, or a date YYYY-MM-DD of --feed")
    add_feed_option(show)
    show.add_argument("--json", action="store_true", help="print the day as JSON (schema in the README)")
    show.set_defaults(handler=cmd_show)

    export = sub.add_parser(
        "export",
        parents=[common],
        help="write a day (or every day) as a Markdown post",
        description="Write a day again as a Hot Papers post in the canonical layout. "
        "Never replaces an existing file without --force; writes atomically.",
    )
    export.add_argument("target", nargs="?", metavar="PATH|DATE", help="a post file, or a date YYYY-MM-DD of --feed")
    export.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="output file, '-' for standard output, or a folder (a trailing '/' always means a folder; "
        "a missing folder is created); with --all, the folder",
    )
    export.add_argument(
        "--from-json", metavar="DAY.json", type=Path, help="render a JSON day (as 'show --json' prints it)"
    )
    export.add_argument(
        "--all",
        action="store_true",
        help="export every day of --feed into the folder OUT (of timeline and live: the days that need no build)",
    )
    export.add_argument(
        "--since", type=parse_date, metavar="DATE", help="with --all: only days from DATE on; builds live days"
    )
    export.add_argument(
        "--until", type=parse_date, metavar="DATE", help="with --all: only days up to DATE; builds live days"
    )
    export.add_argument(
        "--max-builds",
        type=int,
        default=MAX_BUILDS,
        metavar="N",
        help=f"with --since/--until: build at most N live days (default {MAX_BUILDS}); a range needing more is refused",
    )
    export.add_argument("--force", action="store_true", help="replace existing regular files (never anything else)")
    add_feed_option(export)
    export.set_defaults(handler=cmd_export)

    days = sub.add_parser(
        "days",
        parents=[common],
        help="list a feed's days, newest first",
        description="Print the days a feed has, newest first, one ISO date per line.",
    )
    add_feed_option(days)
    days.add_argument("--limit", type=int, metavar="N", help="print at most N days")
    days.set_defaults(handler=cmd_days)


def _load_target(args: argparse.Namespace, target: str, *, for_export: bool = False) -> Day:
    """A day from a file path, or from a date of the chosen feed (made ready for a post when ``for_export``)."""
    path = Path(target)
    if args.feed is None and (path.exists() or target.endswith(".md")):
        if not path.exists():
            raise CliError(f"{shown(path)}: no such file")
        return read_post(path)
    try:
        wanted = parse_date(target)
    except argparse.ArgumentTypeError as exc:
        raise CliError(f"{target}: no such file, and {exc}") from None
    feed = feed_from_args(args)
    loaded: DayLoad = run(_load_one(feed, wanted, for_export=for_export))
    return loaded.day


async def _load_one(feed: Feed, wanted: Any, *, for_export: bool = False) -> Any:
    try:
        if wanted not in await feed.days():
            why = why_no_day(feed, wanted)
            raise FeedError(f"{feed.name}: no day {wanted.isoformat()}" + (f": {why}" if why else ""))
        loaded = await feed.load(wanted)
        if for_export:
            loaded = replace(loaded, day=await export_ready(feed, loaded.day))
        return loaded
    finally:
        await feed.aclose()


def format_day(day: Day) -> str:
    """A day as a readable ranked list for the terminal."""
    lines = [plain(day.title), f"{len(day.papers)} papers, generated {day.generated_at:%Y-%m-%d %H:%M}", ""]
    for rank, paper in enumerate(rank_papers(day.papers), start=1):
        lines.append(f"{rank:>3}. {plain(paper.title)}")
        lines.append(
            f"     score {paper.score} (retweets {paper.retweets}, favorites {paper.favorites})"
            f"  {paper.primary_category}  {len(paper.tweets)} posts  {paper.abs_url}"
        )
    return "\n".join(lines) + "\n"


def cmd_show(args: argparse.Namespace) -> int:
    day = _load_target(args, args.target)
    if args.json:
        sys.stdout.write(json.dumps(day_to_json(day), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_day(day))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    ranged = args.since is not None or args.until is not None
    if args.all:
        if args.target or args.from_json:
            raise CliError("--all takes no PATH and no --from-json")
        if args.since is not None and args.until is not None and args.since > args.until:
            raise CliError(f"--since {args.since.isoformat()} is after --until {args.until.isoformat()}")
        if args.max_builds < 0:
            raise CliError("--max-builds must be 0 or more")
        return _export_all(args)
    if ranged:
        raise CliError("--since and --until choose days of export --all; for one day give its DATE")
    written: list[Path] = []
    try:
        return _export_one(args, written)
    except KeyboardInterrupt:
        # The write is atomic: before the rename nothing is there, after it the whole post is.
        what = f"wrote {shown(written[0])}" if written else "nothing written"
        print(f"hotpapers-tui: interrupted: {what}", file=sys.stderr)
        raise


def _export_one(args: argparse.Namespace, written: list[Path]) -> int:
    if args.from_json is not None:
        if args.target:
            raise CliError("give either PATH or --from-json, not both")
        day = _day_from_json_file(args.from_json)
    elif args.target:
        day = _load_target(args, args.target, for_export=True)
    else:
        raise CliError("export needs PATH, a DATE with --feed, --from-json FILE, or --all")
    if args.output == "-":
        sys.stdout.write(render_post(day))
        return 0
    out = output_path(args.output, day.filename)
    _clean_folder(out.parent)
    written.append(save_post(day, out, overwrite=args.force))
    print(f"wrote {shown(out)}", file=sys.stderr)
    return 0


def _clean_folder(folder: Path) -> None:
    """Remove what an interrupted export left in ``folder``, and say so."""
    removed = remove_stale_temps(folder)
    if removed:
        files = "file" if len(removed) == 1 else "files"
        print(
            f"hotpapers-tui: removed {len(removed)} temporary {files} an interrupted export left in {shown(folder)}",
            file=sys.stderr,
        )


def _day_from_json_file(path: Path) -> Day:
    try:
        raw = read_regular_file(path, MAX_JSON_DAY_BYTES)
    except FileRefused as exc:
        raise CliError(f"{shown(path)}: {exc}") from None
    except OSError as exc:
        raise CliError(f"{shown(path)}: cannot read ({exc.strerror or exc})") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f"line {exc.lineno}: " if isinstance(exc, json.JSONDecodeError) else ""
        raise CliError(f"{shown(path)}: {where}not valid JSON ({exc})") from None
    except RecursionError:
        raise CliError(f"{shown(path)}: not valid JSON (nested too deeply)") from None
    try:
        return day_from_json(data)
    except ValueError as exc:
        raise CliError(f"{shown(path)}: {exc}") from None


def _export_all(args: argparse.Namespace) -> int:
    if args.output == "-":
        raise CliError("--all writes files: give a folder with -o")
    outdir = Path(args.output).expanduser()
    feed = feed_from_args(args)
    tally = Tally(outdir)

    async def export() -> int:
        try:
            # The folder is made only once the feed answers: a failing feed leaves nothing behind.
            try:
                plan = await plan_export(feed, since=args.since, until=args.until, max_builds=args.max_builds)
            except TooManyBuilds as exc:
                raise CliError(f"{feed.name}: {exc}") from None
            say_feed_notes(feed)
            ensure_folder(outdir)
            _clean_folder(outdir)
            reporter = reporter_for(sys.stderr)
            return await export_feed(feed, outdir, force=args.force, tally=tally, reporter=reporter, plan=plan)
        finally:
            await feed.aclose()

    try:
        status = run(export())
    except KeyboardInterrupt:
        print(f"hotpapers-tui: {tally.interrupted()}", file=sys.stderr)
        raise
    print(tally.summary(), file=sys.stderr)
    return status


def cmd_days(args: argparse.Namespace) -> int:
    feed = feed_from_args(args)

    async def listing() -> list[Any]:
        try:
            return list(await feed.days())
        finally:
            await feed.aclose()

    days = sorted(run(listing()), reverse=True)
    # On standard error: standard output stays the days alone, for scripts.
    say_feed_notes(feed)
    if args.limit is not None:
        days = days[: max(args.limit, 0)]
    for day in days:
        print(day.isoformat())
    return 0
