"""The site model: articles in list order, newspaper pages, taxonomies, URLs and pagination.

`Urls` is the one place that turns a thing into its path in the site; every URL is computed
once, here, and stored on the model. Paths are relative to the site root and name the file
(`articles/<slug>/index.html`), so links work from disk (file://) as well as under any subpath.

Order. Lists show the newest first: dated articles by date, newest day first; undated ones
after them. Within a day (and among the undated) articles keep the paper's own order: page
stem, then position on the page. `SiteArticle.index` is the place in that list (0 = newest).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date as Date

from .config import SiteConfig
from .content.article import Article
from .content.pages import PageInfo
from .errors import ArchiveError
from .text.slugs import person_slug, pinyin_slug, unique_slugs
from .vocab import Vocabulary

class Urls:
    """The path→URL rule: where each kind of page lives, relative and absolute."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    @staticmethod
    def front() -> str:
        """The front page."""
        return "index.html"

    @staticmethod
    def article(slug: str) -> str:
        """One article."""
        return f"articles/{slug}/index.html"

    @staticmethod
    def page(stem: str) -> str:
        """One newspaper page."""
        return f"pages/{stem}/index.html"

    @staticmethod
    def section_index(section: str) -> str:
        """The A–Z (or list) page of a taxonomy: tags, districts, people."""
        return f"{section}/index.html"

    @staticmethod
    def group(section: str, slug: str, number: int = 1) -> str:
        """Page `number` of one tag, district, person or column."""
        if number == 1:
            return f"{section}/{slug}/index.html"
        return f"{section}/{slug}/page/{number}/index.html"

    @staticmethod
    def search() -> str:
        """The search page."""
        return "search/index.html"

    @staticmethod
    def root(path: str) -> str:
        """The relative prefix from the page at `path` back to the site root ('../../')."""
        return "../" * path.count("/")

    def absolute(self, path: str) -> str:
        """The public URL of `path`; a directory's index is written as the directory."""
        if path == "index.html" or path.endswith("/index.html"):
            path = path[: -len("index.html")]
        return self.base_url + path


@dataclass(frozen=True, slots=True)
class SiteArticle:
    """An article placed in the site: its list position, URL and links to its groups."""

    article: Article
    index: int                          # place in the newest-first list
    url: str
    page: int | None                    # index into SiteModel.pages
    people: tuple[tuple[str, int], ...]  # (role label, index into SiteModel.people)
    districts: tuple[int, ...]          # indices into SiteModel.districts
    tags: tuple[int, ...]               # indices into SiteModel.tags
    column: int | None                  # index into SiteModel.columns


@dataclass(frozen=True, slots=True)
class NewsPage:
    """One printed newspaper page (版面) and its articles in printed order."""

    stem: str
    label: str
    date: str | None
    url: str
    articles: tuple[int, ...]           # indices into SiteModel.articles, by position


@dataclass(frozen=True, slots=True)
class Group:
    """The articles under one tag, district, person or column, newest first, paginated."""

    section: str                        # "tags", "districts", "people", "columns"
    name: str
    slug: str
    urls: tuple[str, ...]               # one per list page
    articles: tuple[int, ...]           # indices into SiteModel.articles, ascending = newest first


@dataclass(frozen=True, slots=True)
class Output:
    """One file the build writes: its path, what renders it, and who asked for it."""

    path: str
    kind: str                           # names the view that renders it
    ref: int = 0                        # index into the model list `kind` refers to
    number: int = 1                     # list page number
    origin: str = ""                    # what produced it, for the duplicate-path error


@dataclass
class SiteModel:
    """Everything the templates show, with URLs already computed."""

    config: SiteConfig
    urls: Urls
    articles: list[SiteArticle]
    pages: list[NewsPage]
    tags: list[Group]
    districts: list[Group]
    people: list[Group]
    columns: list[Group]
    newest_date: str | None
    _outputs: list[Output] | None = field(default=None, repr=False, compare=False)

    def outputs(self) -> list[Output]:
        """Every page the site consists of (feed, sitemap and the like excluded); made once."""
        if self._outputs is None:
            self._outputs = self._list_outputs()
        return self._outputs

    def _list_outputs(self) -> list[Output]:
        """Every page, in the order they are rendered."""
        out = [Output(Urls.front(), "front", origin="the front page"),
               Output(Urls.search(), "search", origin="the search page")]
        out += [Output(a.url, "article", a.index, origin=a.article.path) for a in self.articles]
        out += [Output(p.url, "page", i, origin=f"newspaper page {p.stem}") for i, p in enumerate(self.pages)]
        for section, groups in self.taxonomies():
            if section != "columns":  # DESIGN's table has no columns/ index page
                out.append(Output(Urls.section_index(section), f"{section}-index",
                                  origin=f"the {section} index"))
            out += [Output(url, section, i, number, origin=f"{section} '{g.name}'")
                    for i, g in enumerate(groups) for number, url in enumerate(g.urls, start=1)]
        return out

    def groups(self, section: str) -> list[Group]:
        """The groups of one URL section: tags, districts, people or columns."""
        return dict(self.taxonomies())[section]

    def taxonomies(self) -> list[tuple[str, list[Group]]]:
        """The grouped listings, by URL section."""
        return [("tags", self.tags), ("districts", self.districts), ("people", self.people),
                ("columns", self.columns)]


def list_key(article: Article) -> tuple:
    """Sort key of the newest-first list (see the module docstring)."""
    if article.date is None:
        return (1, 0, article.page, article.position, article.slug)
    return (0, -Date.fromisoformat(article.date).toordinal(), article.page, article.position, article.slug)


