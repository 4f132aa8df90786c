"""Plain view objects for the templates, one function per kind of page.

Templates only loop and test; everything they show is prepared here from the site model. A
page's view is also its fingerprint: the incremental build re-renders a page only when the
repr of its view changed.

While a page's view is made, the articles it shows are recorded (`Views.shows`): every
article it shows anything of (headline, summary, date, link …) and every article whose body it
shows. Views reach articles only through the helpers that record them (`teaser`,
`article_link`, `article_of`), so the incremental build learns from the last build which pages
an edited article appears on, with no list of that kept by hand.
"""
from __future__ import annotations

import bisect
import json
import operator
from dataclasses import dataclass, fields
from datetime import date as Date
from typing import Any, Callable, NamedTuple

from markupsafe import Markup

from .content.article import Article
from .content.markdown import render_body
from .model import (Edition, Group, NewsPage, Output, SiteArticle, SiteModel, Urls, calendar_weeks,
                    month_id)

FRONT_PAGES = 6            # undated newspaper pages on the front page of an archive without dates
POPULAR_TAGS = 15
RELATED = 3
DESCRIPTION_CHARS = 40     # meta descriptions
TEASER_CHARS = 26          # the summary in list entries (a line on a desktop, a line and a bit on a phone)
RELATED_NEIGHBOURS = 8     # candidates taken from each shared group, either side in time
HELPFUL_TITLE_CHARS = 12   # an edition lists a shorter headline with its subtitle (or kicker)
CITED_AUTHORS = 3          # GB/T 7714-2015: at most three names, then 等
SITEMAP_URLS = 50_000      # the sitemap protocol's limit per file


def view(cls: type) -> type:
    """A view object: a frozen dataclass whose repr (its share of a page's fingerprint) is made
    without dataclasses' guard against cycles, which cost more than all the rest of a large
    build's fingerprints (view objects hold no cycles). A class's own __repr__ is kept."""
    cls = dataclass(frozen=True, slots=True, repr=False)(cls)
    if "__repr__" not in cls.__dict__:
        names = tuple(f.name for f in fields(cls))
        values = operator.attrgetter(*names)
        prefix = cls.__name__
        if len(names) == 1:
            cls.__repr__ = lambda self: f"{prefix}({values(self)!r},)"
        else:
            cls.__repr__ = lambda self: prefix + repr(values(self))
    return cls


@view
class Link:
    """A labelled link; url is relative to the site root ("" marks the current page)."""

    label: str
    url: str


@view
class Turn:
    """A step to a neighbouring page or issue: what kind of step it is (上一版, 下一期 …),
    where it leads and what is there."""

    kind: str
    label: str
    url: str


@view
class SiteInfo:
    """The site-wide settings templates show."""

    title: str
    description: str
    base_url: str
    language: str
    feed: bool                    # the feed exists (some article is dated)
    sections: tuple[tuple[str, str, str], ...]   # the menu: (key, label, url) of each index page


@view
class Meta:
    """What base.html needs about the page: title, description, canonical URL, crumbs, nav."""

    title: str
    description: str
    canonical: str
    og_type: str                  # "website" or "article"
    nav: str                      # the header's current section: editions, tags, districts, people, search; "home" on the front page
    nav_is_index: bool            # the page is that section's own index (aria-current="page")
    breadcrumbs: tuple[Link, ...]
    og_title: str                 # the page's own title: og:site_name names the site


@view
class Teaser:
    """An article as list pages show it: headline, date and page (linked to its edition), and
    a short opening."""

    title: str
    url: str
    kind: str
    iso_date: str
    page: str                     # the newspaper page's label, "" for none
    issue_url: str                # its edition, at its page's section; "" when undated
    summary: str
    key: str    # repr of the fields above, made once: each list page's fingerprint repeats it

    def __repr__(self) -> str:
        return f"Teaser{self.key}"


@view
class Byline:
    """One role in the byline and the people credited in it."""

    role: str
    people: tuple[Link, ...]


@view
class Body:
    """An article's body, turned into HTML only when its page is written.

    Its repr, which goes into the page's fingerprint, is the hash of the content file the
    paragraphs come from: fingerprinting a page does not render or copy its text.
    """

    article: Article
    digest: str

    def __html__(self) -> str:
        return render_body(self.article.paragraphs)

    def __repr__(self) -> str:
        return f"Body({self.digest!r})"


@view
class ArticleView:
    """One article page."""

    title: str
    kicker: str
    subtitle: str
    kind: str
    rubric: Link | None
    section: str
    iso_date: str
    issue: Link | None                         # its date, linked to its edition
    bylines: tuple[Byline, ...]
    source: str
    chips: tuple[Byline, ...]                  # each chips-style taxonomy's name and its links
    page: Link | None
    position: int
    page_size: int
    previous: Link | None                      # 上一篇 on the same page
    next: Link | None
    related: tuple[Teaser, ...]                # shown as headlines
    citation: str                              # GB/T 7714-2015, newspaper form
    url: str                                   # absolute, cited with it
    body: Body
    jsonld: Markup


@view
class PagerLink:
    """One entry of the pagination bar; url "" is the current page, number 0 a gap."""

    number: int
    url: str


@view
class Pager:
    """Pagination of a list."""

    number: int
    count: int
    previous: str
    next: str
    links: tuple[PagerLink, ...]


@view
class ListingView:
    """One page of a tag's, district's, person's or column's articles."""

    heading: str
    section_name: str
    note: str
    total: int
    teasers: tuple[Teaser, ...]
    pager: Pager


