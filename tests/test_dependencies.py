"""The declared dependencies allow only versions with the interfaces the code and the tests call."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def _requirements(group: str | None = None) -> dict[str, Requirement]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    names = project["dependencies"] if group is None else project["optional-dependencies"][group]
    return {req.name: req for req in map(Requirement, names)}


def test_the_test_extra_asks_for_bibtexparser_2() -> None:
    # The tests call bibtexparser.parse_string, which version 2 introduced.
    spec = _requirements("test")["bibtexparser"].specifier
    assert not spec.contains("1.4.4")
    assert spec.contains("2.1.0")


def test_what_the_package_imports_is_declared() -> None:
    declared = _requirements()
    for name in ("msgspec", "keyring", "rich", "platformdirs", "httpx"):
        assert name in declared, name
