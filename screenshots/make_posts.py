"""Writes screenshots/posts/: two synthetic days (made-up papers and people) with Japanese posts."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ui.postgen import embed, make_day, make_paper, write_posts  # noqa: E402

JAPANESE = [
    ("拡散モデルで画像生成を10倍高速化する新手法。\n論文はこちら👇", "研究者アカウント", "kenkyu_example"),
    ("この論文、γ線データにも使えるのが面白い。\n図3がわかりやすいです。", "機械学習メモ", "ml_memo_example"),
    ("週末に読みたい論文リストに追加しました。", "論文読み会", "ronbun_example"),
]


def japanese_day(day: date) -> list:  # type: ignore[type-arg]
    first = make_paper(
        day,
        1,
        title="Fast Diffusion Sampling with $1000\\times$ Fewer Steps (synthetic example)",
        abstract=(
            "This is a synthetic abstract written for screenshots. We sample from diffusion models "
            "with $1000\\times$ fewer steps while keeping sample quality within $\\epsilon$ of the baseline, "
            "and apply the method to $\\gamma$-ray images. Code will be released."
        ),
        tweets=[
            embed(text, name, handle, 1500000000000000000 + i, day, lang="ja")
            for i, (text, name, handle) in enumerate(JAPANESE)
        ],
        score=2400,
    )
    second = make_paper(
        day,
        2,
        title="[Re] Attention [WIP]: a title with brackets, shown as written (synthetic)",
        tweets=[
            embed(
                "日本語と English の混在した投稿。\n改行も保たれます。",
                "混在テスト",
                "mixed_example",
                1600000000000000000,
                day,
                lang="ja",
            )
        ],
        score=1800,
    )
    return [first, second, *(make_paper(day, n) for n in range(3, 12))]


def main() -> None:
    folder = ROOT / "screenshots" / "posts"
    days = [make_day(date(2024, 5, 13), 8), make_day(date(2024, 5, 14), japanese_day(date(2024, 5, 14)))]
    for path in write_posts(folder, days):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