@view
class NewsPageView:
    """One newspaper page with its articles in printed order."""

    issue: Link                   # its date linked to its edition, or 未注明日期 to the undated pages
    label: str
    teasers: tuple[Teaser, ...]
    previous: Turn | None         # 上一版, or 上一期 at the edition's first page
    next: Turn | None


@view
class Headline:
    """An article as an edition lists it: headline, a helping kicker or subtitle, people."""

    title: str
    url: str
    note: str                     # the subtitle or kicker of a short headline, else ""
    note_kind: str                # "subtitle", "kicker" or ""
    people: str                   # the names credited, as plain text


@view
class EditionPage:
    """One newspaper page on an edition's page (or the front page)."""

    label: str
    url: str
    anchor: str
    headlines: tuple[Headline, ...]


@view
class CalendarDay:
    """One cell of a month calendar: its day (0 outside the month) and its edition's URL ("" for none)."""

    day: int
    url: str


@view
class CalendarMonth:
    """One month as a Monday-first calendar."""

    id: str                       # the id of its section on its year's page
    label: str                    # 3月 (2021年3月 on the front page)
    url: str                      # its place in its year's page
    count: int                    # its editions
    weeks: tuple[tuple[CalendarDay, ...], ...]


@view
class EditionView:
    """One day's edition."""

    date: str
    iso_date: str
    weekday: str
    issue: int | None
    article_count: int
    pages: tuple[EditionPage, ...]
    others: tuple[Headline, ...]  # the day's articles on none of its pages
    month: Link                   # its month in its year's calendars
    previous: Turn | None         # 上一期
    next: Turn | None             # 下一期
    jsonld: Markup


@view
class YearEntry:
    """A year (or the undated pages) in the back-issue index and on the front page."""

    label: str
    url: str
    editions: int                 # for the undated pages: how many pages
    articles: int
    undated: bool
    months: tuple[Link, ...]      # the months with editions, linked to their calendars


@view
class YearView:
    """One year as twelve month calendars."""

    year: int
    editions: int
    articles: int
    months: tuple[CalendarMonth, ...]
    previous: Turn | None
    next: Turn | None


@view
class UndatedPage:
    """An undated newspaper page in the back-issue index."""

    title: str
    url: str
    count: int


@view
class EditionsView:
    """The back-issue index (往期)."""

    years: tuple[YearEntry, ...]
    edition_count: int
    undated: tuple[UndatedPage, ...]


@view
class Entry:
    """A tag, district or person in an index: name, link, count, and a bar width in percent."""

    name: str
    slug: str
    url: str
    count: int
    share: int
    note: str


@view
class LetterGroup:
    """Index entries under one initial letter."""

    letter: str
    entries: tuple[Entry, ...]


@view
class IndexView:
    """The tags, people (A–Z) or districts index."""

    heading: str
    intro: str
    letters: tuple[LetterGroup, ...]
    entries: tuple[Entry, ...]


@view
class FrontBox:
    """A taxonomy on the front page: its name, index page, how it is shown ("map" or
    "popular") and its entries."""

    key: str
    name: str
    url: str
    style: str
    entries: tuple[Entry, ...]


@view
class FrontView:
    """The front page: the latest edition, its month, the years; districts and tags."""

    edition: Link | None          # the latest edition's date
    pages: tuple[EditionPage, ...]  # its pages (or, in an archive without dates, the first undated ones)
    others: tuple[Headline, ...]
    month: CalendarMonth | None   # the latest edition's month
    years: tuple[YearEntry, ...]
    boxes: tuple[FrontBox, ...]   # the taxonomies shown on the front page: a map or the most used
    article_count: int
    page_count: int


@view
class FeedEntry:
    """One Atom entry."""

    title: str
    url: str
    updated: str
    authors: tuple[str, ...]
    summary: str
    content_html: str
    categories: tuple[str, ...]


class Shown(NamedTuple):
    """The articles (indices into the model) a page shows, and those whose body it shows.

    A named tuple, not a view object: one per page crosses from the render workers and goes
    into the build cache, and a tuple pickles in a fraction of the time."""

    articles: tuple[int, ...]
    bodies: tuple[int, ...]


@view
class SitemapEntry:
    """One URL of the sitemap."""

    url: str


