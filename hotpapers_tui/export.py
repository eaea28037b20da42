"""Writing posts to disk: atomic, only ever over a regular file, and never over a user's file unless they asked."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from pathlib import Path

from hotpapers_tui.localfile import file_kind
from hotpapers_tui.model import Day
from hotpapers_tui.paths import shown
from hotpapers_tui.posts import render_post

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

TEMP_SUFFIX = ".tmp"
STALE_TEMP = re.compile(r"^\.\d{4}-\d{2}-\d{2}(?:-\d{4}-\d{2}-\d{2})?---Hot-Papers\.md\.[a-z0-9_]{8}\.tmp\Z")
"""Our own temporary files beside a post: ``.NAME.xxxxxxxx.tmp`` as ``write_text_atomic`` names them."""
STALE_AFTER_SECONDS = 2.0
"""A temporary file younger than this may be one a writer has just made and not locked yet."""
UNLOCKED_STALE_AFTER_SECONDS = 3600.0
"""Where files cannot be locked, a temporary file is taken as left over only after an hour."""
_FOLDER_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})
"""Write errors that every further file in the same folder would meet too."""


class ExportError(Exception):
    """A post could not be written; the message names the path and why."""

    def __init__(self, message: str, *, cause: str = "", exists: bool = False, whole_folder: bool = False) -> None:
        super().__init__(message)
        self.cause = cause or message
        """The reason without the file's own name: the same for every file of a folder that cannot be written."""
        self.exists = exists
        """True when the only problem is that the file exists and replacing it was not asked for."""
        self.whole_folder = whole_folder
        """True when no file can be written into the folder (no permission, read-only, full): stop trying."""


def _mode_for(path: Path) -> int:
    """The permission bits for a file written at ``path``: the replaced file's, else the umask's."""
    try:
        return stat.S_IMODE(path.lstat().st_mode)
    except OSError:
        # The umask can only be read by setting it; it is restored at once.
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


def _already_exists(path: Path) -> ExportError:
    return ExportError(
        f"{shown(path)}: already exists (use --force to replace it)", cause="already exists", exists=True
    )


def check_replaceable(path: Path, *, overwrite: bool) -> None:
    """Raise ExportError unless writing ``path`` is allowed.

    Only a regular file is ever replaced, and only with ``overwrite``: a folder, a
    symbolic link (wherever it points), a device, a FIFO or a socket never is. The
    check uses ``lstat``, so a link is judged as itself, not by its target.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ExportError(f"{shown(path)}: cannot check it ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ExportError(f"{shown(path)}: is a folder, not a file", cause="the output is a folder")
    if not stat.S_ISREG(info.st_mode):
        kind = file_kind(info.st_mode)
        raise ExportError(
            f"{shown(path)}: is {kind}, not a regular file; only a regular file is ever replaced"
            " (use '-o -' for standard output)",
            cause=f"the output is {kind}",
        )
    if not overwrite:
        raise _already_exists(path)


def write_text_atomic(path: Path, text: str, *, overwrite: bool = False) -> Path:
    """Write ``text`` to ``path`` through a temporary file renamed into place.

    An interrupted write leaves any old file whole. Without ``overwrite`` an existing
    file is never replaced, even if it appears between the check and the rename; with
    it, only a regular file is (see :func:`check_replaceable`).
    """
    path = path.expanduser()
    folder = path.parent
    check_replaceable(path, overwrite=overwrite)
    if not folder.is_dir():
        raise ExportError(
            f"{shown(folder)}: no such folder", cause=f"{shown(folder)}: no such folder", whole_folder=True
        )
    data = text.encode("utf-8")
    tmp_name = ""
    fd = -1
    try:
        mode = _mode_for(path)
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise ExportError(
                f"{shown(folder)}: cannot write into the folder ({reason})",
                cause=f"{shown(folder)}: cannot write into the folder ({reason})",
                whole_folder=True,
            ) from None
        if fcntl is not None:
            # Held until the file is renamed and closed: a later export cleaning up
            # left-over temporary files can tell this one is still being written.
            fcntl.flock(fd, fcntl.LOCK_EX)
        # mkstemp makes the file private (0600); the post gets the mode any new file
        # gets, or keeps the mode of the file it replaces.
        os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
        if overwrite:
            # Checked again just before: a special file put there meanwhile is not replaced.
            check_replaceable(path, overwrite=True)
            os.replace(tmp_name, path)
        else:
            # link() fails if the name exists, closing the race a plain rename would leave open.
            os.link(tmp_name, path)
            os.unlink(tmp_name)
        tmp_name = ""
    except FileExistsError:
        raise _already_exists(path) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ExportError(
            f"{shown(path)}: cannot write ({reason})",
            cause=f"{shown(folder)}: cannot write ({reason})",
            whole_folder=exc.errno in _FOLDER_ERRORS,
        ) from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path


def save_post(day: Day, path: Path, *, overwrite: bool = False) -> Path:
    """Render ``day`` and write it atomically to ``path``."""
    return write_text_atomic(path, render_post(day), overwrite=overwrite)


def output_path(output: str, filename: str) -> Path:
    """Where ``-o OUTPUT`` puts a post named ``filename``: into OUTPUT if it is (or ends like) a folder.

    ``-o posts/`` means a folder even when it does not exist yet (it is created);
    ``-o posts`` means the folder if there is one, else a file of that name.
    """
    out = Path(output).expanduser()
    if output.endswith(("/", os.sep)):
        ensure_folder(out)
        return out / filename
    if out.is_dir():
        # A link to a folder counts as the folder: the post goes inside, the link stays.
        return out / filename
    return out


def ensure_folder(folder: Path) -> None:
    """Make ``folder`` and its parents if missing; ExportError when that cannot be done."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ExportError(f"{shown(folder)}: exists and is not a folder") from None
    except OSError as exc:
        raise ExportError(f"{shown(folder)}: cannot create the folder ({exc.strerror or exc})") from None


def remove_stale_temps(folder: Path, *, now: float | None = None) -> list[str]:
    """Delete the temporary files an interrupted export left in ``folder``; the names removed.

    Only files of our own naming (``.NAME.xxxxxxxx.tmp`` beside a post name) are
    touched, and only when no writer holds them: a writer keeps its temporary file
    locked until it is renamed into place.
    """
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time() if now is None else now
    for entry in entries:
        match = STALE_TEMP.match(entry.name)
        if not match or not entry.is_file(follow_symlinks=False):
            continue
        if _removable(folder / entry.name, now):
            removed.append(entry.name)
    return removed


def _removable(path: Path, now: float) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        info = os.fstat(fd)
        age = now - info.st_mtime
        if not stat.S_ISREG(info.st_mode) or age < STALE_AFTER_SECONDS:
            return False
        if fcntl is None:
            if age < UNLOCKED_STALE_AFTER_SECONDS:
                return False
        else:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # a writer holds it
        os.unlink(path)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
