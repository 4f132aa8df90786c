"""Datelines (本报讯（记者 …）), photo credits (… 摄 / 摄影报道) and reprint sources (转自《…》)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002fa1f"
# A person's name as printed in credits: 2-4 Han characters, or a name with a middle dot.
_NAME = rf"[{_HAN}]{{2,4}}(?:·[{_HAN}]{{1,6}})?"

# Which role word puts a name into which field.
ROLES: dict[str, str] = {
    "本报实习记者": "reporters", "实习记者": "reporters", "见习记者": "reporters",
    "特约记者": "reporters", "首席记者": "reporters", "本报记者": "reporters", "记者": "reporters",
    "摄影记者": "photographers", "本报摄影记者": "photographers",
    "特约通讯员": "correspondents", "本报通讯员": "correspondents", "通讯员": "correspondents",
}
_ROLE_ALT = "|".join(sorted(map(re.escape, ROLES), key=len, reverse=True))

DATELINE = re.compile(
    r"^(?P<lead>本报讯|本报[" + _HAN + r"\d]{1,10}电|(?:新华社|中新社|人民日报|工人日报)[" + _HAN + r"\d]{0,16}电)"
    r"\s*(?:[（(](?P<credit>[^（）()]{0,80})[）)])?\s*")

_CREDIT_TAIL = re.compile(
    rf"(?:(?:^|\s)[（(]?|[（(])(?P<role>{_ROLE_ALT})?\s*(?P<names>{_NAME}(?:[\s、]{_NAME}){{0,3}})\s*"
    rf"(?P<verb>摄影报道|摄)[）)]?$")
_SOURCE_TAIL = re.compile(r"\s*[（(]?(?:转自|转载自|摘自|来源[:：]?)\s*《(?P<source>[^《》]{1,30})》[）)]?$")


@dataclass
class Byline:
    """Who made an article: names per role, in print order, without duplicates."""

    reporters: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)

    def add(self, role_field: str, name: str) -> None:
        """Add a name under a field unless it is already there."""
        names = getattr(self, role_field)
        if name and name not in names:
            names.append(name)


@dataclass(frozen=True)
class Dateline:
    """A parsed dateline and the text after it."""

    lead: str
    byline: Byline
    rest: str


def parse_dateline(text: str) -> Dateline | None:
    """Split `本报讯（记者 陈曦 通讯员 赵娟）正文…` into its byline and the body text after it."""
    m = DATELINE.match(text)
    if not m:
        return None
    byline = Byline()
    if m.group("credit"):
        _parse_credit(m.group("credit"), byline)
    return Dateline(m.group("lead"), byline, text[m.end():].strip())


def _parse_credit(credit: str, byline: Byline) -> None:
    """Assign each name to the role word before it (`记者 A B 通讯员 C`, `记者A、B`)."""
    role_field = "reporters"
    for token in re.split(r"[\s、，,/]+", credit.strip()):
        if not token:
            continue
        m = re.match(rf"^({_ROLE_ALT})(.*)$", token)
        if m:
            role_field = ROLES[m.group(1)]
            token = m.group(2)
        if token:
            byline.add(role_field, token)


def is_dateline(text: str) -> bool:
    """True when a block opens with a dateline such as 本报讯（…）."""
    return DATELINE.match(text) is not None and (text.startswith("本报讯") or "（" in text[:40] or "(" in text[:40])


@dataclass(frozen=True)
class Credit:
    """A photo credit: who took the picture, and whether it is a photo story (摄影报道)."""

    names: tuple[str, ...]
    photo_story: bool


def split_photo_credit(text: str) -> tuple[str, Credit | None]:
    """Take a trailing `本报记者 孙妍 摄` or `… 摄影报道` off a paragraph (or a whole credit line)."""
    if not text.rstrip("）)").endswith(("摄", "摄影报道")):
        return text, None       # the common case, decided without scanning the paragraph
    m = _CREDIT_TAIL.search(text, max(0, len(text) - 60))
    if not m:
        return text, None
    before = text[:m.start()].rstrip()
    if before and not m.group("role") and before[-1] not in "。！？…”）)":
        # "… 王芳 摄" after an unfinished sentence is prose, not a credit.
        return text, None
    names = tuple(n for n in re.split(r"[\s、]+", m.group("names")) if n)
    return before, Credit(names, m.group("verb") == "摄影报道")


def split_source(text: str) -> tuple[str, str | None]:
    """Take a trailing `转自《中工网》` off a paragraph and return the source's name."""
    if not text.rstrip("）)").endswith("》"):
        return text, None
    m = _SOURCE_TAIL.search(text, max(0, len(text) - 50))
    if not m:
        return text, None
    return text[:m.start()].rstrip(), m.group("source").strip()