class Views:
    """Builds the template context of every output from one site model."""

    def __init__(self, model: SiteModel) -> None:
        self.model = model
        self.urls = model.urls
        config = model.config
        sections = tuple((entry.taxonomy.key, entry.taxonomy.name, Urls.section_index(entry.taxonomy.key))
                         for entry in model.taxonomies if entry.taxonomy.index != "none")
        self.site = SiteInfo(config.title, config.description, config.base_url, config.language,
                             has_feed(model), sections)
        # An article's teaser shows on several lists: each is made once, when first shown, or
        # all of them by prepare_teasers before workers fork.
        self.teasers: list[Teaser | None] = [None] * len(model.articles)
        self.ui = model.ui
        self.styles: dict[str, tuple[int, ...]] = {}      # article display style -> taxonomies
        for t, holder in enumerate(model.taxonomies):
            self.styles[holder.taxonomy.article] = (*self.styles.get(holder.taxonomy.article, ()), t)
        # per taxonomy, a link to each of its groups (chips, bylines and rubrics show them on every
        # article page) and the schema.org property its names fill, made once
        self.group_links = [tuple(Link(group.name, group.urls[0]) for group in holder.groups)
                            for holder in model.taxonomies]
        self.schema_taxonomies = [(schema, kind, t) for schema, kind in SCHEMA_TYPES.items()
                                  for t, holder in enumerate(model.taxonomies) if holder.taxonomy.schema == schema]
        self.issue_links = [Link(self.ui.date(e.date), e.url) for e in model.editions]
        self.issue_crumbs = [self._date_crumbs(e) for e in model.editions]
        self._sitemap: list[SitemapEntry] | None = None
        self._shown: set[int] = set()     # articles the page being made shows (see shows)
        self._bodies: set[int] = set()    # articles whose body it shows
        self._roles_of: dict[tuple[int, int], str] = {}   # (taxonomy, group) -> _role_counts

    # --- dispatch -------------------------------------------------------------------------

    def context(self, output: Output) -> tuple[str, dict[str, Any]]:
        """The template and the variables that render `output`."""
        template, method = VIEWS[output.kind]
        if not template:   # a taxonomy's index: by its style
            template = INDEX_TEMPLATES[self.model.taxonomies[output.taxonomy].taxonomy.index]
        return template, method(self, output)

    def context_and_shown(self, output: Output) -> tuple[str, dict[str, Any], Shown]:
        """The template and variables of `output`, and the articles it shows."""
        self._shown, self._bodies = set(), set()
        template, context = self.context(output)
        return template, context, Shown(tuple(sorted(self._shown)), tuple(sorted(self._bodies)))

    def shows(self, index: int, body: bool = False) -> None:
        """Record that the page being made shows the article at `index` (its body too)."""
        self._shown.add(index)
        if body:
            self._bodies.add(index)

    def article_of(self, index: int) -> SiteArticle:
        """The article at `index`, recorded as shown."""
        self.shows(index)
        return self.model.articles[index]

    def _base(self, output: Output, meta: Meta, **values: Any) -> dict[str, Any]:
        """The variables every template gets, plus the page's own."""
        return {"root": Urls.root(output.path), "site": self.site, "meta": meta, **values}

    def _meta(self, output: Output, title: str, description: str, nav: str,
              crumbs: tuple[Link, ...], og_type: str = "website", nav_is_index: bool = False) -> Meta:
        """Meta for a page under the site's title."""
        full_title = f"{title} - {self.site.title}" if title else self.site.title
        breadcrumbs = (Link(self.ui.home, Urls.front()), *crumbs) if crumbs else ()
        return Meta(full_title, description or self.site.description, self.urls.absolute(output.path),
                    og_type, nav, nav_is_index, breadcrumbs, title or self.site.title)

    # --- pieces ---------------------------------------------------------------------------

    def teaser(self, index: int) -> Teaser:
        """The list view of the article at `index`."""
        self.shows(index)
        teaser = self.teasers[index]
        if teaser is None:
            teaser = self.teasers[index] = self._make_teaser(self.model.articles[index])
        return teaser

    def prepare_teasers(self) -> None:
        """Make every article's teaser now: before render workers fork, so that they share them
        instead of each making its own (an incremental build that renders a few pages makes
        only theirs, when they ask)."""
        self.teasers = [teaser or self._make_teaser(entry) for teaser, entry in zip(self.teasers, self.model.articles)]

    def _make_teaser(self, entry: SiteArticle) -> Teaser:
        """The list view of one article."""
        article = entry.article
        page = self.model.pages[entry.page] if entry.page is not None else None
        fields = (article.title, entry.url, article.kind, self._issue_date(entry),
                  page.label if page else "", self._issue_url(entry, page),
                  shorten(article.summary, TEASER_CHARS))
        return Teaser(*fields, key=repr(fields))

    def _issue_date(self, entry: SiteArticle) -> str:
        """The ISO date of the article's issue ("" when unknown)."""
        return self.model.editions[entry.edition].date if entry.edition is not None else ""

    def _issue_url(self, entry: SiteArticle, page: NewsPage | None) -> str:
        """The article's edition, at its page's section when the page is in that edition."""
        if entry.edition is None:
            return ""
        url = self.model.editions[entry.edition].url
        return f"{url}#{page.anchor}" if page is not None and page.edition == entry.edition else url

    def headline(self, index: int) -> Headline:
        """The article at `index` as an edition lists it."""
        entry = self.article_of(index)
        article = entry.article
        note, kind = "", ""
        if len(article.title) < HELPFUL_TITLE_CHARS:
            note, kind = (article.subtitle, "subtitle") if article.subtitle else (article.kicker, "kicker")
            kind = kind if note else ""
        people = " ".join(name for name in self.names_shown_as(entry, "byline"))
        return Headline(article.title, entry.url, note, kind, people)

    def names_shown_as(self, entry: SiteArticle, style: str) -> tuple[str, ...]:
        """The article's names in the taxonomies its page shows as `style` (byline …), each once."""
        taxonomies = self.model.taxonomies
        return tuple(dict.fromkeys(taxonomies[t].groups[g].name for t in self.taxonomies_shown_as(style)
                                   for g in entry.groups_in(t)))

    def taxonomies_shown_as(self, style: str) -> tuple[int, ...]:
        """The taxonomies an article page shows as `style`: "byline", "rubric", "chips"."""
        return self.styles.get(style, ())

    def _chips(self, entry: SiteArticle) -> tuple[Byline, ...]:
        """The article's names in each chips-style taxonomy, linked."""
        chips = []
        for t in self.taxonomies_shown_as("chips"):
            group_links = self.group_links[t]
            links = tuple([group_links[g] for g in entry.groups_in(t)])
            if links:
                chips.append(Byline(self.model.taxonomies[t].taxonomy.name, links))
        return tuple(chips)

    def _bylines(self, entry: SiteArticle) -> tuple[Byline, ...]:
        """The byline, role by role (记者, 通讯员, 摄影 …: the taxonomy's roles), each person linked."""
        roles: dict[str, list[Link]] = {}
        for t in self.taxonomies_shown_as("byline"):
            taxonomy, group_links = self.model.taxonomies[t].taxonomy, self.group_links[t]
            for field, g in entry.terms[t]:
                role = taxonomy.roles[field] if taxonomy.roles else taxonomy.name
                roles.setdefault(role, []).append(group_links[g])
        return tuple(Byline(role, tuple(people)) for role, people in roles.items())

    def related(self, entry: SiteArticle, shown: tuple[int, ...] = ()) -> tuple[Teaser, ...]:
        """Articles sharing most tags and districts, among the nearest in time in each group;
        articles in `shown` (the page neighbours the article page links already) are left out."""
        scores: dict[int, int] = {}
        for group, weight in related_groups(self.model, entry):
            for other in related_window(group, entry.index):
                if other != entry.index:
                    scores[other] = scores.get(other, 0) + weight
        for other in shown:
            scores.pop(other, None)
        me = entry.index
        # a sort of plain tuples: quicker than heapq.nsmallest with a key for a few dozen candidates
        best = sorted([(-score, abs(other - me), other) for other, score in scores.items()])[:RELATED]
        return tuple([self.teaser(other) for _, _, other in best])

    def pager(self, urls: tuple[str, ...], number: int) -> Pager:
        """Pagination for page `number` of the list pages at `urls`."""
        count = len(urls)
        shown = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
        links: list[PagerLink] = []
        for n in shown:
            if links and n - links[-1].number > 1:
                links.append(PagerLink(0, ""))
            links.append(PagerLink(n, "" if n == number else urls[n - 1]))
        return Pager(number, count, urls[number - 2] if number > 1 else "",
                     urls[number] if number < count else "", tuple(links))

    def jsonld(self, entry: SiteArticle) -> Markup:
        """schema.org NewsArticle, part of its issue (PublicationIssue) when its date is known."""
        article = entry.article
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "inLanguage": self.site.language,
        }
        if article.subtitle:
            data["alternativeHeadline"] = article.subtitle
        if entry.edition is not None:
            edition = self.model.editions[entry.edition]
            data["datePublished"] = edition.date
            data["isPartOf"] = {"@type": "PublicationIssue", "@id": self._issue_id(edition)}
        page = self._cited_page(entry)
        if page is not None and page.number is not None:
            data["printPage"] = str(page.number)
        for schema, kind, t in self.schema_taxonomies:
            links = self.group_links[t]
            named = [{"@type": kind, "name": links[g].label} for g in entry.groups_in(t)]
            if named:
                data.setdefault(schema, []).extend(named)
        if article.source:
            data["sourceOrganization"] = {"@type": "Organization", "name": article.source}
        return script_json(data)

    def _issue_id(self, edition: Edition) -> str:
        """The JSON-LD @id of an edition's PublicationIssue: articles refer to it."""
        return self.urls.absolute(edition.url) + "#issue"

    def _cited_page(self, entry: SiteArticle) -> NewsPage | None:
        """The article's newspaper page when it belongs to the article's issue (its 版次 is then
        that issue's)."""
        if entry.page is None:
            return None
        page = self.model.pages[entry.page]
        return page if page.edition is not None and page.edition == entry.edition else None

    def citation(self, entry: SiteArticle) -> str:
        """The article in GB/T 7714-2015's newspaper form:
        主要责任者. 题名[N]. 报纸名, 出版日期(版次). Unknown parts are left out."""
        article = entry.article
        authors = article.reporters + article.correspondents or article.photographers
        edition = self.model.editions[entry.edition] if entry.edition is not None else None
        page = self._cited_page(entry)
        return gbt7714_newspaper(authors, article.title, self.model.config.newspaper,
                                 edition.date if edition else "",
                                 page.number if page is not None else None)

    def _date_crumbs(self, edition: Edition, current: bool = False) -> tuple[Link, ...]:
        """2021年 (its month on the year's page) › 3月12日 (the edition)."""
        day = Date.fromisoformat(edition.date)
        return (Link(self.ui.fill("year", year=day.year), Urls.month(day.year, day.month)),
                Link(self.ui.fill("month_day", month=day.month, day=day.day), "" if current else edition.url))

    def _page_crumbs(self, page: NewsPage, current: bool = False) -> tuple[Link, ...]:
        """The way down to a newspaper page: its date, or 未注明日期, then 第3版."""
        if page.edition is not None:
            up = self.issue_crumbs[page.edition]
        else:
            up = (Link(self.ui.undated, Urls.editions() + "#undated"),)
        return (*up, Link(page.short, "" if current else page.url))

    def _edition_pages(self, edition: Edition) -> tuple[EditionPage, ...]:
        """An edition's newspaper pages with their headlines."""
        pages = self.model.pages
        return tuple(EditionPage(pages[p].label, pages[p].url, pages[p].anchor,
                                 tuple(self.headline(i) for i in pages[p].articles))
                     for p in edition.pages)

    def calendar(self, year: int, month: int, label: str) -> CalendarMonth:
        """One month's calendar, its days with an edition linked."""
        found = self.model.edition_dates
        weeks = []
        count = 0
        for week in calendar_weeks(year, month):
            days = []
            for day in week:
                url = ""
                if day:
                    e = found.get(f"{year}-{month:02d}-{day:02d}")
                    if e is not None:
                        url = self.model.editions[e].url
                        count += 1
                days.append(CalendarDay(day, url))
            weeks.append(tuple(days))
        return CalendarMonth(month_id(year, month), label, Urls.month(year, month), count, tuple(weeks))

    def year_entries(self) -> tuple[YearEntry, ...]:
        """The years with their editions and articles, and the undated pages."""
        editions = self.model.editions
        entries = []
        for y in self.model.years:
            months = sorted({int(editions[e].date[5:7]) for e in y.editions})
            entries.append(YearEntry(self.ui.fill("year", year=y.year), y.url, len(y.editions), y.article_count,
                                     False, tuple(Link(self.ui.fill("month", month=m), Urls.month(y.year, m))
                                                  for m in months)))
        if self.model.undated:
            pages = self.model.pages
            entries.append(YearEntry(self.ui.undated, Urls.editions() + "#undated", len(self.model.undated),
                                     sum(len(pages[p].articles) for p in self.model.undated), True, ()))
        return tuple(entries)

    # --- pages ----------------------------------------------------------------------------

    def article(self, output: Output) -> dict[str, Any]:
        """An article page."""
        entry = self.article_of(output.ref)
        self.shows(output.ref, body=True)
        article = entry.article
        previous = following = None
        page_size = 0
        neighbours: tuple[int, ...] = ()
        page_link = None
        crumbs: tuple[Link, ...] = ()
        page = self.model.pages[entry.page] if entry.page is not None else None
        if page is not None:
            members = page.articles
            page_size = len(members)
            at = members.index(entry.index)
            neighbours = members[max(0, at - 1):at] + members[at + 1:at + 2]
            if at > 0:
                previous = self.article_link(members[at - 1])
            if at + 1 < len(members):
                following = self.article_link(members[at + 1])
            page_link = Link(page.label, page.url)
        edition = self.model.editions[entry.edition] if entry.edition is not None else None
        if page is not None and (edition is None or page.edition == entry.edition):
            crumbs = self._page_crumbs(page)
        elif edition is not None:
            crumbs = self.issue_crumbs[entry.edition]
        rubric = next((self.group_links[t][g] for t in self.taxonomies_shown_as("rubric") for g in entry.groups_in(t)),
                      None)
        iso = edition.date if edition else ""
        view = ArticleView(
            article.title, article.kicker, article.subtitle, article.kind, rubric, article.section,
            iso, self.issue_links[entry.edition] if edition else None,
            self._bylines(entry), article.source, self._chips(entry), page_link,
            article.position, page_size, previous, following, self.related(entry, neighbours),
            self.citation(entry), self.urls.absolute(entry.url),
            Body(article, article.content_hash), self.jsonld(entry))
        description = shorten(article.summary, DESCRIPTION_CHARS)
        meta = self._meta(output, article.title, description, "", (*crumbs, Link(article.title, "")),
                          og_type="article")
        return self._base(output, meta, article=view)

    def page_title(self, p: int) -> str:
        """The title of newspaper page `p`; an undated page's names its first headline, which
        is recorded as shown."""
        page = self.model.pages[p]
        if page.edition is None and page.articles:
            self.shows(page.articles[0])
        return page.title

    def article_link(self, index: int) -> Link:
        """A link to the article at `index`, labelled with its title."""
        entry = self.article_of(index)
        return Link(entry.article.title, entry.url)

    def news_page(self, output: Output) -> dict[str, Any]:
        """A newspaper page; 上一版/下一版 stay in its edition (or among the undated pages) and
        at its ends lead to the neighbouring editions."""
        model = self.model
        page = model.pages[output.ref]
        if page.edition is not None:
            edition = model.editions[page.edition]
            issue = Link(self.ui.date(edition.date), edition.url)
            order = edition.pages
        else:
            issue = Link(self.ui.undated, Urls.editions() + "#undated")
            order = model.undated
        at = page.place
        previous = self._page_turn(self.ui.previous_newspaper_page, order[at - 1]) if at > 0 else None
        following = self._page_turn(self.ui.next_newspaper_page, order[at + 1]) if at + 1 < len(order) else None
        if page.edition is not None:
            previous = previous or self._edition_turn(self.ui.previous_issue, page.edition + 1)
            following = following or self._edition_turn(self.ui.next_issue, page.edition - 1)
        view = NewsPageView(issue, page.label, tuple(self.teaser(i) for i in page.articles),
                            previous, following)
        description = f"{page.title}：" + "；".join(self.article_of(i).article.title for i in page.articles)
        meta = self._meta(output, page.title, shorten(description, DESCRIPTION_CHARS), "editions",
                          self._page_crumbs(page, current=True))
        return self._base(output, meta, newspage=view)

    def _page_turn(self, kind: str, p: int) -> Turn:
        """A step to the newspaper page `p` of the same edition."""
        page = self.model.pages[p]
        return Turn(kind, page.label, page.url)

    def _edition_turn(self, kind: str, e: int) -> Turn | None:
        """A step to the edition `e` (newest first), saying its date; None past either end."""
        if not 0 <= e < len(self.model.editions):
            return None
        edition = self.model.editions[e]
        return Turn(kind, self.ui.date(edition.date), edition.url)

    def edition(self, output: Output) -> dict[str, Any]:
        """One day's edition: its pages in 版次 order with their articles."""
        model = self.model
        edition = model.editions[output.ref]
        day = Date.fromisoformat(edition.date)
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "PublicationIssue",
            "@id": self._issue_id(edition),
            "url": self.urls.absolute(edition.url),
            "datePublished": edition.date,
        }
        if edition.issue is not None:
            data["issueNumber"] = str(edition.issue)
        if model.config.newspaper:
            data["isPartOf"] = {"@type": "Periodical", "name": model.config.newspaper}
        view = EditionView(
            self.ui.date(edition.date), edition.date, self.ui.weekday(edition.date), edition.issue,
            edition.article_count, self._edition_pages(edition),
            tuple(self.headline(i) for i in edition.others),
            Link(self.ui.fill("year_month", year=day.year, month=day.month), Urls.month(day.year, day.month)),
            self._edition_turn(self.ui.previous_issue, output.ref + 1),
            self._edition_turn(self.ui.next_issue, output.ref - 1),
            script_json(data))
        pages = model.pages
        description = self.ui.fill("edition_description", date=self.ui.date(edition.date)) + "；".join(
            pages[p].label for p in edition.pages)
        meta = self._meta(output, self.ui.date(edition.date), shorten(description, DESCRIPTION_CHARS),
                          "editions", self._date_crumbs(edition, current=True))
        return self._base(output, meta, edition=view)

    def year(self, output: Output) -> dict[str, Any]:
        """One year as twelve month calendars."""
        years = self.model.years
        year = years[output.ref]
        months = tuple(self.calendar(year.year, month, self.ui.fill("month", month=month)) for month in range(1, 13))
        previous = following = None
        if output.ref + 1 < len(years):
            previous = Turn(self.ui.previous_year, self.ui.fill("year", year=years[output.ref + 1].year),
                            years[output.ref + 1].url)
        if output.ref > 0:
            following = Turn(self.ui.next_year, self.ui.fill("year", year=years[output.ref - 1].year),
                             years[output.ref - 1].url)
        view = YearView(year.year, len(year.editions), year.article_count, months, previous, following)
        title = self.ui.fill("year", year=year.year)
        meta = self._meta(output, title, self.ui.fill("year_description", year=title, count=len(year.editions)),
                          "editions", (Link(self.ui.editions, Urls.editions()), Link(title, "")))
        return self._base(output, meta, year=view)

    def editions_index(self, output: Output) -> dict[str, Any]:
        """The back-issue index: the years with their counts, and the undated pages."""
        pages = self.model.pages
        undated = tuple(UndatedPage(self.page_title(p), pages[p].url, len(pages[p].articles))
                        for p in self.model.undated)
        view = EditionsView(self.year_entries(), len(self.model.editions), undated)
        meta = self._meta(output, self.ui.editions, self.ui.editions_description, "editions",
                          (Link(self.ui.editions, ""),),
                          nav_is_index=True)
        return self._base(output, meta, editions=view)

    def listing(self, output: Output) -> dict[str, Any]:
        """One page of the articles under one name of a taxonomy (a tag, district, person …)."""
        taxonomy = self.model.taxonomies[output.taxonomy].taxonomy
        section = taxonomy.key
        group = self.model.taxonomies[output.taxonomy].groups[output.ref]
        per_page = max(1, self.model.config.paging.articles_per_page)
        start = (output.number - 1) * per_page
        teasers = tuple(self.teaser(i) for i in group.articles[start:start + per_page])
        note = self._role_counts(output.taxonomy, output.ref) if taxonomy.roles else ""
        section_name = taxonomy.name
        view = ListingView(group.name, section_name, note, len(group.articles), teasers,
                           self.pager(group.urls, output.number))
        crumbs: tuple[Link, ...] = ()
        has_index = taxonomy.index != "none"
        if has_index:
            crumbs = (Link(section_name, Urls.section_index(section)),)
        heading = (group.name if output.number == 1 else
                   self.ui.fill("listing_heading_page", name=group.name, number=output.number))
        crumbs += (Link(group.name, "" if output.number == 1 else group.urls[0]),)
        if output.number > 1:
            crumbs += (Link(self.ui.fill("page_n", number=output.number), ""),)
        description = self.ui.fill("listing_description", section=section_name, name=group.name,
                                   count=len(group.articles))
        meta = self._meta(output, heading, description, section if has_index else "", crumbs)
        return self._base(output, meta, listing=view)

    def _role_counts(self, t: int, group: int) -> str:
        """How a person is credited across their articles, e.g. '记者 5 · 摄影 1' (made once per
        person: every page of their list shows it)."""
        known = self._roles_of.get((t, group))
        if known is None:
            known = self._roles_of[(t, group)] = self._count_roles(t, group)
        return known

    def _count_roles(self, t: int, group: int) -> str:
        """_role_counts, counted."""
        roles = self.model.taxonomies[t].taxonomy.roles
        counts: dict[str, int] = {}
        for index in self.model.taxonomies[t].groups[group].articles:
            entry = self.model.articles[index]
            for field in dict.fromkeys(field for field, g in entry.terms[t] if g == group):
                counts[roles[field]] = counts.get(roles[field], 0) + 1
        return " · ".join(f"{role} {n}" for role, n in counts.items())

    def taxonomy_index(self, output: Output) -> dict[str, Any]:
        """A taxonomy's index page: A–Z by pinyin, or its map."""
        taxonomy = self.model.taxonomies[output.taxonomy].taxonomy
        if taxonomy.index == "map":
            return self.map_index(output, output.taxonomy)
        return self.letters_index(output, taxonomy.key, taxonomy.name, self.model.taxonomies[output.taxonomy].groups)

    def letters_index(self, output: Output, section: str, name: str, groups: list) -> dict[str, Any]:
        """A taxonomy's index A–Z by pinyin, with letter headings and counts."""
        letters: dict[str, list[Entry]] = {}
        for group in groups:  # groups are sorted by slug already
            letter = group.slug[:1].upper() if group.slug[:1].isalpha() else "#"
            letters.setdefault(letter, []).append(
                Entry(group.name, group.slug, group.urls[0], len(group.articles), 0, ""))
        view = IndexView(name, self.ui.fill("letters_intro", count=len(groups), name=name),
                         tuple(LetterGroup(k, tuple(v)) for k, v in letters.items()), ())
        meta = self._meta(output, name, view.intro, section, (Link(name, ""),), nav_is_index=True)
        return self._base(output, meta, index=view)

    def map_entries(self, t: int) -> tuple[Entry, ...]:
        """A map taxonomy's names (the districts) with counts and bar widths relative to the busiest."""
        groups = self.model.taxonomies[t].groups
        most = max((len(g.articles) for g in groups), default=0) or 1
        return tuple(Entry(g.name, g.slug, g.urls[0], len(g.articles), round(100 * len(g.articles) / most), "")
                     for g in groups)

    def map_index(self, output: Output, t: int) -> dict[str, Any]:
        """A map taxonomy's index (the districts): counts and a map of where stories come from."""
        taxonomy = self.model.taxonomies[t].taxonomy
        placed = sum(1 for a in self.model.articles if a.terms[t])
        view = IndexView(taxonomy.name, self.ui.fill("districts_intro", articles=len(self.model.articles),
                                                     placed=placed), (), self.map_entries(t))
        meta = self._meta(output, taxonomy.name, view.intro, taxonomy.key, (Link(taxonomy.name, ""),),
                          nav_is_index=True)
        return self._base(output, meta, index=view)

    def front_boxes(self) -> tuple[FrontBox, ...]:
        """The taxonomies the front page shows: as a map, or their most used names."""
        boxes = []
        for t, holder in enumerate(self.model.taxonomies):
            taxonomy = holder.taxonomy
            if taxonomy.front == "map":
                entries = self.map_entries(t)
            elif taxonomy.front == "popular":
                popular = sorted(holder.groups, key=lambda g: (-len(g.articles), g.slug))[:POPULAR_TAGS]
                entries = tuple(Entry(g.name, g.slug, g.urls[0], len(g.articles), 0, "") for g in popular)
            else:
                continue
            if entries:
                boxes.append(FrontBox(taxonomy.key, taxonomy.name, Urls.section_index(taxonomy.key), taxonomy.front,
                                      entries))
        return tuple(boxes)

    def front(self, output: Output) -> dict[str, Any]:
        """The front page: the latest edition with all its pages, the calendar of its month
        (an archive's "current" month: the clock at build time would mostly show an empty
        month, and would make the page depend on the day it is built), and the years."""
        model = self.model
        edition_link = month = None
        others: tuple[Headline, ...] = ()
        if model.editions:
            latest = model.editions[0]
            day = Date.fromisoformat(latest.date)
            edition_link = Link(self.ui.date(latest.date), latest.url)
            pages = self._edition_pages(latest)
            others = tuple(self.headline(i) for i in latest.others)
            month = self.calendar(day.year, day.month, self.ui.fill("year_month", year=day.year, month=day.month))
        else:
            pages = tuple(EditionPage(model.pages[p].label, model.pages[p].url, model.pages[p].anchor,
                                      tuple(self.headline(i) for i in model.pages[p].articles))
                          for p in model.undated[:FRONT_PAGES])
        view = FrontView(edition_link, pages, others, month, self.year_entries(), self.front_boxes(),
                         len(model.articles), len(model.pages))
        meta = self._meta(output, "", self.site.description, "home", (), nav_is_index=True)
        return self._base(output, meta, front=view)

    def search(self, output: Output) -> dict[str, Any]:
        """The search page (template by the search module's author); its filters come from
        the search files, which know the archive's taxonomies."""
        meta = self._meta(output, self.ui.search, self.ui.search_description, "search",
                          (Link(self.ui.search, ""),), nav_is_index=True)
        # the whole table: search.js words its results, pages and messages with it
        return self._base(output, meta, wording=script_json(self.ui.table()))

    def not_found(self, output: Output) -> dict[str, Any]:
        """The not-found page; it is served at any depth, so its links are absolute."""
        meta = self._meta(output, self.ui.not_found, "", "", (Link(self.ui.not_found, ""),))
        context = self._base(output, meta)
        context["root"] = self.site.base_url
        return context

    def feed(self, output: Output) -> dict[str, Any]:
        """The Atom feed: the newest dated articles only (see `feed_entries`); written only
        when some article is dated, its `updated` is the newest article date."""
        assert self.model.newest_date is not None, "no feed without a dated article"
        return {"site": self.site, "feed_url": self.urls.absolute(output.path),
                "home_url": self.site.base_url, "updated": atom_time(self.model.newest_date),
                "entries": self.feed_entries()}

    def feed_entries(self) -> tuple[FeedEntry, ...]:
        """Entries for the newest dated articles.

        Atom requires a time on every entry and the archive never invents dates, so undated
        articles are left out of the feed.
        """
        entries = []
        for entry in self.model.articles:  # newest first; dated ones come before undated
            if len(entries) >= self.model.config.paging.feed_entries or entry.article.date is None:
                break
            article = entry.article
            entries.append(FeedEntry(
                article.title, self.urls.absolute(entry.url), atom_time(article.date),
                self.names_shown_as(entry, "byline"), article.summary, render_body(article.paragraphs),
                self.names_shown_as(entry, "chips")))
        return tuple(entries)

    def sitemap_entries(self, outputs: list[Output]) -> list[SitemapEntry]:
        """Every HTML page of the site with an absolute URL (search excluded)."""
        entries = []
        for output in outputs:
            if output.kind == "search":
                continue
            # No lastmod: an article's date is when it was printed, not when its page changed.
            entries.append(SitemapEntry(self.urls.absolute(output.path)))
        return entries

    def sitemap(self, output: Output) -> dict[str, Any]:
        """One sitemap file (the `number`-th block of SITEMAP_URLS pages)."""
        if self._sitemap is None:   # a large site has several sitemap files: list its pages once
            self._sitemap = self.sitemap_entries(self.model.outputs())
        entries = self._sitemap
        start = (output.number - 1) * SITEMAP_URLS
        return {"entries": tuple(entries[start:start + SITEMAP_URLS])}

    def sitemap_index(self, output: Output) -> dict[str, Any]:
        """The sitemap index pointing at the numbered sitemaps of a large site."""
        count = output.ref
        return {"sitemaps": tuple(self.urls.absolute(f"sitemap-{n}.xml") for n in range(1, count + 1))}

    def robots(self, output: Output) -> dict[str, Any]:
        """robots.txt."""
        return {"sitemap_url": self.urls.absolute("sitemap.xml")}


