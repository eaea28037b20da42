"""The fetch layer, config, feeds and their commands stay in the core: none imports textual."""

import subprocess
import sys

MODULES = [
    "hotpapers_tui.config",
    "hotpapers_tui.fetch.client",
    "hotpapers_tui.fetch.cache",
    "hotpapers_tui.feeds.github",
    "hotpapers_tui.startup",
    "hotpapers_tui.cli.config_cmd",
    "hotpapers_tui.cli.cache_cmd",
]


def test_fetch_modules_do_not_import_textual() -> None:
    imports = "".join(f"import {m}\n" for m in MODULES)
    code = "import sys\n" + imports + "print(any(m.split('.')[0] == 'textual' for m in sys.modules))\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
