"""Reading the user's files safely: regular files only, within a stated size limit."""

from __future__ import annotations

import itertools
import os
import stat
from pathlib import Path

MiB = 1024 * 1024

MAX_POST_BYTES = 16 * MiB
"""A post larger than this is refused: the largest published post is about 70 KB."""
MAX_JSON_DAY_BYTES = 32 * MiB
"""A JSON day (``export --from-json``) larger than this is refused."""
MAX_CONFIG_BYTES = 1 * MiB
"""A config file larger than this is refused."""


class FileRefused(Exception):
    """The path names something that is not read: not a regular file, or too large.

    The message says why without the path; the caller names the path in its own error.
    """


def file_kind(mode: int) -> str:
    """What a stat mode describes, for messages (``a FIFO``, ``a folder``)."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISREG, "a regular file"),
    )
    for test, name in kinds:
        if test(mode):
            return name
    return "a special file"


def size_text(n: int) -> str:
    """A byte count as people read it (``16 MB``)."""
    if n >= MiB:
        return f"{n / MiB:g} MB"
    if n >= 1024:
        return f"{n / 1024:g} KB"
    return f"{n} bytes"


def read_regular_file(path: Path | str, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    The file is opened without blocking and checked on the open descriptor: opening a
    FIFO with no writer would otherwise wait forever, and a check by name before the
    open could be raced. Raises FileRefused for anything else, OSError when it cannot
    be opened or read.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"is {file_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise FileRefused(f"is larger than {size_text(limit)} ({size_text(info.st_size)}), refused")
        chunks: list[bytes] = []
        size = 0
        # The file may grow while it is read: stop one byte past the limit.
        while True:
            chunk = os.read(fd, min(limit + 1 - size, 1 * MiB))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise FileRefused(f"is larger than {size_text(limit)}, refused")
        return b"".join(chunks)
    finally:
        os.close(fd)


def closed_folder(path: Path | str) -> Path | None:
    """The folder on the way to ``path`` that cannot be entered (no search permission), or None.

    Nothing below such a folder can be opened or even looked up: whether ``path`` exists
    cannot be known, so "cannot read the file" would not be true, and neither would
    "no such file".
    """
    full = Path(os.path.abspath(path))
    chain = [*reversed(full.parents), full]
    for folder, entry in itertools.pairwise(chain):
        try:
            os.stat(entry)
        except PermissionError:
            return folder
        except OSError:
            return None
    return None
