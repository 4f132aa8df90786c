"""Client-side search: segmenter, pinyin keys and the lunr index (catalog + full-text shards).

Contract with the site builder: the builder hands `build_search_index` one `SearchDoc` per
article; this package writes everything under `<site>/search/` except `search/index.html`
(the page itself is rendered from the theme's `templates/search.html` by the builder).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SearchDoc:
    """What search needs to know of one article (plain data, no HTML)."""

    ref: str                      # the article's slug (unique)
    url: str                      # relative to the site root, e.g. "articles/<slug>/index.html"
    title: str
    kicker: str
    subtitle: str
    body: str                     # paragraphs joined with "\n"
    districts: tuple[str, ...]    # canonical names, e.g. ("朝阳区",)
    tags: tuple[str, ...]
    people: tuple[str, ...]       # reporters, correspondents, photographers
    date: str | None              # ISO date "2024-11-20" or None when unknown
    page: str                     # seed page stem, e.g. "003_31f1b2df397274cc"
    page_label: str               # how the page is shown, e.g. "第3版 · 要闻" or the stem
    position: int                 # order on the page, from 1
    content_hash: str             # hash of the article's content file (for shard caching)
    order: int                    # archive order, 0 = oldest; newest-first = descending
