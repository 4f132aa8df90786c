"""Plain view objects for the templates, one function per kind of page.

Templates only loop and test; everything they show is prepared here from the site model. A
page's view is also its fingerprint: the incremental build re-renders a page only when the
repr of its view changed.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from datetime import date as Date
from typing import Any, Callable

from markupsafe import Markup

from .content.markdown import render_body
from .model import Group, NewsPage, Output, SiteArticle, SiteModel, Urls

FRONT_PAGES = 6            # newspaper pages on the front page
FRONT_PAGE_HEADLINES = 6   # headlines listed under each of them
POPULAR_TAGS = 15
RELATED = 4
DESCRIPTION_CHARS = 50     # meta and Open Graph descriptions
TEASER_CHARS = 40          # the summary in list entries (two lines on a phone)
RELATED_NEIGHBOURS = 8     # candidates taken from each shared group, either side in time
SECTION_NAMES = {"tags": "标签", "districts": "地区", "people": "人物", "columns": "栏目"}
SITEMAP_URLS = 50_000      # the sitemap protocol's limit per file


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled link; url is relative to the site root ("" marks the current page)."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """The site-wide settings templates show."""

    title: str
    description: str
    base_url: str
    language: str


@dataclass(frozen=True, slots=True)
class Meta:
    """What base.html needs about the page: title, description, canonical URL, crumbs, nav."""

    title: str
    description: str
    canonical: str
    og_type: str                  # "website" or "article"
    nav: str                      # the header's current section: tags, districts, people, search; "home" on the front page
    nav_is_index: bool            # the page is that section's own index (aria-current="page")
    breadcrumbs: tuple[Link, ...]
    published: str                # ISO date or ""
    og_title: str                 # the page's own title: og:site_name names the site


@dataclass(frozen=True, slots=True, repr=False)
class Teaser:
    """An article as list pages show it: headline, date, page and a short opening."""

    title: str
    url: str
    kind: str
    date: str
    iso_date: str
    page: str                     # the newspaper page's label, "" for none
    summary: str
    key: str    # repr of the fields above, made once: each list page's fingerprint repeats it

    def __repr__(self) -> str:
        return f"Teaser{self.key}"


@dataclass(frozen=True, slots=True)
class Byline:
    """One role in the byline and the people credited in it."""

    role: str
    people: tuple[Link, ...]


@dataclass(frozen=True, slots=True, repr=False)
class Body:
    """An article's body, turned into HTML only when its page is written.

    Its repr, which goes into the page's fingerprint, is the hash of the content file the
    paragraphs come from: fingerprinting a page does not render or copy its text.
    """

    paragraphs: tuple[str, ...]
    digest: str

    def __html__(self) -> str:
        return render_body(self.paragraphs)

    def __repr__(self) -> str:
        return f"Body({self.digest!r})"


@dataclass(frozen=True, slots=True)
class ArticleView:
    """One article page."""

    title: str
    kicker: str
    subtitle: str
    kind: str
    rubric: Link | None
    section: str
    date: str
    iso_date: str
    bylines: tuple[Byline, ...]
    source: str
    districts: tuple[Link, ...]
    tags: tuple[Link, ...]
    page: Link | None
    position: int
    page_size: int
    previous: Link | None
    next: Link | None
    related: tuple[Teaser, ...]                # shown as headlines
    body: Body
    jsonld: Markup


@dataclass(frozen=True, slots=True)
class PagerLink:
    """One entry of the pagination bar; url "" is the current page, number 0 a gap."""

    number: int
    url: str


@dataclass(frozen=True, slots=True)
class Pager:
    """Pagination of a list."""

    number: int
    count: int
    previous: str
    next: str
    links: tuple[PagerLink, ...]


@dataclass(frozen=True, slots=True)
class ListingView:
    """One page of a tag's, district's, person's or column's articles."""

    heading: str
    section_name: str
    note: str
    total: int
    teasers: tuple[Teaser, ...]
    pager: Pager


@dataclass(frozen=True, slots=True)
class NewsPageView:
    """One newspaper page with its articles in printed order."""

    label: str
    date: str
    iso_date: str
    teasers: tuple[Teaser, ...]
    previous: Link | None
    next: Link | None


@dataclass(frozen=True, slots=True)
class Entry:
    """A tag, district or person in an index: name, link, count, and a bar width in percent."""

    name: str
    slug: str
    url: str
    count: int
    share: int
    note: str


@dataclass(frozen=True, slots=True)
class LetterGroup:
    """Index entries under one initial letter."""

    letter: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class IndexView:
    """The tags, people (A–Z) or districts index."""

    heading: str
    intro: str
    letters: tuple[LetterGroup, ...]
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class PageSummary:
    """A newspaper page on the front page."""

    label: str
    url: str
    date: str
    count: int
    headlines: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class FrontView:
    """The front page."""

    latest: tuple[Teaser, ...]
    pages: tuple[PageSummary, ...]
    districts: tuple[Entry, ...]
    tags: tuple[Entry, ...]
    article_count: int
    page_count: int


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One Atom entry."""

    title: str
    url: str
    updated: str
    authors: tuple[str, ...]
    summary: str
    content_html: str
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One URL of the sitemap."""

    url: str
    lastmod: str


class Views:
    """Builds the template context of every output from one site model."""

    def __init__(self, model: SiteModel) -> None:
        self.model = model
        self.urls = model.urls
        config = model.config
        self.site = SiteInfo(config.title, config.description, config.base_url, config.language)
        # An article's teaser shows on several lists; made once here, before workers fork.
        self.teasers = [self._make_teaser(entry) for entry in model.articles]
        self._sitemap: list[SitemapEntry] | None = None

    # --- dispatch -------------------------------------------------------------------------

    def context(self, output: Output) -> tuple[str, dict[str, Any]]:
        """The template and the variables that render `output`."""
        template, method = VIEWS[output.kind]
        return template, method(self, output)

    def _base(self, output: Output, meta: Meta, **values: Any) -> dict[str, Any]:
        """The variables every template gets, plus the page's own."""
        return {"root": Urls.root(output.path), "site": self.site, "meta": meta, **values}

    def _meta(self, output: Output, title: str, description: str, nav: str,
              crumbs: tuple[Link, ...], og_type: str = "website", published: str = "",
              nav_is_index: bool = False) -> Meta:
        """Meta for a page under the site's title."""
        full_title = f"{title} - {self.site.title}" if title else self.site.title
        breadcrumbs = (Link("首页", Urls.front()), *crumbs) if crumbs else ()
        return Meta(full_title, description or self.site.description, self.urls.absolute(output.path),
                    og_type, nav, nav_is_index, breadcrumbs, published, title or self.site.title)

    # --- pieces ---------------------------------------------------------------------------

    def teaser(self, index: int) -> Teaser:
        """The list view of the article at `index`."""
        return self.teasers[index]

    def _make_teaser(self, entry: SiteArticle) -> Teaser:
        """The list view of one article."""
        article = entry.article
        fields = (article.title, entry.url, article.kind, display_date(article.date),
                  article.date or "", self._page_label(entry), shorten(article.summary, TEASER_CHARS))
        return Teaser(*fields, key=repr(fields))

    def _page_label(self, entry: SiteArticle) -> str:
        """The label of the article's newspaper page ("" when it has none)."""
        return self.model.pages[entry.page].label if entry.page is not None else ""

    def _page_link(self, entry: SiteArticle) -> Link | None:
        """A link to the article's newspaper page."""
        if entry.page is None:
            return None
        page = self.model.pages[entry.page]
        return Link(page.label, page.url)

    def _district_links(self, entry: SiteArticle) -> tuple[Link, ...]:
        """Links to the article's districts."""
        groups = self.model.districts
        return tuple(Link(groups[i].name, groups[i].urls[0]) for i in entry.districts)

    def _bylines(self, entry: SiteArticle) -> tuple[Byline, ...]:
        """The byline, role by role, each person linked."""
        roles: dict[str, list[Link]] = {}
        for role, person in entry.people:
            group = self.model.people[person]
            roles.setdefault(role, []).append(Link(group.name, group.urls[0]))
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
        best = sorted((-score, abs(other - me), other) for other, score in scores.items())[:RELATED]
        return tuple(self.teasers[other] for _, _, other in best)

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
        """schema.org NewsArticle as a script body; <, > and & escaped so text cannot end the script."""
        article = entry.article
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "url": self.urls.absolute(entry.url),
            "inLanguage": self.site.language,
        }
        if article.subtitle:
            data["alternativeHeadline"] = article.subtitle
        if article.date:
            data["datePublished"] = article.date
        people = self.model.people
        if entry.people:
            data["author"] = [{"@type": "Person", "name": people[i].name}
                              for i in dict.fromkeys(i for _, i in entry.people)]
        if article.rubric:
            data["articleSection"] = article.rubric
        if article.districts:
            data["contentLocation"] = [{"@type": "Place", "name": d} for d in article.districts]
        if article.source:
            data["sourceOrganization"] = {"@type": "Organization", "name": article.source}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # no indent: json's fast C encoder
        text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        return Markup(text)

    # --- pages ----------------------------------------------------------------------------

    def article(self, output: Output) -> dict[str, Any]:
        """An article page."""
        entry = self.model.articles[output.ref]
        article = entry.article
        previous = following = None
        page_size = 0
        neighbours: tuple[int, ...] = ()
        if entry.page is not None:
            members = self.model.pages[entry.page].articles
            page_size = len(members)
            at = members.index(entry.index)
            neighbours = members[max(0, at - 1):at] + members[at + 1:at + 2]
            if at > 0:
                previous = self._article_link(members[at - 1])
            if at + 1 < len(members):
                following = self._article_link(members[at + 1])
        tags = tuple(Link(self.model.tags[i].name, self.model.tags[i].urls[0]) for i in entry.tags)
        rubric = None
        if entry.column is not None:
            column = self.model.columns[entry.column]
            rubric = Link(column.name, column.urls[0])
        view = ArticleView(
            article.title, article.kicker, article.subtitle, article.kind, rubric, article.section,
            display_date(article.date), article.date or "", self._bylines(entry), article.source,
            self._district_links(entry), tags, self._page_link(entry), article.position, page_size,
            previous, following, self.related(entry, neighbours), Body(article.paragraphs, article.content_hash),
            self.jsonld(entry))
        crumbs = (Link(view.page.label, view.page.url),) if view.page else ()
        description = shorten(article.summary, DESCRIPTION_CHARS)
        meta = self._meta(output, article.title, description, "", (*crumbs, Link(article.title, "")),
                          og_type="article", published=article.date or "")
        return self._base(output, meta, article=view)

    def _article_link(self, index: int) -> Link:
        """A link to the article at `index`, labelled with its title."""
        entry = self.model.articles[index]
        return Link(entry.article.title, entry.url)

    def news_page(self, output: Output) -> dict[str, Any]:
        """A newspaper page."""
        pages = self.model.pages
        page = pages[output.ref]
        view = NewsPageView(page.label, display_date(page.date), page.date or "",
                            tuple(self.teaser(i) for i in page.articles),
                            _page_nav(pages, output.ref - 1), _page_nav(pages, output.ref + 1))
        title = f"版面 {page.label}"
        description = f"{title}：" + "；".join(self.model.articles[i].article.title for i in page.articles)
        meta = self._meta(output, title, shorten(description, DESCRIPTION_CHARS), "", (Link(title, ""),))
        return self._base(output, meta, newspage=view)

    def listing(self, output: Output) -> dict[str, Any]:
        """One page of a tag's, district's, person's or column's articles."""
        section = output.kind
        group = self.model.groups(section)[output.ref]
        per_page = max(1, self.model.config.paging.articles_per_page)
        start = (output.number - 1) * per_page
        teasers = tuple(self.teaser(i) for i in group.articles[start:start + per_page])
        note = self._person_roles(output.ref) if section == "people" else ""
        view = ListingView(group.name, SECTION_NAMES[section], note, len(group.articles), teasers,
                           self.pager(group.urls, output.number))
        crumbs: tuple[Link, ...] = ()
        if section != "columns":
            crumbs = (Link(SECTION_NAMES[section], Urls.section_index(section)),)
        heading = group.name if output.number == 1 else f"{group.name}（第{output.number}页）"
        crumbs += (Link(group.name, "" if output.number == 1 else group.urls[0]),)
        if output.number > 1:
            crumbs += (Link(f"第{output.number}页", ""),)
        description = f"{SECTION_NAMES[section]}“{group.name}”的{len(group.articles)}篇文章"
        meta = self._meta(output, heading, description, section if section != "columns" else "", crumbs)
        return self._base(output, meta, listing=view)

    def _person_roles(self, person: int) -> str:
        """How a person is credited across their articles, e.g. '记者 5 · 摄影 1'."""
        counts: dict[str, int] = {}
        for index in self.model.people[person].articles:
            entry = self.model.articles[index]
            for role in dict.fromkeys(role for role, who in entry.people if who == person):
                counts[role] = counts.get(role, 0) + 1
        return " · ".join(f"{role} {n}" for role, n in counts.items())

    def letters_index(self, output: Output, section: str, name: str, groups: list) -> dict[str, Any]:
        """The tags or people index, A–Z by pinyin with letter headings and counts."""
        letters: dict[str, list[Entry]] = {}
        for group in groups:  # groups are sorted by slug already
            letter = group.slug[:1].upper() if group.slug[:1].isalpha() else "#"
            letters.setdefault(letter, []).append(
                Entry(group.name, group.slug, group.urls[0], len(group.articles), 0, ""))
        view = IndexView(name, f"共{len(groups)}个{name}，按拼音排序。",
                         tuple(LetterGroup(k, tuple(v)) for k, v in letters.items()), ())
        meta = self._meta(output, name, view.intro, section, (Link(name, ""),), nav_is_index=True)
        return self._base(output, meta, index=view)

    def tags_index(self, output: Output) -> dict[str, Any]:
        """All tags A–Z."""
        return self.letters_index(output, "tags", "标签", self.model.tags)

    def people_index(self, output: Output) -> dict[str, Any]:
        """All reporters, correspondents and photographers A–Z."""
        return self.letters_index(output, "people", "人物", self.model.people)

    def district_entries(self) -> tuple[Entry, ...]:
        """The 17 districts with counts and bar widths relative to the busiest."""
        most = max((len(g.articles) for g in self.model.districts), default=0) or 1
        return tuple(Entry(g.name, g.slug, g.urls[0], len(g.articles),
                           round(100 * len(g.articles) / most), "")
                     for g in self.model.districts)

    def districts_index(self, output: Output) -> dict[str, Any]:
        """The 17 districts with their counts and a bar chart of where stories come from."""
        entries = self.district_entries()
        placed = sum(1 for a in self.model.articles if a.districts)
        view = IndexView("地区", f"{len(self.model.articles)}篇文章中有{placed}篇标注了所涉及的区；"
                         "全市性报道不计入任何区。", (), entries)
        meta = self._meta(output, "地区", view.intro, "districts", (Link("地区", ""),), nav_is_index=True)
        return self._base(output, meta, index=view)

    def front(self, output: Output) -> dict[str, Any]:
        """The front page."""
        model = self.model
        latest = tuple(self.teaser(i) for i in range(min(len(model.articles),
                                                          model.config.paging.front_page_articles)))
        pages = tuple(PageSummary(p.label, p.url, display_date(p.date), len(p.articles),
                                  tuple(self._article_link(i) for i in p.articles[:FRONT_PAGE_HEADLINES]))
                      for p in model.pages[:FRONT_PAGES])
        popular = sorted(model.tags, key=lambda g: (-len(g.articles), g.slug))[:POPULAR_TAGS]
        tags = tuple(Entry(g.name, g.slug, g.urls[0], len(g.articles), 0, "") for g in popular)
        view = FrontView(latest, pages, self.district_entries(), tags, len(model.articles), len(model.pages))
        meta = self._meta(output, "", self.site.description, "home", (), nav_is_index=True)
        return self._base(output, meta, front=view)

    def search(self, output: Output) -> dict[str, Any]:
        """The search page (template by the search module's author); its filters come from
        the search files, which know the archive's taxonomies."""
        meta = self._meta(output, "检索", "检索文章标题、正文、人物、地区和标签，支持繁体字和拼音。", "search",
                          (Link("检索", ""),), nav_is_index=True)
        return self._base(output, meta)

    def not_found(self, output: Output) -> dict[str, Any]:
        """The not-found page; it is served at any depth, so its links are absolute."""
        meta = self._meta(output, "页面未找到", "", "", (Link("页面未找到", ""),))
        context = self._base(output, meta)
        context["root"] = self.site.base_url
        return context

    def feed(self, output: Output) -> dict[str, Any]:
        """The Atom feed: the newest dated articles only (see `feed_entries`)."""
        entries = self.feed_entries()
        updated = atom_time(self.model.newest_date) if self.model.newest_date else "1970-01-01T00:00:00Z"
        return {"site": self.site, "feed_url": self.urls.absolute(output.path),
                "home_url": self.site.base_url, "updated": updated, "entries": entries}

    def feed_entries(self) -> tuple[FeedEntry, ...]:
        """Entries for the newest dated articles.

        Atom requires a time on every entry and the archive never invents dates, so undated
        articles are left out of the feed; the feed's own `updated` is the newest article date
        (the Unix epoch, marking "unknown", when no article is dated).
        """
        entries = []
        for entry in self.model.articles:  # newest first; dated ones come before undated
            if len(entries) >= self.model.config.paging.feed_entries or entry.article.date is None:
                break
            article = entry.article
            entries.append(FeedEntry(
                article.title, self.urls.absolute(entry.url), atom_time(article.date),
                tuple(self.model.people[i].name for i in dict.fromkeys(i for _, i in entry.people)),
                article.summary, render_body(article.paragraphs), article.tags))
        return tuple(entries)

    def sitemap_entries(self, outputs: list[Output]) -> list[SitemapEntry]:
        """Every HTML page of the site with an absolute URL (search excluded)."""
        entries = []
        for output in outputs:
            if output.kind == "search":
                continue
            lastmod = ""
            if output.kind == "article":
                lastmod = self.model.articles[output.ref].article.date or ""
            entries.append(SitemapEntry(self.urls.absolute(output.path), lastmod))
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


