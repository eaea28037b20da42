"""The core never imports textual: proven in a fresh interpreter."""

import subprocess
import sys

CORE_MODULES = [
    "hotpapers_tui.model",
    "hotpapers_tui.posts",
    "hotpapers_tui.tweets",
    "hotpapers_tui.daydata",
    "hotpapers_tui.export",
    "hotpapers_tui.feeds",
    "hotpapers_tui.textsafety",
    "hotpapers_tui.keymap",
    "hotpapers_tui.latex",
    "hotpapers_tui.cli",
    "hotpapers_tui.cli.posts_cmds",
    "hotpapers_tui.cli.live_cmds",
    "hotpapers_tui.live.feed",
    "hotpapers_tui.live.embeds",
    "hotpapers_tui.config",
    "hotpapers_tui.keynames",
    "hotpapers_tui.keychain",
    "hotpapers_tui.cli.export_run",
    "hotpapers_tui.cli.login_cmd",
]


def test_core_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE_MODULES)
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
