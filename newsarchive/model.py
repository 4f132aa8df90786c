"""The site model: articles in list order, newspaper pages, taxonomies, URLs and pagination.

`Urls` is the one place that turns a thing into its path in the site; every URL is computed
once, here, and stored on the model. Paths are relative to the site root and name the file
(`articles/<slug>/index.html`), so links work from disk (file://) as well as under any subpath.

Order. Lists show the newest first: dated articles by date, newest day first; undated ones
after them. Within a day (and among the undated) articles keep the paper's own order: page
stem, then position on the page. `SiteArticle.index` is the place in that list (0 = newest).
"""
from __future__ import annotations

import calendar
import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import date as Date

from .config import SiteConfig
from .content.article import Article, names_getter
from .content.pages import PAGES_FILE, PageInfo, known_page_info
from .errors import ArchiveError
from .strings import Strings
from .text.slugs import person_slug, pinyin_slug, unique_slugs
from .vocab import Taxonomy, Vocabulary

_LEADING_NUMBER = re.compile(r"\d+")


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
    def page(key: str) -> str:
        """One newspaper page (see page_key)."""
        return f"pages/{key}/index.html"

    @staticmethod
    def editions() -> str:
        """The back-issue index (往期): the years, and the undated pages."""
        return "editions/index.html"

    @staticmethod
    def year(year: int) -> str:
        """One year's twelve month calendars."""
        return f"editions/{year}/index.html"

    @staticmethod
    def month(year: int, month: int) -> str:
        """One month's calendar on its year's page."""
        return f"editions/{year}/index.html#{month_id(year, month)}"

    @staticmethod
    def edition(iso_date: str) -> str:
        """One day's edition."""
        return f"editions/{iso_date}/index.html"

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
    edition: int | None                 # index into SiteModel.editions: the issue of its date
    # Per taxonomy (in SiteModel.taxonomies' order), the article's groups in it as (field, group)
    # pairs in front matter order: the field says the role (记者 …) where the taxonomy has roles.
    terms: tuple[tuple[tuple[int, int], ...], ...]
    groups: tuple[tuple[int, ...], ...]    # per taxonomy, the groups of `terms`, each once

    def groups_in(self, taxonomy: int) -> tuple[int, ...]:
        """The article's groups in a taxonomy, each once."""
        return self.groups[taxonomy]


@dataclass(frozen=True, slots=True)
class NewsPage:
    """One printed newspaper page (版面) and its articles in printed order.

    Readers never see its stem: a dated page is named by its date, 版次 and 版名; a page without
    版次 by its place among its edition's unnumbered pages (版面2); an undated page by its place
    among the undated pages and its first headline (see _page_names)."""

    stem: str
    label: str                          # within its edition: 第3版 · 区县工会, 版面2
    short: str                          # 第3版, 版面2 (breadcrumbs)
    title: str                          # unique in the archive: 2021年3月12日 第3版 · 区县工会
    date: str | None
    number: int | None                  # 版次
    url: str
    anchor: str                         # the id of its section on its edition's page
    articles: tuple[int, ...]           # indices into SiteModel.articles, by position
    edition: int | None                 # index into SiteModel.editions
    place: int                          # its place in its edition's pages (or among the undated)


@dataclass(frozen=True, slots=True)
class Edition:
    """One day's paper (期): its pages in 版次 order, and the day's articles on none of them."""

    date: str                           # ISO date
    url: str
    pages: tuple[int, ...]              # indices into SiteModel.pages: by 版次, unnumbered last
    others: tuple[int, ...]             # articles of this date not on one of its pages, list order
    issue: int | None                   # 期号, when pages.toml gives it
    article_count: int


@dataclass(frozen=True, slots=True)
class Year:
    """The editions of one year."""

    year: int
    url: str
    editions: tuple[int, ...]           # indices into SiteModel.editions, newest first
    article_count: int


@dataclass(frozen=True, slots=True)
class Group:
    """The articles under one name of a taxonomy (a tag, district, person, column …), newest
    first, paginated."""

    section: str                        # the taxonomy's key: "tags", "districts" …
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
    taxonomy: int = 0                   # for list and index pages: index into SiteModel.taxonomies


@dataclass(frozen=True, slots=True)
class TaxonomyGroups:
    """A taxonomy of the archive (see vocab.Taxonomy) with its groups, in the order its pages
    list them: vocabulary order for a map, else A–Z by slug."""

    taxonomy: Taxonomy
    groups: list[Group]
    by_name: dict[str, int]             # name -> index into groups


