"""The live feed's settings: windows, weights, thresholds and credentials, with defaults for today's volumes.

The feature only declares its settings; the config module reads them from the file's
``[live]`` table and hands them over, so the dependency runs one way (config -> live).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields


@dataclass(frozen=True, slots=True)
class LiveSettings:
    """How a live day is built; the config file maps onto these fields."""

    window_days: int = 2
    """Days of attention counted after a listing's announcement (never past now)."""
    include_all_mentioned: bool = False
    """Keep every mentioned paper, not only those first announced on the day."""
    weight_reposts: float = 1.0
    """Weight of one repost (X retweet or quote, Bluesky repost)."""
    weight_likes: float = 1.0
    """Weight of one like."""
    weight_hn_points: float = 1.0
    """Weight of one Hacker News point."""
    weight_hf_upvotes: float = 1.0
    """Weight of one Hugging Face upvote."""
    min_paper_score: int = 5
    """A paper needs at least this score to be listed."""
    min_post_score: int = 2
    """Below a paper's first post, a post needs at least this score to be shown."""
    max_posts: int = 10
    """At most this many posts per paper."""
    x_max_posts_per_build: int = 100
    """X bills each post read: one build reads at most this many."""
    bluesky_handle: str | None = field(default=None, repr=False)
    """The Bluesky handle to sign in with (search needs a session)."""
    bluesky_app_password: str | None = field(default=None, repr=False)
    """A Bluesky app password (never the account password)."""
    x_bearer_token: str | None = field(default=None, repr=False)
    """An X API bearer token; X is skipped without one."""

    def __post_init__(self) -> None:
        # Each message starts with the field's name: the config names the key from it.
        # Upper bounds keep dates, scores and counts within what the build can compute.
        _within("window_days", self.window_days, 1, 366)
        for name in ("weight_reposts", "weight_likes", "weight_hn_points", "weight_hf_upvotes"):
            _within(name, getattr(self, name), 0, 1_000_000)
        for name in ("min_paper_score", "min_post_score"):
            _within(name, getattr(self, name), 0, 1_000_000_000)
        _within("x_max_posts_per_build", self.x_max_posts_per_build, 0, 1_000_000)
        _within("max_posts", self.max_posts, 1, 10_000)

    @property
    def has_bluesky(self) -> bool:
        """True when Bluesky credentials are configured."""
        return bool(self.bluesky_handle and self.bluesky_app_password)

    @property
    def has_x(self) -> bool:
        """True when an X bearer token is configured."""
        return bool(self.x_bearer_token)

    def __repr__(self) -> str:
        shown = (
            f"window_days={self.window_days}, include_all_mentioned={self.include_all_mentioned}, "
            f"weight_reposts={self.weight_reposts}, weight_likes={self.weight_likes}, "
            f"weight_hn_points={self.weight_hn_points}, weight_hf_upvotes={self.weight_hf_upvotes}, "
            f"min_paper_score={self.min_paper_score}, min_post_score={self.min_post_score}, "
            f"max_posts={self.max_posts}, x_max_posts_per_build={self.x_max_posts_per_build}, "
            f"bluesky={'configured' if self.has_bluesky else 'none'}, x={'configured' if self.has_x else 'none'}"
        )
        return f"LiveSettings({shown})"


def _within(name: str, value: float, low: float, high: float) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value}")
    if value < low:
        least = "must not be negative" if low == 0 else f"must be at least {low}"
        raise ValueError(f"{name} {least}, not {value}")
    if value > high:
        raise ValueError(f"{name} must be at most {high:,}, not {value}")


CREDENTIAL_FIELDS = ("bluesky_handle", "bluesky_app_password", "x_bearer_token")
TUNING_FIELDS = tuple(f.name for f in fields(LiveSettings) if f.name not in CREDENTIAL_FIELDS)
"""The settings the config file's ``[live]`` table may hold; credentials have a table of their own."""