def build_model(articles: list[Article], config: SiteConfig, vocab: Vocabulary,
                page_info: dict[str, PageInfo] | None = None) -> SiteModel:
    """Place every article in the site and compute all groups and URLs."""
    urls = Urls(config.base_url)
    ordered = sorted(articles, key=list_key)
    per_page = max(1, config.paging.articles_per_page)
    pages = _news_pages(ordered, page_info or {})
    page_index = {p.stem: i for i, p in enumerate(pages)}
    district_groups = _fixed_groups("districts", [(d.name, d.slug) for d in vocab.districts], ordered,
                                    lambda a: a.districts, per_page)
    tag_groups = _fixed_groups("tags", sorted(((t.term, t.slug) for t in vocab.tags), key=lambda t: t[1]),
                               ordered, lambda a: a.tags, per_page, keep_empty=False)
    people_groups = _named_groups("people", ordered, lambda a: a.people, per_page, person_slug)
    column_groups = _named_groups("columns", ordered, lambda a: (a.rubric,) if a.rubric else (),
                                  per_page, pinyin_slug)
    district_index = {g.name: i for i, g in enumerate(district_groups)}
    tag_index = {g.name: i for i, g in enumerate(tag_groups)}
    person_index = {g.name: i for i, g in enumerate(people_groups)}
    column_index = {g.name: i for i, g in enumerate(column_groups)}
    site_articles = [
        SiteArticle(
            article=a, index=i, url=Urls.article(a.slug),
            page=page_index.get(a.page),
            people=tuple((role, person_index[name]) for role, names in a.credits() for name in names),
            districts=tuple(district_index[d] for d in a.districts),
            tags=tuple(tag_index[t] for t in a.tags),
            column=column_index.get(a.rubric))
        for i, a in enumerate(ordered)]
    newest = next((a.date for a in ordered if a.date), None)
    return SiteModel(config, urls, site_articles, pages, tag_groups, district_groups,
                     people_groups, column_groups, newest)


def _news_pages(ordered: list[Article], page_info: dict[str, PageInfo]) -> list[NewsPage]:
    """The newspaper pages in list order (order of their first article), articles by position."""
    members: dict[str, list[int]] = {}
    for i, article in enumerate(ordered):
        if article.page:
            members.setdefault(article.page, []).append(i)
    pages = []
    for stem, indices in members.items():
        indices.sort(key=lambda i: (ordered[i].position, ordered[i].slug))
        info = page_info.get(stem)
        day = (info.date if info else None) or next((ordered[i].date for i in indices if ordered[i].date), None)
        pages.append(NewsPage(stem, page_label(stem, info), day, Urls.page(stem), tuple(indices)))
    return pages


def page_label(stem: str, info: PageInfo | None) -> str:
    """How a newspaper page is named: 第3版 · 要闻 from pages.toml, else its stem."""
    if info is None or (info.number is None and not info.name):
        return stem
    if info.number is None:
        return str(info.name)
    return f"第{info.number}版 · {info.name}" if info.name else f"第{info.number}版"


def _paged_urls(section: str, slug: str, count: int, per_page: int) -> tuple[str, ...]:
    """The URLs of a group's list pages (at least one, even when empty)."""
    pages = max(1, math.ceil(count / per_page))
    return tuple(Urls.group(section, slug, n) for n in range(1, pages + 1))


def _fixed_groups(section: str, names: list[tuple[str, str]], ordered: list[Article],
                  members_of, per_page: int, keep_empty: bool = True) -> list[Group]:
    """Groups whose names and slugs come from a vocabulary (districts, tags)."""
    members: dict[str, list[int]] = {name: [] for name, _ in names}
    for i, article in enumerate(ordered):
        for name in members_of(article):
            members[name].append(i)
    return [Group(section, name, slug, _paged_urls(section, slug, len(members[name]), per_page),
                  tuple(members[name]))
            for name, slug in names if keep_empty or members[name]]


def _named_groups(section: str, ordered: list[Article], members_of, per_page: int,
                  slugify) -> list[Group]:
    """Groups named by the articles themselves (people, columns), A–Z by slug."""
    members: dict[str, list[int]] = {}
    for i, article in enumerate(ordered):
        for name in members_of(article):
            members.setdefault(name, []).append(i)
    # Oldest first appearance claims the plain slug, so slugs stay put as newer articles arrive.
    first_seen = sorted(members, key=lambda name: (-members[name][-1], name))
    slugs = unique_slugs(first_seen, slugify, fallback=section[:-1] if section != "people" else "person")
    groups = [Group(section, name, slugs[name],
                    _paged_urls(section, slugs[name], len(members[name]), per_page),
                    tuple(members[name]))
              for name in members]
    return sorted(groups, key=lambda g: (g.slug, g.name))



def check_unique_slugs(articles: list[Article]) -> list[ArchiveError]:
    """One error per article whose slug another article already uses, naming both files."""
    first: dict[str, Article] = {}
    errors = []
    for article in sorted(articles, key=lambda a: a.path):
        owner = first.setdefault(article.slug, article)
        if owner is not article:
            errors.append(ArchiveError(
                f"slug '{article.slug}' is also used by {owner.path} "
                f"(both would be written to {Urls.article(article.slug)})",
                article.path, article.slug_line,
                hint="slugs must be unique; change this one"))
    return errors


def check_output_paths(outputs: list[Output]) -> list[ArchiveError]:
    """One error for each path two things would be written to, naming both."""
    seen: dict[str, Output] = {}
    errors = []
    for output in outputs:
        first = seen.setdefault(output.path, output)
        if first is not output:
            errors.append(ArchiveError(
                f"{output.path} would be written twice: by {first.origin} and by {output.origin}",
                output.origin if output.origin.endswith(".md") else None,
                hint="give one of them another slug"))
    return errors