@dataclass
class SiteModel:
    """Everything the templates show, with URLs already computed."""

    config: SiteConfig
    urls: Urls
    articles: list[SiteArticle]
    pages: list[NewsPage]
    taxonomies: list[TaxonomyGroups]    # as the archive's taxonomies.toml lists them
    newest_date: str | None
    editions: list[Edition]             # newest first
    years: list[Year]                   # newest first
    undated: tuple[int, ...]            # the undated newspaper pages, in their order
    edition_dates: dict[str, int]       # ISO date -> index into editions
    ui: Strings                         # the theme's wording (page labels, dates, titles)
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
        out.append(Output(Urls.editions(), "editions-index", origin="the back-issue index"))
        out += [Output(y.url, "year", i, origin=f"the year {y.year}") for i, y in enumerate(self.years)]
        out += [Output(e.url, "edition", i, origin=f"the edition of {e.date}") for i, e in enumerate(self.editions)]
        for t, entry in enumerate(self.taxonomies):
            key = entry.taxonomy.key
            if entry.taxonomy.index != "none":
                out.append(Output(Urls.section_index(key), "taxonomy-index", origin=f"the {key} index", taxonomy=t))
            out += [Output(url, "listing", i, number, origin=f"{key} '{g.name}'", taxonomy=t)
                    for i, g in enumerate(entry.groups) for number, url in enumerate(g.urls, start=1)]
        return out

    def groups(self, key: str) -> list[Group]:
        """The groups of the taxonomy whose URL section is `key` (tags, districts …)."""
        return next(entry.groups for entry in self.taxonomies if entry.taxonomy.key == key)

    def taxonomy_index(self, key: str) -> int | None:
        """Where the taxonomy `key` stands in `taxonomies`, None when the archive has none."""
        return next((t for t, entry in enumerate(self.taxonomies) if entry.taxonomy.key == key), None)


def list_key(article: Article) -> tuple:
    """Sort key of the newest-first list (see the module docstring)."""
    if article.date is None:
        return (1, 0, article.page, article.position, article.slug)
    return (0, -Date.fromisoformat(article.date).toordinal(), article.page, article.position, article.slug)


def build_model(articles: list[Article], config: SiteConfig, vocab: Vocabulary,
                page_info: dict[str, PageInfo] | None = None, ui: Strings | None = None) -> SiteModel:
    """Place every article in the site and compute all groups, editions and URLs (`ui`: the
    theme's wording, default the default theme's).

    Raises ArchiveError when two newspaper pages claim the same date and 版次."""
    urls = Urls(config.base_url)
    ordered = sorted(articles, key=list_key)
    per_page = max(1, config.paging.articles_per_page)
    ui = ui or Strings.default()
    pages, editions, undated = _news_pages(ordered, page_info or {}, ui)
    page_index = {p.stem: i for i, p in enumerate(pages)}
    edition_index = {e.date: i for i, e in enumerate(editions)}
    taxonomies = [taxonomy_groups(taxonomy, ordered, vocab, per_page) for taxonomy in vocab.taxonomies]
    # taxonomy by taxonomy (most articles have no names in most of them): the per-article
    # tuples of the articles' terms and groups, transposed below
    terms_by = [_article_terms(entry, ordered) for entry in taxonomies]
    terms_of = list(zip(*terms_by)) if terms_by else [()] * len(ordered)
    site_articles = []
    for i, a in enumerate(ordered):
        page = page_index.get(a.page)
        day = issue_date(a, pages[page] if page is not None else None)
        terms = terms_of[i]
        site_articles.append(SiteArticle(
            article=a, index=i, url=Urls.article(a.slug), page=page,
            edition=edition_index[day] if day else None, terms=terms,
            groups=tuple(tuple(dict.fromkeys(g for _, g in pairs)) if len(pairs) > 1 else
                         ((pairs[0][1],) if pairs else ()) for pairs in terms)))
    newest = next((a.date for a in ordered if a.date), None)
    return SiteModel(config, urls, site_articles, pages, taxonomies, newest, editions, _years(editions),
                     undated, edition_index, ui)


def _article_terms(entry: "TaxonomyGroups", ordered: list[Article]) -> list[tuple[tuple[int, int], ...]]:
    """Each article's (field, group) pairs in one taxonomy, in front matter order."""
    by_name = entry.by_name
    getters = [names_getter(key) for key in entry.taxonomy.fields]
    if len(getters) == 1:
        get = getters[0]
        return [tuple((0, by_name[name]) for name in names if name in by_name) if (names := get(a)) else ()
                for a in ordered]
    return [tuple((f, by_name[name]) for f, get in enumerate(getters) for name in get(a) if name in by_name)
            for a in ordered]


