"""Client-side search: the lunr index split by term, the display data of the articles, and
what the browser's segmenter needs from the build.

Contract with the site builder: the builder hands `build_search_index` one `SearchDoc` per
article and the archive's taxonomies as `Facet`s; this package writes everything under
`<site>/search/` except `search/index.html` (the page itself is rendered from the theme's
`templates/search.html` by the builder). Nothing here knows which taxonomies an archive has:
each facet's names are searchable (with their aliases, in Chinese and pinyin), and the facets
marked `filter` are offered as filters on the search page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class Facet:
    """A taxonomy as search sees it: "districts" with the label 地区, its names in display
    order, the other names each goes by (朝阳区: 朝阳), and whether readers may filter by it."""

    key: str                                    # the taxonomy's key, e.g. "districts"
    label: str                                  # how the page names it, e.g. "地区"
    names: tuple[str, ...]                      # in display order
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    filter: bool = False


@dataclass(frozen=True)
class SearchDoc:
    """What search needs to know of one article (plain data, no HTML)."""

    ref: str                      # the article's slug (unique)
    url: str                      # relative to the site root, e.g. "articles/<slug>/index.html"
    title: str
    kicker: str
    subtitle: str
    body: str                     # paragraphs joined with "\n"
    names: Mapping[str, tuple[str, ...]]   # taxonomy key -> names, e.g. {"districts": ("朝阳区",)}
    date: str | None              # ISO date "2024-11-20" or None when unknown
    page: str                     # seed page stem, e.g. "003_31f1b2df397274cc"
    page_label: str               # how the page is shown, e.g. "第3版 · 要闻" or the stem
    position: int                 # order on the page, from 1
    content_hash: str             # hash of the article's content file (for caching)
    order: int                    # archive order, 0 = oldest: the newest has the highest
