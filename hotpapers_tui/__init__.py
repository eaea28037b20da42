"""hotpapers-tui: a terminal reader for each day's arXiv papers ranked by social attention."""

__version__ = "0.1.0"