# A taxonomy's index page style -> its template (see vocab.Taxonomy.index).
INDEX_TEMPLATES = {"letters": "letters.html", "map": "districts.html"}
# What schema.org calls the names of a taxonomy (vocab.Taxonomy.schema) -> their type.
SCHEMA_TYPES = {"author": "Person", "contentLocation": "Place", "about": "Thing"}

# Output kind -> (template, view method).
VIEWS: dict[str, tuple[str, Callable[[Views, Output], dict[str, Any]]]] = {
    "front": ("front.html", Views.front),
    "article": ("article.html", Views.article),
    "page": ("page.html", Views.news_page),
    "editions-index": ("editions.html", Views.editions_index),
    "year": ("year.html", Views.year),
    "edition": ("edition.html", Views.edition),
    "listing": ("listing.html", Views.listing),
    "taxonomy-index": ("", Views.taxonomy_index),     # the template by the taxonomy's index style
    "search": ("search.html", Views.search),
    "feed": ("feed.xml", Views.feed),
    "sitemap": ("sitemap.xml", Views.sitemap),
    "sitemap-index": ("sitemap-index.xml", Views.sitemap_index),
    "robots": ("robots.txt", Views.robots),
    "not-found": ("404.html", Views.not_found),
}


def related_groups(model: SiteModel, entry: SiteArticle) -> list[tuple[Group, int]]:
    """The groups related articles are drawn from, with the weight of sharing each: the
    `related` of their taxonomy (tags 2, districts 1, column 1 in the engine's data)."""
    return [(holder.groups[g], holder.taxonomy.related) for t, holder in enumerate(model.taxonomies)
            if holder.taxonomy.related for g in entry.groups_in(t)]


