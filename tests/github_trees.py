"""GitHub's git trees API as the tests' fake servers answer it: a folder of posts, reached from its ref's root tree.

The shapes are those of ``GET /repos/{owner}/{repo}/git/trees/{tree_sha}`` in GitHub's REST
documentation: ``{sha, url, tree: [{path, mode, type, sha, size, url}], truncated}``, where a
non-recursive tree lists one folder's entries by name and a sub-folder is an entry of type
``tree`` whose ``sha`` names its own tree. ``tree_sha`` may also be a branch or tag name.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

API = "https://api.github.com"


def object_sha(kind: str, content: bytes) -> str:
    """A git object id: the SHA-1 of its header and content, as git computes it."""
    return hashlib.sha1(f"{kind} {len(content)}\0".encode() + content).hexdigest()


def _tree_body(owner: str, repo: str, sha: str, entries: list[dict[str, Any]], truncated: bool) -> bytes:
    url = f"{API}/repos/{owner}/{repo}/git/trees/{sha}"
    return json.dumps({"sha": sha, "url": url, "tree": entries, "truncated": truncated}).encode()


def tree_path(owner: str, repo: str, sha_or_ref: str) -> str:
    return f"/repos/{owner}/{repo}/git/trees/{sha_or_ref}"


def folder_trees(
    owner: str,
    repo: str,
    ref: str,
    folder: str,
    files: Mapping[str, bytes],
    *,
    extra: list[dict[str, Any]] | None = None,
    truncate_at: int | None = None,
) -> dict[str, bytes]:
    """Every tree answer a client walking from ``ref`` down to ``folder`` asks for, by request path.

    ``files`` are the folder's files by name; ``extra`` adds entries to the folder's tree (a
    sub-folder, a submodule). ``truncate_at`` lists only that many entries of the folder and
    sets ``truncated``, as GitHub does past its limits.
    """
    entries = [
        {
            "path": name,
            "mode": "100644",
            "type": "blob",
            "sha": object_sha("blob", body),
            "size": len(body),
            "url": f"{API}/repos/{owner}/{repo}/git/blobs/{object_sha('blob', body)}",
        }
        for name, body in sorted(files.items())
    ]
    entries += extra or []
    truncated = truncate_at is not None and len(entries) > truncate_at
    listed = entries[:truncate_at] if truncate_at is not None else entries
    answers: dict[str, bytes] = {}
    sha = object_sha("tree", json.dumps(entries, sort_keys=True).encode())
    body = _tree_body(owner, repo, sha, listed, truncated)
    parts = [p for p in folder.split("/") if p]
    # From the folder up: each parent holds the one below as a ``tree`` entry, plus a file of its own.
    for depth in range(len(parts), 0, -1):
        answers[tree_path(owner, repo, sha)] = body
        name = parts[depth - 1]
        parent_entries = [
            {"path": "README.md", "mode": "100644", "type": "blob", "sha": "e" * 40, "size": 10, "url": ""},
            {
                "path": name,
                "mode": "040000",
                "type": "tree",
                "sha": sha,
                "url": f"{API}/repos/{owner}/{repo}/git/trees/{sha}",
            },
        ]
        sha = object_sha("tree", json.dumps(parent_entries, sort_keys=True).encode())
        body = _tree_body(owner, repo, sha, parent_entries, False)
    answers[tree_path(owner, repo, sha)] = body
    answers[tree_path(owner, repo, ref)] = body  # the ref's root tree, asked by branch or tag name
    return answers


def repository(owner: str, repo: str, default_branch: str) -> bytes:
    """``GET /repos/{owner}/{repo}``, the part the feed reads: the default branch."""
    return json.dumps(
        {"id": 1, "name": repo, "full_name": f"{owner}/{repo}", "default_branch": default_branch, "private": False}
    ).encode()