def issue_date(article: Article, page: "NewsPage | None") -> str | None:
    """The date of the issue an article is in: its own date, else its page's; None if unknown."""
    return article.date or (page.date if page is not None else None)


def _news_pages(ordered: list[Article], page_info: dict[str, PageInfo], ui: Strings
                ) -> tuple[list[NewsPage], list[Edition], tuple[int, ...]]:
    """The newspaper pages in list order (order of their first article), articles by position;
    the editions, newest first; and the undated pages in their order."""
    members: dict[str, list[int]] = {}
    for i, article in enumerate(ordered):
        if article.page:
            members.setdefault(article.page, []).append(i)
    infos: list[PageInfo] = []
    for stem, indices in members.items():
        indices.sort(key=lambda i: (ordered[i].position, ordered[i].slug))
        info = known_page_info(stem, page_info)
        day = (info.date if info else None) or next((ordered[i].date for i in indices if ordered[i].date), None)
        infos.append(PageInfo(day, info.number if info else None, info.name if info else None,
                              info.issue if info else None))
    stems = list(members)
    # Each day's pages in 版次 order; the undated ones by the number their stem starts with.
    by_day: dict[str, list[int]] = {}
    undated: list[int] = []
    for p, info in enumerate(infos):
        if info.date:
            by_day.setdefault(info.date, []).append(p)
        else:
            undated.append(p)
    for day_pages in by_day.values():
        day_pages.sort(key=lambda p: (infos[p].number is None, infos[p].number or 0, stems[p]))
        _check_page_numbers(day_pages, infos, stems)
    undated.sort(key=lambda p: undated_order(stems[p]))
    days = sorted(set(by_day) | {a.date for a in ordered if a.date}, reverse=True)
    edition_of = {day: e for e, day in enumerate(days)}
    names = _page_names(stems, infos, by_day, undated, [ordered[members[s][0]].title for s in stems],
                        [len(members[s]) for s in stems], ui)
    place = {p: at for order in (*by_day.values(), undated) for at, p in enumerate(order)}
    pages = [NewsPage(stem, label, short, title, info.date, info.number, Urls.page(page_key(stem, info)),
                      anchor, tuple(members[stem]), edition_of.get(info.date) if info.date else None, place[p])
             for p, (stem, info, (label, short, title, anchor)) in enumerate(zip(stems, infos, names))]
    return pages, _editions(ordered, days, by_day, pages, infos), tuple(undated)


def _editions(ordered: list[Article], days: list[str], by_day: dict[str, list[int]],
              pages: list[NewsPage], infos: list[PageInfo]) -> list[Edition]:
    """One edition per day (newest first): its pages, and its articles on none of them (an
    article on no page, or dated apart from its page)."""
    others: dict[str, list[int]] = {}
    page_of = {page.stem: p for p, page in enumerate(pages)}
    for i, article in enumerate(ordered):
        p = page_of.get(article.page)
        day = issue_date(article, pages[p] if p is not None else None)
        if day and (p is None or pages[p].date != day):
            others.setdefault(day, []).append(i)
    editions = []
    for day in days:
        day_pages = tuple(by_day.get(day, ()))
        issue = next((infos[p].issue for p in day_pages if infos[p].issue is not None), None)
        count = sum(len(pages[p].articles) for p in day_pages) + len(others.get(day, ()))
        editions.append(Edition(day, Urls.edition(day), day_pages, tuple(others.get(day, ())), issue, count))
    return editions


def _check_page_numbers(day_pages: list[int], infos: list[PageInfo], stems: list[str]) -> None:
    """Refuse two pages of one day with one 版次: they could not be told apart."""
    for a, b in zip(day_pages, day_pages[1:]):
        if infos[a].number is not None and infos[a].number == infos[b].number:
            raise ArchiveError(
                f"newspaper pages {stems[a]} and {stems[b]} are both {infos[a].date} 第{infos[a].number}版",
                PAGES_FILE,
                hint="give each page of a day its own number (版次) in pages.toml, or fix the date")


def undated_order(stem: str) -> tuple:
    """Where an undated page stands among the undated: by the number its stem starts with
    (003_31f1… before 004_c42b…), else after those, by stem."""
    match = _LEADING_NUMBER.match(stem)
    return (0, int(match[0]), stem) if match else (1, 0, stem)


def page_key(stem: str, info: PageInfo) -> str:
    """A newspaper page's URL segment: `2021-03-12-3` when its date and 版次 are known, else a
    digest of its stem (stems are file names, never shown to readers)."""
    if info.date and info.number is not None:
        return f"{info.date}-{info.number}"
    return hashlib.blake2b(stem.encode("utf-8"), digest_size=6).hexdigest()