def related_window(group: Group, index: int) -> tuple[int, ...]:
    """The members of `group` nearest in time to the article at `index` (itself included):
    the related candidates it gives."""
    members = group.articles
    at = bisect.bisect_left(members, index)
    return members[max(0, at - RELATED_NEIGHBOURS): at + RELATED_NEIGHBOURS + 1]


def has_feed(model: SiteModel) -> bool:
    """Whether the site has a feed: only dated articles can be in it."""
    return model.newest_date is not None


def gbt7714_newspaper(authors: tuple[str, ...], title: str, newspaper: str, date: str,
                      number: int | None) -> str:
    """A newspaper article cited as GB/T 7714-2015 has it: `主要责任者. 题名[N]. 报纸名,
    出版日期(版次).`, with at most three authors and then 等. An unknown part is left out
    (the 版次 too when the date is unknown: it only places the article in that day's paper)."""
    parts = []
    if authors:
        names = list(authors[:CITED_AUTHORS]) + (["等"] if len(authors) > CITED_AUTHORS else [])
        parts.append(", ".join(names) + ". ")
    parts.append(f"{title}[N].")
    where = []
    if newspaper:
        where.append(newspaper)
    if date:
        where.append(date + (f"({number})" if number is not None else ""))
    if where:
        parts.append(" " + ", ".join(where) + ".")
    return "".join(parts)


