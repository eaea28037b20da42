"""Counts of fuzz cases run per target, printed at the end of the test session."""

from __future__ import annotations

from collections import Counter

CASES: Counter[str] = Counter()
"""Cases run so far, by fuzz target name."""

ACCEPTED: Counter[str] = Counter()
"""Of those, the cases the reader accepted (the rest ended in the project's own error)."""
