"""Textual's key names, checked without importing Textual, so the config can refuse a key no terminal sends."""

from __future__ import annotations

import unicodedata

MODIFIERS = ("shift", "ctrl", "alt", "super", "hyper", "meta")
"""The modifiers Textual's key names carry, joined with ``+`` before the key (``ctrl+shift+up``)."""

NAMED_KEYS = frozenset(
    ["escape", "enter", "return", "tab", "space", "backspace", "newline"]
    + ["up", "down", "left", "right", "home", "end", "insert", "delete", "pageup", "pagedown"]
    + [f"f{n}" for n in range(1, 25)]
)
"""Keys that are not characters, by the names of Textual's ``Keys`` enumeration."""

FRIENDLY_CHARACTER_NAMES = {
    "slash": "/",
    "backslash": "\\",
    "at": "@",
    "minus": "-",
    "plus": "+",
    "underscore": "_",
}
"""The short names Textual uses in place of some Unicode character names."""

HYPHENATED_NAMES = {
    "hyphen_minus": "HYPHEN-MINUS",
    "less_than_sign": "LESS-THAN SIGN",
    "greater_than_sign": "GREATER-THAN SIGN",
}
"""Unicode names holding a hyphen, which Textual's ``_`` spelling cannot give back by itself."""


def character_for(name: str) -> str | None:
    """The character a Textual character-key name stands for (``question_mark`` -> ``?``), or None."""
    if len(name) == 1:
        return name if name.isprintable() and not name.isspace() else None
    if name in FRIENDLY_CHARACTER_NAMES:
        return FRIENDLY_CHARACTER_NAMES[name]
    if name != name.lower() or not name.replace("_", "").isalnum():
        return None
    unicode_name = HYPHENATED_NAMES.get(name, name.replace("_", " ").upper())
    try:
        char = unicodedata.lookup(unicode_name)
    except KeyError:
        return None
    return char if len(char) == 1 and char.isprintable() else None


def key_problem(key: str) -> str | None:
    """Why ``key`` (one key, like ``ctrl+r``) is not a Textual key name, or None when it is."""
    if not key:
        return "an empty key name"
    *modifiers, base = key.split("+")
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            return f"{modifier!r} is not a modifier (modifiers: {', '.join(MODIFIERS)})"
    if len(set(modifiers)) != len(modifiers):
        return f"a modifier given twice in {key!r}"
    if not base:
        return f"no key after the modifiers in {key!r} (the + key is named 'plus')"
    if base in NAMED_KEYS or character_for(base) is not None:
        return None
    return (
        f"{base!r} is not a key name: expected one character (a, R, 5, ?), a key like "
        "escape, enter, tab, space, up, pageup, home, f1, or a character's name (question_mark)"
    )


def keys_problem(keys: str) -> str | None:
    """Why a comma-separated key list (``R,ctrl+r``) cannot be bound, or None when every key is good."""
    if not keys.strip():
        return "no key given (expected one or more comma-separated keys, like 'R,ctrl+r')"
    for key in keys.split(","):
        problem = key_problem(key.strip())
        if problem is not None:
            return problem
    return None
