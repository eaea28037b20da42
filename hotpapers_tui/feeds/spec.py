"""What a ``github:`` feed name says, taken apart without the HTTP client the feed itself needs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hotpapers_tui.feeds.base import FeedError

ARCHIVE_SPEC = "github:TatsuyaShirakawa/daily-arxiv-gatsby/content/posts@master"
"""The published Hot Papers archive."""

GITHUB_HELP = "github:OWNER/REPO/PATH[@REF] (a repository folder of posts; REF defaults to the default branch)"

_NAME_PART = re.compile(r"[A-Za-z0-9_.-]+")
GIT_REF = re.compile(r"[A-Za-z0-9_./-]+")
"""The characters a branch, tag or commit name may have here ('..' is refused apart)."""


@dataclass(frozen=True, slots=True)
class GithubFolder:
    """Where a folder of posts lives on GitHub."""

    owner: str
    repo: str
    path: str
    ref: str | None = None


def parse_github_spec(spec: str) -> GithubFolder:
    """``github:OWNER/REPO/PATH[@REF]`` taken apart; raises FeedError saying what is expected."""
    body = spec.removeprefix("github:")
    where, at, ref = body.partition("@")
    parts = [p for p in where.strip("/").split("/") if p]
    if len(parts) < 2 or (at and not ref):
        raise FeedError(f"{spec!r}: expected {GITHUB_HELP}")
    owner, repo, folder = parts[0], parts[1], "/".join(parts[2:])
    for part in parts:
        # fullmatch: ``$`` would also accept a name ending in a newline.
        if not _NAME_PART.fullmatch(part) or part in (".", ".."):
            raise FeedError(f"{spec!r}: {part!r} is not a GitHub name or folder; expected {GITHUB_HELP}")
    if ref and (".." in ref or not GIT_REF.fullmatch(ref)):
        raise FeedError(f"{spec!r}: {ref!r} is not a branch, tag or commit")
    return GithubFolder(owner, repo, folder, ref or None)
