"""The live feed's settings: windows, weights, thresholds and credentials, with defaults for today's volumes.

The feature only declares its settings; the config module reads them from the file's
``[live]`` table and hands them over, so the dependency runs one way (config -> live).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from hotpapers_tui.live.calendar import PUBLISHED, ListingCalendar

LIVE_START = date(2023, 5, 4)
"""The first day of Hugging Face Daily Papers: the live feed's days start here unless ``live_start`` says otherwise."""
EARLIEST_START = date(2007, 4, 2)
"""arXiv's ids of the form YYMM.NNNNN began in April 2007; a day before then holds no paper the build can place."""


def _as_date(name: str, value: Any) -> date:
    """A date from the config (a TOML date, or an ISO string), or ValueError naming the setting."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{name}: expected a date such as 2023-11-23, got {value!r}")


CREDENTIAL_FIELDS = ("bluesky_handle", "bluesky_app_password", "x_bearer_token")
"""The secrets the live sources use, by the names the config and the keyring give them."""

CredentialLookup = Callable[[], Mapping[str, "str | None"]]
"""Finds the credentials in effect (the environment, the keyring, the config file), by name."""


class LiveCredentials:
    """The live sources' secrets: given outright, or looked up once, the first time one is needed.

    Looking them up can mean asking the system keyring, which costs a noticeable part of
    a second (finding a backend) or more (a D-Bus call, an unlock prompt): a feed that
    only lists days or shows kept ones must not pay it, and a build asks from a worker
    thread (see ``live.build.credentials_ready``). The values are never shown.
    """

    __slots__ = ("_lock", "_lookup", "_values")

    def __init__(self, values: Mapping[str, str | None] | None = None, *, lookup: CredentialLookup | None = None):
        self._values: dict[str, str | None] | None = None
        self._lookup = lookup
        self._lock = threading.Lock()
        if values is not None or lookup is None:
            self._values = _known(values or {})

    @property
    def resolved(self) -> bool:
        """True once the values are known (given, or looked up)."""
        return self._values is not None

    def values(self) -> Mapping[str, str | None]:
        """Every credential by name (None when not set), looked up now if it was not yet."""
        values = self._values
        if values is None:
            with self._lock:  # two threads asking at once look up once
                if self._values is None:
                    assert self._lookup is not None
                    self._values = _known(self._lookup())
                    self._lookup = None
                values = self._values
        return values

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LiveCredentials):
            return NotImplemented
        return self is other or dict(self.values()) == dict(other.values())

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.values().items(), key=lambda item: item[0])))

    def __repr__(self) -> str:
        if self._values is None:
            return "LiveCredentials(not looked up yet)"
        shown = ", ".join(f"{name}={'set' if value else 'not set'}" for name, value in self._values.items())
        return f"LiveCredentials({shown})"


def _known(values: Mapping[str, str | None]) -> dict[str, str | None]:
    return {name: values.get(name) or None for name in CREDENTIAL_FIELDS}


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
    live_start: date = LIVE_START
    """The first day the live feed lists (and can build); its days run from here to today."""
    extra_holidays: tuple[date, ...] = ()
    """More evenings (New York dates) on which arXiv made no announcement, beyond its published schedule."""
    credentials: LiveCredentials = field(default_factory=LiveCredentials, repr=False)
    """The Bluesky handle and app password and the X bearer token, looked up when first needed."""

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
        start = _as_date("live_start", self.live_start)
        if start < EARLIEST_START:
            raise ValueError(f"live_start must be {EARLIEST_START.isoformat()} or later, not {start.isoformat()}")
        object.__setattr__(self, "live_start", start)
        if not isinstance(self.extra_holidays, tuple | list):
            raise ValueError(f"extra_holidays: expected a list of dates, got {self.extra_holidays!r}")
        evenings = {_as_date("extra_holidays", value) for value in self.extra_holidays}
        for evening in sorted(evenings):
            if evening.weekday() in (4, 5):
                # A listing day is named by the day after its announcement: a Friday or Saturday here
                # is most likely a missing listing's own date, which would silently change nothing.
                raise ValueError(
                    f"extra_holidays: {evening.isoformat()} is a {evening:%A}, and arXiv never announces on "
                    f"{evening:%A} evenings; give the evening arXiv skipped (the day before the missing listing)"
                )
        object.__setattr__(self, "extra_holidays", tuple(sorted(evenings)))

    @property
    def calendar(self) -> ListingCalendar:
        """arXiv's listing calendar: its published holidays and ``extra_holidays``."""
        return PUBLISHED.with_holidays(self.extra_holidays)

    @property
    def bluesky_handle(self) -> str | None:
        """The Bluesky handle to sign in with (search needs a session)."""
        return self.credentials.values()["bluesky_handle"]

    @property
    def bluesky_app_password(self) -> str | None:
        """A Bluesky app password (never the account password)."""
        return self.credentials.values()["bluesky_app_password"]

    @property
    def x_bearer_token(self) -> str | None:
        """An X API bearer token; X is skipped without one."""
        return self.credentials.values()["x_bearer_token"]

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
            f"live_start={self.live_start.isoformat()}, "
            f"extra_holidays=[{', '.join(d.isoformat() for d in self.extra_holidays)}], "
            f"{self._credentials_shown()}"
        )
        return f"LiveSettings({shown})"

    def _credentials_shown(self) -> str:
        # Shown without looking them up: a repr must not ask the keyring.
        if not self.credentials.resolved:
            return "credentials=not looked up yet"
        return f"bluesky={'configured' if self.has_bluesky else 'none'}, x={'configured' if self.has_x else 'none'}"


def _within(name: str, value: float, low: float, high: float) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value}")
    if value < low:
        least = "must not be negative" if low == 0 else f"must be at least {low}"
        raise ValueError(f"{name} {least}, not {value}")
    if value > high:
        raise ValueError(f"{name} must be at most {high:,}, not {value}")


TUNING_FIELDS = tuple(f.name for f in fields(LiveSettings) if f.name != "credentials")
"""The settings the config file's ``[live]`` table may hold; credentials have a table of their own."""