def _page_names(stems: list[str], infos: list[PageInfo], by_day: dict[str, list[int]],
                undated: list[int], first_titles: list[str], sizes: list[int],
                ui: Strings) -> list[tuple[str, str, str, str]]:
    """(label, short label, title, anchor) of every page.

    Numbered pages are 第N版; a page without 版次 is 版面K, K its place among the unnumbered
    pages of its day (or among the undated pages). The title adds the date, or for an undated
    page 未注明日期 and its first headline, and so is unique in the archive."""
    names: list[tuple[str, str, str, str]] = [("", "", "", "")] * len(stems)
    for day, day_pages in by_day.items():
        rank = 0
        for p in day_pages:
            info = infos[p]
            if info.number is not None:
                short, anchor = ui.fill("page_number", number=info.number), f"p{info.number}"
            else:
                rank += 1
                short, anchor = ui.fill("page_rank", rank=rank), f"u{rank}"
            label = ui.fill("page_label", short=short, name=info.name) if info.name else short
            names[p] = (label, short, ui.fill("dated_page_title", date=ui.date(day), label=label), anchor)
    for rank, p in enumerate(undated, start=1):
        short = ui.fill("page_rank", rank=rank)
        label = ui.fill("page_label", short=short, name=infos[p].name) if infos[p].name else short
        lead = first_titles[p] + (ui.and_more if sizes[p] > 1 else "")
        names[p] = (label, short, ui.fill("undated_page_title", undated=ui.undated, label=label, lead=lead),
                    f"u{rank}")
    return names


def _years(editions: list[Edition]) -> list[Year]:
    """The years that have editions, newest first."""
    members: dict[int, list[int]] = {}
    for e, edition in enumerate(editions):
        members.setdefault(int(edition.date[:4]), []).append(e)
    return [Year(year, Urls.year(year), tuple(found), sum(editions[e].article_count for e in found))
            for year, found in members.items()]


def month_id(year: int, month: int) -> str:
    """The id of a month's calendar on its year's page."""
    return f"{year}-{month:02d}"


def calendar_weeks(year: int, month: int) -> list[list[int]]:
    """A month as weeks of seven day numbers, Monday first; 0 where a week reaches into
    another month."""
    return calendar.Calendar(firstweekday=0).monthdayscalendar(year, month)


def _paged_urls(section: str, slug: str, count: int, per_page: int) -> tuple[str, ...]:
    """The URLs of a group's list pages (at least one, even when empty)."""
    pages = max(1, math.ceil(count / per_page))
    return tuple(Urls.group(section, slug, n) for n in range(1, pages + 1))


def taxonomy_groups(taxonomy: Taxonomy, ordered: list[Article], vocab: Vocabulary,
                    per_page: int) -> TaxonomyGroups:
    """The groups of one taxonomy: one per name its articles give (or every name of its
    vocabulary, with `list_empty`), each with its articles newest first."""
    members: dict[str, list[int]] = {}
    getters = [names_getter(key) for key in taxonomy.fields]
    for i, article in enumerate(ordered):
        names = getters[0](article) if len(getters) == 1 else dict.fromkeys(n for get in getters for n in get(article))
        for name in names:
            members.setdefault(name, []).append(i)
    fixed = {"districts": [(d.name, d.slug) for d in vocab.districts],
             "tags": [(t.term, t.slug) for t in vocab.tags]}.get(taxonomy.vocabulary)
    if fixed is not None:        # names and slugs from the vocabulary
        named = [(name, slug) for name, slug in fixed if taxonomy.list_empty or name in members]
    else:                        # names from the articles, slugs from their pinyin
        # Oldest first appearance claims the plain slug, so slugs stay put as newer articles arrive.
        first_seen = sorted(members, key=lambda name: (-members[name][-1], name))
        slugify = person_slug if taxonomy.slugs == "person" else pinyin_slug
        fallback = "person" if taxonomy.slugs == "person" else taxonomy.key.removesuffix("s")
        slugs = unique_slugs(first_seen, slugify, fallback=fallback)
        named = [(name, slugs[name]) for name in members]
    if taxonomy.index != "map":
        named.sort(key=lambda pair: (pair[1], pair[0]))
    key = taxonomy.key
    groups = [Group(key, name, slug, _paged_urls(key, slug, len(members.get(name, ())), per_page),
                    tuple(members.get(name, ())))
              for name, slug in named]
    return TaxonomyGroups(taxonomy, groups, {g.name: i for i, g in enumerate(groups)})



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
