"""The shipped sample post reads and writes back byte for byte."""

from hotpapers_tui.feeds.folder import sample_path
from hotpapers_tui.posts import parse_post, render_post


def test_sample_round_trips() -> None:
    text = sample_path().read_text(encoding="utf-8")
    day = parse_post(text, "sample")
    assert len(day.papers) == 22
    assert day.papers[1].title.endswith("Excel on Tabular  Data")
    assert render_post(day) == text


def test_sample_ranking_order_follows_score() -> None:
    day = parse_post(sample_path().read_text(encoding="utf-8"))
    twelve, thirteen = day.papers[11], day.papers[12]
    assert (twelve.retweets, twelve.favorites, twelve.score) == (143, 45, 188)
    assert (thirteen.retweets, thirteen.favorites, thirteen.score) == (144, 43, 187)
