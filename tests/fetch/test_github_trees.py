"""GitHub folders listed through the git trees API: past 1,000 files, truncated trees said, odd names refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from hotpapers_tui.feeds import FeedError
from hotpapers_tui.feeds.github import GithubFeed, parse_github_spec
from hotpapers_tui.fetch.cache import AnswerCache
from hotpapers_tui.fetch.client import HttpFetcher, RetryPolicy
from hotpapers_tui.posts import day_from_filename
from tests.fetch.conftest import FOLDER, OWNER, REF, REPO, PostServer, Reply, archive_days, post_name, post_text
from tests.github_trees import repository, tree_path

SPEC = f"github:{OWNER}/{REPO}/{FOLDER}@{REF}"


def feed_for(server: PostServer, cache_dir: Path, spec: str = SPEC) -> GithubFeed:
    fetcher = HttpFetcher(
        base_urls={"github_api": server.base_url, "github_raw": server.base_url},
        cache=AnswerCache(cache_dir),
        retry=RetryPolicy(attempts=1),
    )
    return GithubFeed(parse_github_spec(spec), fetcher, name=spec, owns_fetcher=True)


def many(server: PostServer, count: int) -> list[date]:
    """``count`` posts in the folder; only the listing reads them, so their bodies are short."""
    days = archive_days(count, first=date(2019, 1, 1))
    server.posts = {post_name(d): f"post {d}".encode() for d in days}
    return days


async def test_a_folder_of_1500_posts_lists_1500_days(
    tmp_path: Path, serve: Callable[[list[date]], PostServer]
) -> None:
    server = serve([])
    days = many(server, 1500)
    server.posts[post_name(days[-1])] = post_text(days[-1]).encode()
    feed = feed_for(server, tmp_path / "cache")
    listed = await feed.days()
    assert listed == days and len(listed) == 1500
    assert feed.listing_note == "" and feed.start_note is None
    # The newest day, the one a 1,000-entry listing in name order would have dropped, loads.
    assert (await feed.load(days[-1])).day.date == days[-1]
    await feed.aclose()
    # The root tree by ref, then one sub-tree per folder part, by sha: content/, then posts/.
    trees = [p for p in server.paths_seen() if "/git/trees/" in p]
    assert trees[0] == tree_path(OWNER, REPO, REF) and len(trees) == 1 + len(FOLDER.split("/"))
    assert all(len(p.rsplit("/", 1)[1]) == 40 for p in trees[1:])


async def test_a_truncated_tree_lists_what_came_and_says_it_was_cut(
    tmp_path: Path, serve: Callable[[list[date]], PostServer]
) -> None:
    server = serve([])
    days = many(server, 1500)
    server.posts[post_name(days[0])] = post_text(days[0]).encode()
    server.truncate_at = 1200
    feed = feed_for(server, tmp_path / "cache")
    listed = await feed.days()
    assert listed == days[:1200]
    note = f"GitHub cut the listing of {FOLDER} (truncated): 1200 days listed, others may be missing"
    assert feed.listing_note == note and feed.start_note == note
    load = await feed.load(days[0])
    assert load.note == note  # every day of the feed says so
    await feed.aclose()


async def test_a_folder_cut_off_above_it_is_a_clear_error(
    tmp_path: Path, serve: Callable[[list[date]], PostServer]
) -> None:
    server = serve(archive_days(2))
    root = tree_path(OWNER, REPO, REF)
    server.faults[root] = [Reply(body=b'{"sha": "' + b"a" * 40 + b'", "tree": [], "truncated": true}')]
    feed = feed_for(server, tmp_path / "cache")
    with pytest.raises(
        FeedError, match="GitHub cut the listing of the repository's top folder before reaching 'content'"
    ):
        await feed.days()
    await feed.aclose()
    missing = feed_for(server, tmp_path / "other", spec=f"github:{OWNER}/{REPO}/nowhere@{REF}")
    with pytest.raises(FeedError, match="no folder 'nowhere' in the repository's top folder on main"):
        await missing.days()
    await missing.aclose()


async def test_without_a_ref_the_default_branch_is_asked(
    tmp_path: Path, serve: Callable[[list[date]], PostServer]
) -> None:
    server = serve(archive_days(2))
    server.faults[f"/repos/{OWNER}/{REPO}"] = [Reply(body=repository(OWNER, REPO, REF))]
    feed = feed_for(server, tmp_path / "cache", spec=f"github:{OWNER}/{REPO}/{FOLDER}")
    assert await feed.days() == archive_days(2)
    await feed.aclose()
    assert server.paths_seen()[:2] == [f"/repos/{OWNER}/{REPO}", tree_path(OWNER, REPO, REF)]


async def test_trees_by_sha_are_kept_for_good_and_only_the_ref_is_asked_again(
    tmp_path: Path, serve: Callable[[list[date]], PostServer]
) -> None:
    server = serve(archive_days(3))
    first = feed_for(server, tmp_path / "cache")
    await first.days()
    await first.aclose()
    seen = len(server.seen)
    again = feed_for(server, tmp_path / "cache")
    await again._listing(refresh=True)
    await again.aclose()
    assert server.paths_seen()[seen:] == [tree_path(OWNER, REPO, REF)]


async def test_links_submodules_and_names_that_are_not_post_names_are_not_listed(
    tmp_path: Path, serve: Callable[[list[date]], PostServer]
) -> None:
    server = serve(archive_days(1))
    odd = {
        "2021-07-01---Hot-Papers.md\n": "blob",  # a name ending in a newline
        "2021-07-02---Hot-Papers.md": "commit",  # a submodule
        "2021-07-03---Hot-Papers.mdx": "blob",
        "../2021-07-04---Hot-Papers.md": "blob",
    }
    server.extra_entries = [
        {"path": name, "mode": "160000" if kind == "commit" else "100644", "type": kind, "sha": "b" * 40}
        for name, kind in odd.items()
    ]
    server.extra_entries.append(
        {"path": "2021-07-05---Hot-Papers.md", "mode": "120000", "type": "blob", "sha": "c" * 40}
    )
    feed = feed_for(server, tmp_path / "cache")
    assert await feed.days() == archive_days(1)
    await feed.aclose()


def test_names_with_a_trailing_newline_fail_every_name_check() -> None:
    assert day_from_filename("2021-06-22---Hot-Papers.md") is not None
    assert day_from_filename("2021-06-22---Hot-Papers.md\n") is None
    for spec in ("github:me/blog\n", "github:me/blog/posts\n", "github:me/blog/posts@main\n", "github:me\n/blog"):
        with pytest.raises(FeedError):
            parse_github_spec(spec)


def test_days_says_on_stderr_that_the_listing_was_cut(
    tmp_path: Path,
    serve: Callable[[list[date]], PostServer],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hotpapers_tui.cli import main

    server = serve([])
    days = many(server, 1500)
    server.truncate_at = 1200
    config = tmp_path / "config.toml"
    config.write_text(
        f'[sources.github_api]\nbase_url = "{server.base_url}"\n[sources.github_raw]\nbase_url = "{server.base_url}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("HOTPAPERS_CONFIG", str(config))
    monkeypatch.setenv("HOTPAPERS_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["days", "--feed", SPEC]) == 0
    out, err = capsys.readouterr()
    # Standard output stays the days alone, for scripts; the cut is said beside it.
    assert out.split() == [d.isoformat() for d in reversed(days[:1200])]
    note = f"GitHub cut the listing of {FOLDER} (truncated): 1200 days listed, others may be missing"
    assert err == f"hotpapers-tui: {SPEC}: {note}\n"
