"""A standard day of the fake internet: Tuesday 2026-11-24 seen on Thursday 26 at noon UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from hotpapers_tui.live.settings import CREDENTIAL_FIELDS, LiveCredentials, LiveSettings
from tests.live.fakes import FakeFetcher
from tests.live.world import Paper, World, bsky_post, hn_hit, x_tweet

DAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
T0 = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
"""Inside the attention window (24 Nov 01:00 UTC to 26 Nov 01:00 UTC)."""

A, B, C, OLD, UNKNOWN = "2611.00001", "2611.00002", "2611.00003", "2610.09999", "2611.00099"


def credentials(**changes: object) -> LiveSettings:
    """Settings with every source's credentials (a credential's name in ``changes`` replaces it)."""
    secrets: dict[str, str | None] = {
        "bluesky_handle": "me.bsky.social",
        "bluesky_app_password": "app-pass",
        "x_bearer_token": "x-token",
    }
    for name in CREDENTIAL_FIELDS:
        if name in changes:
            secrets[name] = changes.pop(name)  # type: ignore[assignment]
    return LiveSettings(credentials=LiveCredentials(secrets), **changes)  # type: ignore[arg-type]


def standard_world() -> World:
    world = World()
    world.papers = {
        A: Paper(A, "Paper A: <b>bold</b> [v2]", datetime(2026, 11, 21, 10, tzinfo=UTC)),
        B: Paper(B, "Paper B", datetime(2026, 11, 23, 12, tzinfo=UTC), categories=("cs.CL",)),
        C: Paper(C, "Paper C", datetime(2026, 11, 22, 8, tzinfo=UTC)),
        OLD: Paper(OLD, "An old paper", datetime(2026, 10, 1, 8, tzinfo=UTC)),
    }
    world.hn = [
        hn_hit(1, f"https://arxiv.org/abs/{A}", T0, points=40, comments=12, author="dang"),
        hn_hit(2, f"https://arxiv.org/pdf/{OLD}", T0 + timedelta(hours=1), points=100),
        hn_hit(3, f"https://arxiv.org/abs/{B}", T0 - timedelta(days=2), points=500),  # before the window
    ]
    world.bsky = [
        bsky_post("b1", T0, text="Great paper", link=f"https://arxiv.org/abs/{A}v2", likes=10, reposts=3, quotes=1),
        bsky_post(
            "b2", T0 + timedelta(hours=2), card=f"https://arxiv.org/pdf/{A}.pdf", likes=1, handle="bob.bsky.social"
        ),
        bsky_post("b3", T0 + timedelta(hours=3), text=f"see arxiv.org/abs/{B}", likes=4, reposts=2),
        bsky_post("b4", T0 + timedelta(hours=4), text=f"https://arxiv.org/abs/{UNKNOWN}", likes=50),
    ]
    world.x = [x_tweet("1001", T0 + timedelta(hours=5), f"https://www.arxiv.org/abs/{B}v1", likes=20, retweets=5)]
    world.hf = {
        "2026-11-24": [
            {"paper": {"id": C, "title": "Paper C", "upvotes": 7, "authors": [{"name": "X"}]}, "numComments": 0},
            {"paper": {"id": A, "title": "Paper A", "upvotes": 3, "authors": []}, "numComments": 1},
        ]
    }
    world.hf_last_day = "2026-11-26"
    return world


@pytest.fixture
def world() -> World:
    return standard_world()


@pytest.fixture
def fetcher(world: World) -> FakeFetcher:
    return FakeFetcher(world.handle)
