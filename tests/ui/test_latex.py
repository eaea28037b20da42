"""LaTeX math in abstracts becomes readable Unicode; prose around it is never touched."""

import pytest

from hotpapers_tui.latex import latex_to_unicode


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("$\\gamma$-ray bursts", "γ-ray bursts"),
        ("a $1000\\times$ speed-up", "a 1000× speed-up"),
        ("$\\alpha \\le \\beta$", "α≤β"),
        ("$$\\sum_i x_i$$", "∑_i x_i"),
        ("\\(\\mathbb{R}^d\\)", "ℝ^d"),
        ("$50\\%$ and $a%b$", "50% and a%b"),
    ],
)
def test_math_becomes_unicode(source: str, shown: str) -> None:
    assert latex_to_unicode(source) == shown


@pytest.mark.parametrize(
    "prose",
    [
        "Improves 50% of cases & more -- see {this}",
        "It costs $5 and $10 per run",
        "[Re] Attention [WIP]: the [bold]",
        "No math at all.",
        "A lone $ sign",
    ],
)
def test_prose_is_unchanged(prose: str) -> None:
    assert latex_to_unicode(prose) == prose


def test_unreadable_math_is_kept_as_written() -> None:
    assert latex_to_unicode("see $\\frac{a$ here") == "see $\\frac{a$ here"
    assert latex_to_unicode("see $\\frac{a}$ here") == "see $\\frac{a}$ here"