# Output kind -> (template, view method).
VIEWS: dict[str, tuple[str, Callable[[Views, Output], dict[str, Any]]]] = {
    "front": ("front.html", Views.front),
    "article": ("article.html", Views.article),
    "page": ("page.html", Views.news_page),
    "tags": ("listing.html", Views.listing),
    "districts": ("listing.html", Views.listing),
    "people": ("listing.html", Views.listing),
    "columns": ("listing.html", Views.listing),
    "tags-index": ("letters.html", Views.tags_index),
    "people-index": ("letters.html", Views.people_index),
    "districts-index": ("districts.html", Views.districts_index),
    "search": ("search.html", Views.search),
    "feed": ("feed.xml", Views.feed),
    "sitemap": ("sitemap.xml", Views.sitemap),
    "sitemap-index": ("sitemap-index.xml", Views.sitemap_index),
    "robots": ("robots.txt", Views.robots),
    "not-found": ("404.html", Views.not_found),
}


def related_groups(model: SiteModel, entry: SiteArticle) -> list[tuple[Group, int]]:
    """The groups related articles are drawn from, with the weight of sharing each: the
    article's tags (2), districts (1) and column (1)."""
    groups = [(model.tags[i], 2) for i in entry.tags]
    groups += [(model.districts[i], 1) for i in entry.districts]
    if entry.column is not None:
        groups.append((model.columns[entry.column], 1))
    return groups


