"""A saved post gets the permissions any new file gets, not the private mode of a temporary file."""

import os
import stat
from datetime import date
from pathlib import Path

from hotpapers_tui.export import save_post
from tests.ui.postgen import make_day


def test_new_post_follows_umask_and_replaced_post_keeps_its_mode(tmp_path: Path) -> None:
    day = make_day(date(2024, 1, 2), 2)
    old = os.umask(0o022)
    try:
        new = save_post(day, tmp_path / day.filename)
    finally:
        os.umask(old)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    new.chmod(0o640)
    save_post(day, new, overwrite=True)
    assert stat.S_IMODE(new.stat().st_mode) == 0o640
