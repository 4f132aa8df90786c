"""Datelines (本报讯（记者 …）, 新华社北京11月26日电), bylines (□ 王某某, （张长利）), photo credits
(… 摄 / 摄影报道 / 新华社发) and reprint sources (转自《…》), in the forms the paper profile names.

The patterns are made from the profile once (`BylineForms.of(profile)`); the functions here
only read text with them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .profile import PaperProfile

_SENTENCE_END_BEFORE = "。！？!?…”’"
_NAME_SEPARATORS = re.compile(r"[\s、，,/]+")


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

    def __bool__(self) -> bool:
        return bool(self.reporters or self.correspondents or self.photographers)


@dataclass(frozen=True)
class Dateline:
    """A parsed dateline and the text after it."""

    lead: str
    byline: Byline
    rest: str
    agency: str | None = None     # 新华社北京…电: the story is the agency's (its `source`)
    known: bool = True            # False: it only looks like a dateline (an unknown form)


@dataclass(frozen=True)
class Credit:
    """A byline or credit: (field, name) pairs and what kind of credit it is.

    `verb`: None for a plain byline (□ 王某某, （张长利）, 本报记者 曲欣悦), "photo" (… 摄),
    "photo_story" (… 摄影报道), "text_and_photo" (… 文/摄) or "agency" (新华社发)."""

    names: tuple[tuple[str, str], ...]
    verb: str | None = None
    agency: str | None = None

    @property
    def photo_story(self) -> bool:
        return self.verb == "photo_story"

    @property
    def is_photo(self) -> bool:
        return self.verb in ("photo", "photo_story", "agency")

    def apply(self, byline: Byline) -> None:
        """Add the names to a byline: photo credits make photographers, 文/摄 both."""
        for role_field, name in self.names:
            if self.verb in ("photo", "photo_story"):
                byline.add("photographers", name)
            elif self.verb == "text_and_photo":
                byline.add(role_field if role_field != "photographers" else "reporters", name)
                byline.add("photographers", name)
            else:
                byline.add(role_field, name)


def _alternation(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@dataclass(frozen=True)
class BylineForms:
    """The profile's dateline, byline and credit forms as compiled patterns."""

    profile: PaperProfile
    dateline: re.Pattern[str]
    role_token: re.Pattern[str]
    role_anywhere: re.Pattern[str]
    photo_tail: re.Pattern[str]
    agency_tail: re.Pattern[str]
    source_tail: re.Pattern[str]
    end_byline_tail: re.Pattern[str]
    credit_line: re.Pattern[str]
    verbs: dict[str, str]
    tail_ends: tuple[str, ...]
    tail_chars: frozenset[str]     # last characters of credits, sources and parenthesised bylines
    line_openers: frozenset[str]   # what a credit line can open with besides a role word or name

    def may_be_credit_line(self, text: str) -> bool:
        """False when a line cannot be a credit, byline or source line: it neither opens with
        a mark or a parenthesis, nor ends like a credit, nor holds a role word."""
        return (text[0] in self.line_openers or text[-1] in self.tail_chars or text.endswith(self.tail_ends)
                or self.role_anywhere.search(text) is not None)

    def may_have_tail(self, text: str) -> bool:
        """False when text cannot end in a credit, source, byline or 下转 mark: it ends in
        neither one of their last characters nor a Han character (a name)."""
        last = text[-1]
        return last in self.tail_chars or "\u3400" <= last <= "\u9fff" or last >= "\U00020000"

    @classmethod
    def of(cls, p: PaperProfile) -> "BylineForms":
        agencies = _alternation(p.agencies) or "(?!)"
        roles = _alternation(p.roles)
        role = rf"(?:(?:{agencies})?(?:{roles}))"
        verbs = {**{v: "photo" for v in p.photo_verbs}, **{v: "photo_story" for v in p.photo_story_verbs},
                 **{v: "text_and_photo" for v in p.text_and_photo_verbs}}
        verb_alt = _alternation(verbs)
        agency_verbs = _alternation(p.agency_photo_verbs) or "(?!)"
        # a name is never the credit's closing word (张晶 摄影报道: 摄影报道 is no name)
        name = rf"(?!(?:{verb_alt})[）)]?$){p.name}"
        names = rf"{name}(?:[\s、]+{name})*"
        group = rf"(?:{role}\s*)?{names}(?:\s*{role}\s*{names})*"
        agency_lead = p.agency_dateline.replace("{agency}", f"(?P<agency>{agencies})")
        leads = "|".join([*(f"(?:{own.pattern})" for own in p.own_datelines), agency_lead])
        # what may stand before a credit: the line's start, a space, a sentence end, a mark,
        # or anything before a parenthesis (…活动（本报记者 张三 摄）)
        after = r"(?:^|(?<=[\s。！？!?…”’）)" + re.escape(p.author_marks) + r"])|(?=[（(]))"
        marks = f"[{re.escape(p.author_marks)}]" if p.author_marks else "(?!)"
        return cls(
            profile=p,
            # a known dateline, else what only looks like one
            dateline=re.compile(rf"^(?:(?P<known>(?P<open>【)?(?P<lead>{leads})(?(open)】)\s*"
                                r"(?:[（(](?P<credit>[^（）()]{0,80})[）)])?\s*)"
                                rf"|(?P<suspect>{p.suspect_dateline.pattern}))"),
            tail_chars=frozenset("》）)" + "".join(w[-1] for w in (*verbs, *p.agency_photo_verbs))),
            line_openers=frozenset(p.author_marks + "（("),
            role_token=re.compile(rf"^(?P<agency>{agencies})?(?P<role>{roles})(?P<rest>.*)$"),
            role_anywhere=re.compile(role),
            photo_tail=re.compile(rf"{after}(?P<open>[（(])?(?P<credit>{group})\s*(?P<verb>{verb_alt})(?(open)[）)])$"),
            agency_tail=re.compile(rf"{after}(?P<open>[（(])?(?P<agency>{agencies})\s*(?P<verb>{agency_verbs})"
                                   r"(?(open)[）)])$"),
            source_tail=re.compile(rf"\s*[（(]?(?:{_alternation(p.source_words)})\s*《(?P<source>[^《》]{{1,30}})》[）)]?$"),
            end_byline_tail=re.compile(rf"(?<=[{_SENTENCE_END_BEFORE}])\s*(?:[（(](?:(?P<agency>{agencies})|"
                                       rf"(?P<paren>{group}))[）)]|(?P<bare>{role}\s*{names}(?:\s*{role}\s*{names})*))$"),
            credit_line=re.compile(rf"^(?P<mark>{marks})?\s*(?P<open>[（(])?"
                                   rf"(?P<credit>(?:{role}\s*(?:{names})?\s*)+|{names})?\s*(?P<verb>{verb_alt})?"
                                   r"(?(open)[）)])$"),
            verbs=verbs,
            tail_ends=tuple(verbs) + tuple(p.agency_photo_verbs),
        )

    # -- datelines ---------------------------------------------------------------------------

    def parse_dateline(self, text: str) -> Dateline | None:
        """`本报讯（记者 陈曦 通讯员 赵娟）正文…` → its byline and the body text after it; also
        agency datelines (their `agency`) and, as `known=False`, what only looks like one."""
        m = self.dateline.match(text)
        return None if m is None else self.dateline_of(m, text)

    def dateline_of(self, m: re.Match[str], text: str) -> Dateline:
        """The Dateline of a match of the `dateline` pattern (or of a pattern holding it)."""
        if m.group("known") is None:
            return Dateline(m.group("suspect"), Byline(), text, known=False)
        byline = Byline()
        if m.group("credit"):
            self.parse_names(m.group("credit"), byline)
        return Dateline(m.group("lead"), byline, text[m.end("known"):].strip(), m.group("agency"))

    def parse_names(self, credit: str, byline: Byline) -> None:
        """Assign each name to the role word before it (`记者 A B 通讯员 C`, `记者A、B`)."""
        for role_field, name in self.credit_names(credit)[0]:
            byline.add(role_field, name)

    def credit_names(self, credit: str) -> tuple[tuple[tuple[str, str], ...], str | None]:
        """(field, name) pairs of a byline's or credit's text, each name under the role word
        before it (names before any role word: the profile's `unmarked_field`), and the agency
        named before a role word (新华社记者), if any."""
        pairs: dict[str, str] = {}
        role_field = self.profile.unmarked_field
        agency = None
        for token in _NAME_SEPARATORS.split(credit.strip()):
            m = self.role_token.match(token)
            if m:
                role_field = self.profile.roles[m.group("role")]
                agency = agency or m.group("agency")
                token = m.group("rest")
            if token and token not in pairs:
                pairs[token] = role_field
        return tuple((role_field, name) for name, role_field in pairs.items()), agency

    def plausible(self, names: tuple[tuple[str, str], ...]) -> bool:
        """False when a "name" is a word such as （待续） or （据新华社）."""
        return not any(name in self.profile.not_names or name.startswith("据")
                       or any(a in name for a in self.profile.agencies) for _, name in names)

    # -- credits and bylines -------------------------------------------------------------------

    def split_photo_credit(self, text: str) -> tuple[str, Credit | None]:
        """Take a trailing `本报记者 孙妍 摄`, `… 摄影报道`, `… 文/摄` or `新华社发` off a paragraph
        (or a whole credit line)."""
        if not text.rstrip("）)").endswith(self.tail_ends):
            return text, None       # the common case, decided without scanning the paragraph
        start = max(0, len(text) - 80)
        m = self.photo_tail.search(text, start)
        if m:
            before = text[:m.start()].rstrip()
            if (before and before[-1] not in "。！？!?…”’）)" + self.profile.author_marks
                    and not self.role_anywhere.search(m.group("credit"))):
                # "… 王芳 摄" after an unfinished sentence is prose, not a credit.
                return text, None
            names, agency = self.credit_names(m.group("credit"))
            return before, Credit(names, self.verbs[m.group("verb")], agency)
        m = self.agency_tail.search(text, start)
        if m:
            return text[:m.start()].rstrip(), Credit((), "agency", m.group("agency"))
        return text, None

    def split_source(self, text: str) -> tuple[str, str | None]:
        """Take a trailing `转自《中工网》` off a paragraph and return the source's name."""
        if not text.rstrip("）)").endswith("》"):
            return text, None
        m = self.source_tail.search(text, max(0, len(text) - 50))
        if not m:
            return text, None
        return text[:m.start()].rstrip(), m.group("source").strip()

    def split_end_byline(self, text: str) -> tuple[str, Credit | None]:
        """Take a byline off the end of a story's last sentence: `…八十件。（张长利）`,
        `…。（本报记者 曲欣悦 史宏宇）`, `…为顾问。本报记者齐连声`, `…。（新华社）`."""
        last = text[-1:]
        if not last or last not in "）)" and not "\u4e00" <= last <= "\u9fff":
            return text, None
        m = self.end_byline_tail.search(text, max(0, len(text) - 60))
        if not m:
            return text, None
        if m.group("agency"):
            return text[:m.start()].rstrip(), Credit((), None, m.group("agency"))
        names, agency = self.credit_names(m.group("paren") or m.group("bare"))
        if not names or not self.plausible(names):
            return text, None
        if m.group("bare") and not all(name[:1] in self.profile.surnames for _, name in names):
            return text, None       # …。记者昨天获 is a sentence a column break cut
        return text[:m.start()].rstrip(), Credit(names, None, agency)

    def parse_credit_line(self, text: str) -> Credit | None:
        """A whole line that is a byline or a credit: `本报记者 马超 摄影报道`, `□ 王某某`,
        `□本报记者 刘欣欣 文/摄`, `本报评论员`, `（本报记者 曲欣悦 孙震）`, `新华社发`."""
        m = self.credit_line.match(text) if len(text) <= 60 else None
        if m and (m.group("credit") or m.group("verb")):
            credit, verb = m.group("credit") or "", m.group("verb")
            names, agency = self.credit_names(credit)
            # Without a mark, parentheses or a verb, a line is a byline only when it is role
            # words with names set apart by spaces (本报记者 曲欣悦 孙震) or a role alone
            # (本报评论员): 记者手记 and 记者观察 are rubrics.
            bare_ok = self.role_anywhere.match(credit) and (not names or " " in credit.strip())
            if (verb or m.group("mark") or m.group("open") or bare_ok) and self.plausible(names):
                return Credit(names, self.verbs[verb] if verb else None, agency)
        rest, credit = self.split_photo_credit(text)
        if credit and not rest:
            return credit
        return None
