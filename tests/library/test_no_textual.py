"""The reading-list core and its commands never import textual."""

import subprocess
import sys

MODULES = [
    "hotpapers_tui.library.marks",
    "hotpapers_tui.library.query",
    "hotpapers_tui.library.searchindex",
    "hotpapers_tui.library.bibtex",
    "hotpapers_tui.cli.library_cmds",
]


def test_library_does_not_import_textual() -> None:
    code = "".join(f"import {m}\n" for m in MODULES) + (
        "import sys\nprint(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