def script_json(data: dict[str, Any]) -> Markup:
    """JSON-LD as a script body; <, > and & escaped so that text cannot end the script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # no indent: json's fast C encoder
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in '…' when cut."""
    if len(text) <= limit:
        return text
    return text[:limit - 1].rstrip().rstrip("…") + "…"


def atom_time(iso: str) -> str:
    """An ISO date as an Atom timestamp at midnight Beijing time."""
    return f"{iso}T00:00:00+08:00"


def extra_outputs(model: SiteModel) -> list[Output]:
    """The feed (when some article is dated), sitemap(s), robots.txt and 404.html."""
    extras = [Output("feed.xml", "feed", origin="the feed")] if has_feed(model) else []
    extras += [Output("robots.txt", "robots", origin="robots.txt"),
               Output("404.html", "not-found", origin="the not-found page")]
    pages = len(model.outputs()) - 1  # the search page is not in the sitemap
    if pages <= SITEMAP_URLS:
        return extras + [Output("sitemap.xml", "sitemap", origin="the sitemap")]
    count = -(-pages // SITEMAP_URLS)
    extras.append(Output("sitemap.xml", "sitemap-index", ref=count, origin="the sitemap index"))
    return extras + [Output(f"sitemap-{n}.xml", "sitemap", number=n, origin="the sitemap")
                     for n in range(1, count + 1)]
