"""Hand-written posts in the canonical layout, shared by the reader's tests."""

FRONT = """---
title: Hot Papers 2021-06-22
date: 2021-06-23T10:32:04.Z
template: "post"
draft: false
slug: "hot-papers-2021-06-22"
category: "arXiv"
tags:
  - "arXiv"
  - "Twitter"
  - "Machine Learning"
  - "Computer Science"
description: "Hot papers 2021-06-22"
socialImage: "/media/flying-marine.jpg"

---
"""

EMBED = (
    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Nice &amp; short<br>'
    '<a href="https://t.co/x">https://t.co/x</a></p>&mdash; Ada (@ada) '
    '<a href="https://twitter.com/ada/status/1?ref_src=twsrc%5Etfw">June 22, 2021</a></blockquote>'
)
SCRIPT = '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'

PAPER_ONE = f"""
# 1. First  Paper

Ada Lovelace, Alan Turing

- retweets: 10, favorites: 5 (06/23/2021 10:32:04)

- links: [abs](https://arxiv.org/abs/2106.00001) | [pdf](https://arxiv.org/pdf/2106.00001)
- [cs.LG](https://arxiv.org/list/cs.LG/recent) | [stat.ML](https://arxiv.org/list/stat.ML/recent)

An abstract.

{EMBED}
{SCRIPT}



"""

PAPER_TWO = """
# 2. Second

Grace Hopper

- retweets: 3, favorites: 1 (06/23/2021 10:32:05)

- links: [abs](https://arxiv.org/abs/2106.00002) | [pdf](https://arxiv.org/pdf/2106.00002)
- [cs.CL](https://arxiv.org/list/cs.CL/recent)

Second abstract.



"""

CANONICAL = FRONT + PAPER_ONE + PAPER_TWO
