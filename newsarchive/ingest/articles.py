"""From a printed article to the fields of its content file: headline roles, places, topics."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .districts import Gazetteer
from .markdown_out import IngestedArticle
from .page import PageArticle
from .profile import HeadlineRule
from ..content.pages import PageMeta
from .tags import TagMatcher

SHORTEST_IS_TITLE = HeadlineRule("shortest-is-title", re.compile(r"(?!)"))


@dataclass(frozen=True)
class Headline:
    """The headline group: kicker (引题), title (主题), subtitle (副题)."""

    title: str
    kicker: str | None = None
    subtitle: str | None = None


def split_headline(lines: list[str], rule: HeadlineRule = SHORTEST_IS_TITLE) -> Headline:
    """Which printed line is kicker, title and subtitle, by the paper profile's rule.

    The text does not mark the roles. "shortest-is-title" follows this paper's typography: the
    main title is set largest and is the shorter line of a two-line group, so two lines are
    kicker + title when the second is shorter, otherwise title + subtitle. "first-is-title":
    two lines are title + subtitle. Under both, three lines are kicker, title, subtitle, and a
    place line over a title (延庆区, the profile's `place_kicker`) is a kicker.
    """
    if not lines:
        return Headline("（无标题）")
    if len(lines) == 1:
        return Headline(lines[0])
    if len(lines) == 2:
        first, second = lines
        if rule.place_kicker.match(first) or rule.roles == "shortest-is-title" and len(second) < len(first):
            return Headline(second, kicker=first)
        return Headline(first, subtitle=second)
    return Headline(lines[1], kicker=lines[0], subtitle=" ".join(lines[2:]))


@dataclass(frozen=True)
class Classifiers:
    """The one-pass matchers ingest uses for every article."""

    gazetteer: Gazetteer
    tags: TagMatcher
    headline: HeadlineRule = SHORTEST_IS_TITLE


def assemble(printed: PageArticle, page: str, position: int, meta: PageMeta,
             classifiers: Classifiers) -> IngestedArticle:
    """Build the content-file fields of one printed article (slug is assigned later)."""
    headline = split_headline(printed.headline, classifiers.headline)
    headline_text = " ".join(printed.headline)
    body_text = "\n".join(printed.paragraphs)
    return IngestedArticle(
        title=headline.title,
        kicker=headline.kicker,
        subtitle=headline.subtitle,
        rubric=printed.rubric,
        section=printed.section,
        kind="photo" if printed.photo_story else "news",
        reporters=list(printed.byline.reporters),
        correspondents=list(printed.byline.correspondents),
        photographers=list(printed.byline.photographers),
        source=printed.source,
        districts=classifiers.gazetteer.districts_of(headline_text, body_text),
        tags=classifiers.tags.tags_of(headline_text, body_text),
        page=page,
        position=position,
        paragraphs=list(printed.paragraphs),
        date=meta.date,
    )
