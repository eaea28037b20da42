"""Writing posts to disk: atomic, and never over a user's file unless they asked."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from hotpapers_tui.model import Day
from hotpapers_tui.posts import render_post


class ExportError(Exception):
    """A post could not be written; the message names the path and why."""


def _mode_for(path: Path) -> int:
    """The permission bits for a file written at ``path``: the replaced file's, else the umask's."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        # The umask can only be read by setting it; it is restored at once.
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


def write_text_atomic(path: Path, text: str, *, overwrite: bool = False) -> Path:
    """Write ``text`` to ``path`` through a temporary file renamed into place.

    An interrupted write leaves any old file whole. Without ``overwrite`` an existing
    file is never replaced, even if it appears between the check and the rename.
    """
    path = path.expanduser()
    folder = path.parent
    if path.is_dir():
        raise ExportError(f"{path}: is a folder, not a file")
    if not overwrite and path.exists():
        raise ExportError(f"{path}: already exists (use --force to replace it)")
    if not folder.is_dir():
        raise ExportError(f"{folder}: no such folder")
    data = text.encode("utf-8")
    tmp_name = ""
    try:
        mode = _mode_for(path)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            # mkstemp makes the file private (0600); the post gets the mode any new file
            # gets, or keeps the mode of the file it replaces.
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp_name, path)
        else:
            # link() fails if the name exists, closing the race a plain rename would leave open.
            os.link(tmp_name, path)
            os.unlink(tmp_name)
        tmp_name = ""
    except FileExistsError:
        raise ExportError(f"{path}: already exists (use --force to replace it)") from None
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path


def save_post(day: Day, path: Path, *, overwrite: bool = False) -> Path:
    """Render ``day`` and write it atomically to ``path``."""
    return write_text_atomic(path, render_post(day), overwrite=overwrite)