def related_window(group: Group, index: int) -> tuple[int, ...]:
    """The members of `group` nearest in time to the article at `index` (itself included):
    the related candidates it gives. Symmetric: b is in a's window if and only if a is in b's."""
    members = group.articles
    at = bisect.bisect_left(members, index)
    return members[max(0, at - RELATED_NEIGHBOURS): at + RELATED_NEIGHBOURS + 1]


def pages_showing(model: SiteModel, entry: SiteArticle) -> set[tuple[str, int, int]]:
    """The pages (as output kind, ref and number) that show anything of the article at `entry`
    other than through counts: its own page, the list pages it is on, its newspaper page and
    the article pages next to it there, the front page, and every article page that may list
    it as related (see related_window). The feed and the
    sitemap are looked at in every build anyway.

    Keep in step with the views: a view that starts showing an article elsewhere must be
    added here, or incremental builds would leave that page stale (tests/test_incremental.py
    compares them with full builds).
    """
    me = entry.index
    per_page = max(1, model.config.paging.articles_per_page)
    pages = {("article", me, 1), ("front", 0, 1)}
    memberships = [("tags", entry.tags), ("districts", entry.districts),
                   ("people", tuple(dict.fromkeys(person for _, person in entry.people))),
                   ("columns", () if entry.column is None else (entry.column,))]
    for section, indices in memberships:
        groups = model.groups(section)
        for i in indices:
            pages.add((section, i, bisect.bisect_left(groups[i].articles, me) // per_page + 1))
    for group, _ in related_groups(model, entry):
        pages.update(("article", other, 1) for other in related_window(group, me))
    if entry.page is not None:
        pages.add(("page", entry.page, 1))
        members = model.pages[entry.page].articles
        at = members.index(me)
        for other in members[max(0, at - 1): at + 2]:
            pages.add(("article", other, 1))
    return pages


def _page_nav(pages: list[NewsPage], at: int) -> Link | None:
    """A link to the newspaper page at `at` in list order, if there is one."""
    if 0 <= at < len(pages):
        return Link(pages[at].label, pages[at].url)
    return None


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in '…' when cut."""
    if len(text) <= limit:
        return text
    return text[:limit - 1].rstrip().rstrip("…") + "…"


def display_date(iso: str | None) -> str:
    """A date as Chinese readers write it: 2024年11月20日."""
    if not iso:
        return ""
    day = Date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def atom_time(iso: str) -> str:
    """An ISO date as an Atom timestamp at midnight Beijing time."""
    return f"{iso}T00:00:00+08:00"


def extra_outputs(model: SiteModel) -> list[Output]:
    """The feed, sitemap(s), robots.txt and 404.html."""
    extras = [Output("feed.xml", "feed", origin="the feed"),
              Output("robots.txt", "robots", origin="robots.txt"),
              Output("404.html", "not-found", origin="the not-found page")]
    pages = len(model.outputs()) - 1  # the search page is not in the sitemap
    if pages <= SITEMAP_URLS:
        return extras + [Output("sitemap.xml", "sitemap", origin="the sitemap")]
    count = -(-pages // SITEMAP_URLS)
    extras.append(Output("sitemap.xml", "sitemap-index", ref=count, origin="the sitemap index"))
    return extras + [Output(f"sitemap-{n}.xml", "sitemap", number=n, origin="the sitemap")
                     for n in range(1, count + 1)]
