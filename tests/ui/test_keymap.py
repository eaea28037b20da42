"""The binding table: the README's keybindings section is generated from it, ids are unique."""

from pathlib import Path

from hotpapers_tui.keymap import BINDINGS, keys_for, markdown_table, unknown_ids

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_table_matches_bindings() -> None:
    assert markdown_table() in README.read_text(encoding="utf-8"), (
        "README keybindings table is out of date; paste hotpapers_tui.keymap.markdown_table()"
    )


def test_ids_are_unique_and_keys_display_as_typed() -> None:
    ids = [b.id for b in BINDINGS]
    assert len(ids) == len(set(ids))
    by_id = {b.id: b for b in BINDINGS}
    assert keys_for(by_id["next_day"]) == "]"
    assert keys_for(by_id["next_day"], {"next_day": "n,right_square_bracket"}) == "n / ]"
    assert unknown_ids({"next_day": "n", "nope": "x"}) == ["nope"]
