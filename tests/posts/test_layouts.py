"""Posts built by the tests: tolerated layouts, awkward text, editing and ranking."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest

from hotpapers_tui.model import rank_papers, with_papers
from hotpapers_tui.posts import parse_post, render_post
from hotpapers_tui.tweets import parse_embed
from tests.posts.day_factory import Link, make_day, make_paper, make_tweet, random_day, ranked
from tests.posts.post_texts import CANONICAL, FRONT, PAPER_ONE, PAPER_TWO, SCRIPT


def test_hand_written_post_is_canonical() -> None:
    day = parse_post(CANONICAL)
    assert [p.title for p in day.papers] == ["First  Paper", "Second"]
    first = day.papers[0]
    assert first.authors == ("Ada Lovelace", "Alan Turing")
    assert (first.retweets, first.favorites, first.arxiv_id) == (10, 5, "2106.00001")
    assert first.categories == ("cs.LG", "stat.ML")
    assert first.tweets[0].text == "Nice & short\nhttps://t.co/x"
    assert day.papers[1].tweets == ()
    assert render_post(day) == CANONICAL


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(FRONT + "\n" + PAPER_ONE + PAPER_TWO, id="older-extra-blank-after-front-matter"),
        pytest.param(FRONT + (PAPER_ONE + PAPER_TWO).replace("t>\n\n\n\n\n#", "t>\n\n#"), id="fewer-blanks"),
        pytest.param(FRONT + PAPER_ONE.replace("# 1. First", "\n\n# 1. First") + PAPER_TWO, id="more-blanks-before"),
        pytest.param(FRONT + PAPER_ONE.replace("\n\nAda", "\nAda") + PAPER_TWO, id="no-blank-before-authors"),
        pytest.param(FRONT + PAPER_ONE.replace("\n\n- links", "\n- links") + PAPER_TWO, id="no-blank-before-links"),
        pytest.param(FRONT + PAPER_ONE + PAPER_TWO.rstrip("\n"), id="no-final-newline"),
        pytest.param(FRONT + PAPER_ONE + PAPER_TWO + "\n\n\n", id="extra-trailing-blanks"),
        pytest.param(FRONT + PAPER_ONE.replace("An abstract.\n\n", "An abstract.\n  \n\t\n") + PAPER_TWO, id="spaces"),
    ],
)
def test_blank_line_variants_read_the_same_and_write_back_unchanged(variant: str) -> None:
    assert variant != CANONICAL
    day = parse_post(variant)
    assert day == parse_post(CANONICAL)
    assert render_post(day) == variant


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(CANONICAL.replace("\n", "\r\n"), id="crlf"),
        pytest.param("\ufeff" + CANONICAL, id="byte-order-mark"),
    ],
)
def test_newline_style_and_byte_order_mark_read_the_same_and_write_canonical(variant: str) -> None:
    assert parse_post(variant) == parse_post(CANONICAL)
    assert render_post(parse_post(variant)) == CANONICAL


def test_empty_day_ends_after_front_matter() -> None:
    day = parse_post(FRONT)
    assert day.papers == ()
    assert day.date == dt.date(2021, 6, 22)
    assert day.generated_at == dt.datetime(2021, 6, 23, 10, 32, 4)
    assert render_post(day) == FRONT
    assert parse_post(FRONT + "\n\n").papers == ()


def test_empty_abstract_keeps_its_line() -> None:
    day = make_day([make_paper(abstract="", tweets=[make_tweet(["hi"])]), make_paper("2106.2", abstract="")])
    text = render_post(day)
    assert "recent)\n\n\n\n<blockquote" in text
    assert text.endswith("recent)\n\n\n\n\n\n")
    back = parse_post(text)
    assert [p.abstract for p in back.papers] == ["", ""]
    assert back == ranked(day)
    assert render_post(back) == text


def test_paper_without_tweets_followed_by_paper_with_empty_abstract() -> None:
    day = make_day(
        [
            make_paper("2106.1", retweets=50, tweets=()),
            make_paper("2106.2", retweets=40, abstract=""),
            make_paper("2106.3", retweets=30, abstract="", tweets=()),
        ]
    )
    back = parse_post(render_post(day))
    assert back == ranked(day)
    assert [len(p.tweets) for p in back.papers] == [0, 0, 0]


@pytest.mark.parametrize(
    "title",
    [
        "Regularization is all you Need: Simple Neural Nets can Excel on Tabular  Data",
        "[Re] Reproducing a Result",
        "[WIP] Ongoing Work [v2]",
        "$γ$-ray Bursts and $\\mathcal{O}(n^2)$ Attention",
        "Nyströmformer: a kōan",
        "  leading and trailing spaces  ",
        "# 2. A title that looks like a heading",
        "**not bold** and <b>not html</b> &amp; not an entity",
    ],
)
def test_titles_survive_exactly(title: str) -> None:
    day = make_day([make_paper(title=title)])
    text = render_post(day)
    assert f"# 1. {title}\n" in text
    assert parse_post(text).papers[0].title == title


@pytest.mark.parametrize(
    "abstract",
    [
        "We reach $1000\\times$ speedups with $O(n \\log n)$ cost.",
        "# 2. Looks like the next heading",
        "- retweets: 1, favorites: 2 (06/23/2021 10:32:04)",
        "> a quote",
        "```python",
        "<!-- an unclosed comment",
        "<div>html that is text</div>",
        "---",
        "[link](https://example.org) and https://example.org/raw",
        "    indented like code",
    ],
)
def test_markdown_looking_abstracts_are_plain_text(abstract: str) -> None:
    day = make_day([make_paper("2106.1", retweets=9, abstract=abstract, tweets=()), make_paper("2106.2", retweets=1)])
    back = parse_post(render_post(day))
    assert back == ranked(day)
    assert back.papers[0].abstract == abstract


def test_japanese_tweet_and_entities_decode_to_plain_text() -> None:
    tweet = make_tweet(
        ["拡散モデルの新しい解釈\n", "論文: ", Link("https://t.co/abc", "https://t.co/abc")],
        name="山田 太郎",
        handle="yamada_t",
        lang="ja",
    )
    assert 'lang="ja"' in tweet.html
    parsed = parse_embed(tweet.html, tweet.script)
    assert parsed == tweet
    assert parsed.text == "拡散モデルの新しい解釈\n論文: https://t.co/abc"
    assert parsed.author == "山田 太郎"
    assert parsed.handle == "yamada_t"


def test_entities_breaks_and_links_in_embed() -> None:
    html = (
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">A &amp; B say &quot;hi&quot;, it&#39;s '
        '1 &lt; 2 -&gt; ok<br>next line <a href="https://twitter.com/hashtag/ML?src=hash&amp;ref_src=x">#ML</a> '
        '<a href="https://twitter.com/bob?ref_src=x">@bob</a> <a href="https://t.co/p">pic.twitter.com/p</a>'
        "<br><br>end</p>&mdash; Bob &amp; Co (@bob_co) "
        '<a href="https://twitter.com/bob_co/status/42?ref_src=twsrc%5Etfw">June 22, 2021</a></blockquote>'
    )
    tweet = parse_embed(html, SCRIPT)
    assert tweet.text == 'A & B say "hi", it\'s 1 < 2 -> ok\nnext line #ML @bob pic.twitter.com/p\n\nend'
    assert tweet.author == "Bob & Co"
    assert tweet.handle == "bob_co"
    assert tweet.date == "June 22, 2021"
    assert tweet.url == "https://twitter.com/bob_co/status/42?ref_src=twsrc%5Etfw"
    assert tweet.html == html


def test_markup_in_tweet_text_is_not_obeyed() -> None:
    tweet = make_tweet(["<script>alert(1)</script> [b]bold[/b] <b>x</b>"])
    assert "<script>" not in tweet.html
    assert parse_embed(tweet.html).text == "<script>alert(1)</script> [b]bold[/b] <b>x</b>"


def test_multi_day_post() -> None:
    day = make_day([make_paper()], date=dt.date(2021, 12, 24), end_date=dt.date(2021, 12, 27))
    assert day.title == "Hot Papers 2021-12-24 - 2021-12-27"
    assert day.filename == "2021-12-24-2021-12-27---Hot-Papers.md"
    text = render_post(day)
    assert "title: Hot Papers 2021-12-24 - 2021-12-27\n" in text
    assert 'slug: "hot-papers-2021-12-24-2021-12-27"\n' in text
    back = parse_post(text, day.filename)
    assert (back.date, back.end_date) == (dt.date(2021, 12, 24), dt.date(2021, 12, 27))
    assert back == day
    assert render_post(back) == text


def test_editing_the_model_shows_in_output_and_ranking() -> None:
    day = parse_post(CANONICAL)
    second = replace(day.papers[1], retweets=100, title="Second, edited")
    edited = replace(day, papers=(day.papers[0], second))
    text = render_post(edited)
    # The writer keeps the day's order: an edit re-ranks when it goes through with_papers.
    assert "# 2. Second, edited\n" in text
    assert "- retweets: 100, favorites: 1 (06/23/2021 10:32:05)" in text
    reranked = render_post(with_papers(edited, edited.papers))
    assert "# 1. Second, edited\n" in reranked
    assert "# 2. First  Paper\n" in reranked
    assert [p.title for p in parse_post(reranked).papers] == ["Second, edited", "First  Paper"]


def test_ranking_by_score_with_ties_in_input_order() -> None:
    low_fav = make_paper("a", retweets=144, favorites=43)  # 187
    high_fav = make_paper("b", retweets=143, favorites=45)  # 188
    tie_one = make_paper("c", retweets=100, favorites=0)
    tie_two = make_paper("d", retweets=0, favorites=100)
    tie_three = make_paper("e", retweets=50, favorites=50)
    ranked_ids = [p.arxiv_id for p in rank_papers([tie_one, low_fav, tie_two, high_fav, tie_three])]
    assert ranked_ids == ["b", "a", "c", "d", "e"]
    text = render_post(ranked(make_day([tie_two, tie_one, low_fav, high_fav])))
    assert [p.arxiv_id for p in parse_post(text).papers] == ["b", "a", "d", "c"]


def test_reading_keeps_the_posts_order_not_the_scores() -> None:
    day = make_day([make_paper("2106.1", retweets=1, favorites=0), make_paper("2106.2", retweets=500)])
    text = render_post(day)
    assert text.index("# 1. ") < text.index("2106.1") < text.index("# 2. ") < text.index("2106.2")
    back = parse_post(text)
    assert [p.arxiv_id for p in back.papers] == ["2106.1", "2106.2"]
    assert render_post(back) == text


def test_the_numbering_is_the_ranking_and_ties_keep_file_order() -> None:
    swapped = PAPER_TWO.replace("# 2. Second", "# 1. Second") + PAPER_ONE.replace("# 1. First", "# 2. First")
    back = parse_post(FRONT + swapped)
    assert [p.title for p in back.papers] == ["Second", "First  Paper"]
    reversed_numbers = PAPER_TWO.replace("# 2. Second", "# 3. Second") + PAPER_ONE.replace("# 1. First", "# 2. First")
    back = parse_post(FRONT + reversed_numbers + PAPER_TWO.replace("# 2. Second", "# 2. Third"))
    assert [p.title for p in back.papers] == ["First  Paper", "Third", "Second"]
    # Written again, the papers are numbered by their place.
    assert render_post(back).count("# 1. First  Paper\n") == 1


def test_random_days_round_trip() -> None:
    rng = random.Random(7)
    for offset in range(5):
        day = random_day(rng, dt.date(2021, 1, 4) + dt.timedelta(days=offset), papers=12)
        text = render_post(day)
        assert parse_post(text) == day
        assert render_post(parse_post(text)) == text


def test_empty_abstract_with_fewer_blank_lines_still_finds_the_next_paper() -> None:
    day = make_day([make_paper("2106.1", retweets=9, abstract="", tweets=()), make_paper("2106.2", retweets=1)])
    text = render_post(day)
    squeezed = text.replace("recent)\n\n\n\n\n\n\n# 2.", "recent)\n\n# 2.")
    assert squeezed != text
    assert parse_post(squeezed) == ranked(day)
