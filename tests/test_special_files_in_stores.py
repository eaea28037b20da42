"""A FIFO or a huge file where the search index reads a post, or where a kept live day lies: a skipped day, said.

Each case runs in a child process with a deadline (a FIFO with no writer would block its
reader forever) and a memory limit (a huge file must be refused, not read into memory).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 60.0
MEMORY_LIMIT = 1536 * 1024 * 1024
HUGE = 4 * 1024**3
"""A sparse file of 4 GiB: nothing is written to disk, but reading it whole would need 4 GiB of memory."""

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and resource limits are POSIX")


def run_child(script: str, tmp_path: Path) -> dict[str, object]:
    """Run ``script`` (which prints one JSON line) with the deadline and the memory limit; its answer."""
    prelude = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))
        """
    )
    env = {**os.environ, "HOTPAPERS_CACHE_DIR": str(tmp_path / "cache"), "HOTPAPERS_DATA_DIR": str(tmp_path / "d")}
    try:
        done = subprocess.run(
            [sys.executable, "-c", prelude + textwrap.dedent(script), str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=DEADLINE,
            cwd=ROOT,
            env=env,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"still reading after {DEADLINE:.0f} s: a special file was opened as if it were a post")
    assert done.returncode == 0, done.stderr[-3000:]
    answer: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


INDEX_SCRIPT = """
import asyncio, json, os, sys
from datetime import date
from pathlib import Path
from hotpapers_tui.feeds import FolderFeed
from hotpapers_tui.library.searchindex import SearchIndex, feed_key, sync_days
from tests.ui.postgen import make_day, write_posts

tmp = Path(sys.argv[1])
kind = "{kind}"
days = [date(2024, 7, 1), date(2024, 7, 2), date(2024, 7, 3)]
paths = write_posts(tmp / "posts", [make_day(d, 3) for d in days])
with SearchIndex.open(tmp / "search.sqlite3") as index:
    feed = FolderFeed(tmp / "posts", name="dir:posts")
    asyncio.run(sync_days(index, feed, days))
    feed = FolderFeed(tmp / "posts", name="dir:posts")
    feed.files()  # listed while every post was a file
    paths[1].unlink()
    if kind == "fifo":
        os.mkfifo(paths[1])
    else:
        with open(paths[1], "wb") as huge:
            huge.truncate({huge})
    changes = asyncio.run(sync_days(index, feed, days))
    hits = sorted({{h.date.isoformat() for h in index.search(feed_key(feed), "synthetic", limit=None)}})
print(json.dumps({{"failed": [[d.isoformat(), m] for d, m in changes.failed], "hits": hits,
                  "unchanged": changes.unchanged, "dropped": changes.dropped}}))
"""


@pytest.mark.parametrize("kind", ["fifo", "huge"])
def test_the_search_index_skips_a_post_that_is_not_a_readable_file(kind: str, tmp_path: Path) -> None:
    answer = run_child(INDEX_SCRIPT.format(kind=kind, huge=HUGE), tmp_path)
    post = tmp_path / "posts" / "2024-07-02---Hot-Papers.md"
    why = "is a FIFO, not a regular file" if kind == "fifo" else "is larger than 16 MB (4096 MB), refused"
    assert answer["failed"] == [["2024-07-02", f"{post}: {why}"]]
    # The day is left out of the search (its old entry with it); the others are untouched.
    assert answer["hits"] == ["2024-07-01", "2024-07-03"]
    assert answer["unchanged"] == 2 and answer["dropped"] == 1


KEPT_SCRIPT = """
import asyncio, json, os, sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from hotpapers_tui.feeds import FeedError
from hotpapers_tui.library.searchindex import SearchIndex, sync_feed
from hotpapers_tui.live.daystore import LiveDayStore
from hotpapers_tui.live.feed import LiveFeed
from hotpapers_tui.live.settings import LiveSettings
from tests.live.fakes import FakeFetcher
from tests.ui.postgen import make_day

tmp = Path(sys.argv[1])
kind = "{kind}"
days = [date(2024, 7, 1), date(2024, 7, 2), date(2024, 7, 3)]
store = LiveDayStore(tmp / "live-days")
for d in days:
    store.put(make_day(d, 3), datetime(2024, 8, 1, tzinfo=UTC))
path = tmp / "live-days" / "2024-07-02.json"
path.unlink()
if kind == "fifo":
    os.mkfifo(path)
else:
    with open(path, "wb") as huge:
        huge.truncate({huge})

def nothing(request):
    raise AssertionError(f"no request may be made: {{request.url}}")

fetcher = FakeFetcher(nothing)
feed = LiveFeed(fetcher, LiveSettings(), now=lambda: datetime(2024, 9, 1, tzinfo=UTC), days_store=store)
try:
    asyncio.run(feed.load(date(2024, 7, 2)))
    loaded = "loaded"
except FeedError as exc:
    loaded = str(exc)
with SearchIndex.open(tmp / "search.sqlite3") as index:
    changes = asyncio.run(sync_feed(index, feed))
print(json.dumps({{"load": loaded, "failed": [[d.isoformat(), m] for d, m in changes.failed],
                  "indexed": changes.indexed}}))
"""


@pytest.mark.parametrize("kind", ["fifo", "huge"])
def test_a_kept_live_day_that_is_not_a_readable_file_is_a_skipped_day(kind: str, tmp_path: Path) -> None:
    answer = run_child(KEPT_SCRIPT.format(kind=kind, huge=HUGE), tmp_path)
    kept = tmp_path / "live-days" / "2024-07-02.json"
    why = "is a FIFO, not a regular file" if kind == "fifo" else "is larger than 32 MB (4096 MB), refused"
    message = f"{kept}: the kept live day {why}; remove it to build the day again"
    assert answer["load"] == message, "never built again over a file that cannot be replaced"
    assert answer["failed"] == [["2024-07-02", message]]
    assert answer["indexed"] == 2
