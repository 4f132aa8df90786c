"""Split one newspaper page's text into its articles, in printed order, and say where the
split is doubtful.

The page text is a sequence of blocks (non-empty lines) separated by blank lines; a run of
three or more newlines (the profile's `picture_gap_lines`) marks a picture that was removed.
Each block is classified once:

* sub-rubric      `>> 北京经验 <<`
* dateline        a block opening with a dateline (本报讯（…）, 本报太原专电, 新华社北京…电,
                  【本市讯】), or with something that only looks like one (reported)
* credit          a byline or credit on a line of its own: `本报记者 马超 摄影报道`, `□ 王某某`,
                  `本报评论员`, `（本报记者 曲欣悦 孙震）`, `新华社发`; a source line `转自《…》`
* continuation    `（上接第1版）…` (text continued from another page) and `（下转第3版）`
* QR caption      `扫码观看视频《…》`: the caption of a picture that is not in the text
* short           headline-like: at most `headline_max_chars`, no sentence end inside (。；),
                  not ending in a comma-like mark; a rubric, a headline line or a fragment
* text            everything else: body paragraphs and fragments of them (picture captions
                  图为…, list items and Q&A paragraphs are text, never headlines)

Articles start at a run of 1-3 headline lines followed by a dateline or an author line, or,
for stories with neither (photo news, reprints, brief items), at a headline run after a clear
break (page start, rubric, picture gap, a finished credit or byline) or when the story it
opens ends in a credit or source. Body fragments are rejoined until a paragraph ends with a
sentence end (。！？… and closing quotes after them), which repairs the PDF's column breaks.

What the walk could only guess is kept as a `Note` with its line: `doubt` notes (a
headline-like line read as body text, an unknown dateline form, a credit read as a rubric,
text or a credit that belongs to no article, an article several times longer than the page's
others) are what `ingest --review` lists and `--strict` fails on.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from .byline import Byline, BylineForms, Credit, Dateline
from ..errors import ArchiveError
from .profile import PaperProfile

_SENTENCE_END = "。！？!?…"
_CLOSERS = "”’」』）)》】\"'"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002fa1f]")
_LETTER = re.compile(r"\w")
_EXCERPT = 24
_CLAUSE_MARK = re.compile(r"[，、：；,;:]")


class Kind(Enum):
    """What a block of page text is."""

    SUBRUBRIC = "subrubric"
    DATELINE = "dateline"
    CREDIT = "credit"
    SOURCE = "source"
    CONTINUED_FROM = "continued-from"
    CONTINUED_TO = "continued-to"
    QR = "qr"
    SHORT = "short"
    TEXT = "text"


SUBRUBRIC, DATELINE, CREDIT, SOURCE = Kind.SUBRUBRIC, Kind.DATELINE, Kind.CREDIT, Kind.SOURCE
CONTINUED_FROM, CONTINUED_TO, QR = Kind.CONTINUED_FROM, Kind.CONTINUED_TO, Kind.QR
SHORT, TEXT = Kind.SHORT, Kind.TEXT


class Block(NamedTuple):
    """One non-empty line of the page, with the blank-line gap before it and what it holds."""

    text: str
    line: int           # 1-based line number in the page file
    gap: int            # newlines before it (1 = directly after the previous line)
    kind: Kind
    parsed: object = None    # Dateline, Credit, a source name, a sub-rubric name, continued text
    role: str | None = None  # of a text block: "caption", "list", "qa" or "aside"


@dataclass
class PageArticle:
    """An article as printed on the page, before districts, tags and slugs are added."""

    headline: list[str]
    line: int
    rubric: str | None = None
    section: str | None = None
    byline: Byline = field(default_factory=Byline)
    has_dateline: bool = False
    opened_by: str = "headline"   # "dateline", "author" (a byline line) or "headline"
    paragraphs: list[str] = field(default_factory=list)
    photo_story: bool = False
    source: str | None = None
    closed: bool = False      # a credit, byline or source ended it: nothing more belongs to it
    continuation: bool = False  # text continued from another page: not an article
    parts: list[str] = field(default_factory=list, repr=False)     # the paragraph being read
    waiting: list[str] = field(default_factory=list, repr=False)   # captions met inside it
    # A byline glued to the last sentence read so far (…八十件。（张长利）) and the text it was
    # read from: it ends the story only if nothing continues the story after it.
    pending_end: tuple[Credit, str] | None = field(default=None, repr=False)

    def flush(self) -> None:
        """Finish the paragraph being read (and the captions met inside it)."""
        if self.parts:
            self.paragraphs.append("".join(self.parts))
            self.parts = []
        if self.waiting:
            self.paragraphs.extend(self.waiting)
            self.waiting = []


@dataclass(frozen=True)
class Note:
    """Something ingest noticed on a page: its line, what, and whether it is a doubt (listed
    by `ingest --review`, failing `--strict`) or only information. `article` is the index in
    `PageSplit.articles` of the article it concerns (None: none of them)."""

    line: int
    message: str
    doubt: bool = True
    article: int | None = None

    def __str__(self) -> str:
        return f"{self.line}: {self.message}"


@dataclass
class PageSplit:
    """The articles of a page and what was noticed on the way."""

    articles: list[PageArticle]
    notes: list[Note]
    newspaper: bool = True    # False: nothing on it reads as a newspaper story

    @property
    def doubts(self) -> list[Note]:
        return [n for n in self.notes if n.doubt]


@dataclass(frozen=True)
class PageRules:
    """The paper profile and the patterns made from it once, for every page of a run."""

    profile: PaperProfile
    forms: BylineForms
    openings: re.Pattern[str]     # what a paragraph's opening can mark, in one pattern

    @classmethod
    def of(cls, profile: PaperProfile) -> "PageRules":
        """Compile the profile's patterns into the forms a page is read with."""
        try:
            forms = BylineForms.of(profile)
            # One match per paragraph says what its opening marks, in this order of precedence.
            markers = {"continued_from": profile.continued_from, "dateline": forms.dateline, "qr": profile.qr_caption,
                       "caption": profile.picture_caption, "qa": profile.question_answer, "list": profile.list_item,
                       "aside": profile.aside}
            openings = re.compile("|".join(f"(?P<{name}>{pattern.pattern})" for name, pattern in markers.items()))
            return cls(profile, forms, openings)
        except re.error as exc:
            raise ArchiveError(f"the paper profile's patterns cannot be combined: {exc}", profile.path,
                               hint="named groups (?P<…>) are only for [rubrics] subrubric") from exc


def paragraph_ends(text: str) -> bool:
    """True when text ends a paragraph: a sentence end, possibly inside closing quotes."""
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


_BRACKET = re.compile(r"[“”‘’《》（）()「」]")
_PAIRS = ("“”", "‘’", "《》", "（）", "()", "「」")
_INNER_END = re.compile(r"[。；;]")
_INNER_END_OR_COMMA = re.compile(r"[。；;，]")


def balanced_brackets(text: str) -> bool:
    """True when quotes and brackets open and close within the line, as they do in a headline."""
    return not _BRACKET.search(text) or all(text.count(o) == text.count(c) for o, c in _PAIRS)


def headline_shaped(text: str, max_chars: int, commas: bool = True) -> bool:
    """True when a line could be a headline: short, no sentence end, brackets closed (and no
    full-width comma, unless the paper's headlines have them)."""
    return (len(text) <= max_chars and text[-1] not in "，,、：:；;（(“" and not paragraph_ends(text)
            and not (_INNER_END if commas else _INNER_END_OR_COMMA).search(text) and balanced_brackets(text))


def _excerpt(text: str) -> str:
    return f"「{text[:_EXCERPT]}{'…' if len(text) > _EXCERPT else ''}」"


def classify(text: str, line: int, gap: int, rules: PageRules) -> Block:
    """Say what kind of block a line of page text is (`line`, `gap`: where it stands)."""
    p, forms = rules.profile, rules.forms
    if text[0] in ">》≫":
        m = p.subrubric.match(text)
        if m:
            return Block(text, line, gap, SUBRUBRIC, m.group("name"))
    m = rules.openings.match(text)
    opening = m.lastgroup if m else None
    if opening is not None:
        if opening == "continued_from":
            return Block(text, line, gap, CONTINUED_FROM, text[m.end():].strip())
        if opening == "dateline":
            return Block(text, line, gap, DATELINE, forms.dateline_of(m, text))
        if opening == "qr":
            return Block(text, line, gap, QR)
    if len(text) <= 60 and forms.may_be_credit_line(text):
        credit = forms.parse_credit_line(text)
        if credit:
            return Block(text, line, gap, CREDIT, credit)
        rest, source = forms.split_source(text)
        if source and not rest:
            return Block(text, line, gap, SOURCE, source)
        m = p.continued_to.search(text)
        if m and not text[:m.start()].strip():
            return Block(text, line, gap, CONTINUED_TO)
    if opening is None and len(text) <= p.headline_max_chars and headline_shaped(
            text, p.headline_max_chars, p.headline_commas):
        return Block(text, line, gap, SHORT)
    return Block(text, line, gap, TEXT, role=opening)


def blocks_of(text: str, rules: PageRules) -> list[Block]:
    """The page's blocks in order, each with its line number and the gap before it."""
    blocks: list[Block] = []
    gap = 0
    for number, line in enumerate(text.split("\n"), start=1):
        gap += 1
        if line:
            blocks.append(classify(line, number, gap, rules))
            gap = 0
    return blocks


class _Splitter:
    """Walks a page's blocks once, opening articles, filling their bodies and taking notes."""

    def __init__(self, blocks: list[Block], rules: PageRules) -> None:
        self.blocks = blocks
        self.profile = rules.profile
        self.forms = rules.forms
        self.rules = rules.profile.rubrics
        self.articles: list[PageArticle] = []
        self.notes: list[tuple[int, str, bool, PageArticle | None]] = []
        self.rubric_stack: list[str] = []     # page banner first, then an inner box rubric
        self.brief_box = False                # the inner rubric is a box of brief items (简讯)
        self.box_rubric: str | None = None     # a rubric with sub-rubrics under it
        self.section: str | None = None
        self.section_used = False
        self.boundary = True                  # a clear break before the current block

    @property
    def current(self) -> PageArticle | None:
        return self.articles[-1] if self.articles else None

    def note(self, line: int, message: str, doubt: bool = True, article: PageArticle | None = None) -> None:
        self.notes.append((line, message, doubt, article))

    def run(self) -> PageSplit:
        i = 0
        while i < len(self.blocks):
            i = self.step(i)
        return self.finish()

    def step(self, i: int) -> int:
        """Handle the block at i (and any run it opens); return the next index."""
        block = self.blocks[i]
        if block.gap >= self.profile.picture_gap_lines:
            self.boundary = True
        kind = block.kind
        if kind is SUBRUBRIC:
            self.open_section(block.parsed)
        elif kind is SHORT:
            return self.short_run(i)
        elif kind is DATELINE:
            self.dateline_block(block)
        elif kind is CREDIT or kind is SOURCE:
            self.add_credit_line(block)
        elif kind is CONTINUED_FROM:
            self.open_continuation([], block)
        elif kind is CONTINUED_TO:
            self.end_article()
        elif kind is QR:
            self.qr_caption(block)
        else:
            self.add_text(block)
        return i + 1

    # -- headline runs -------------------------------------------------------------------

    def short_run(self, i: int) -> int:
        """Decide what a run of headline-like blocks is: rubric, headline group or body."""
        blocks, gap = self.blocks, self.profile.picture_gap_lines
        j = i + 1
        while j < len(blocks) and blocks[j].kind is SHORT and blocks[j].gap < gap:
            j += 1
        run = blocks[i:j]
        k = j
        while k < len(blocks) and blocks[k].kind is QR:
            k += 1
        after = blocks[k] if k < len(blocks) else None
        if after is None:
            if self.continues_paragraph():
                for block in run:
                    self.add_text(block)
            else:
                self.dangling(run)
            return j
        if after.kind is SUBRUBRIC:
            self.open_box(run)
            return j
        if after.kind is DATELINE:
            self.open_headline_run(run, "dateline")
            self.qr_captions(j, k)
            self.add_dateline(after)
            return k + 1
        if after.kind is CREDIT and self.author_line(k):
            self.open_headline_run(run, "author")
            self.qr_captions(j, k)
            self.apply_credit(self.current, after.parsed, after.parsed.is_photo, after.line)
            return k + 1
        if after.kind is CONTINUED_FROM:
            self.open_continuation([b.text for b in run], after)
            return k + 1
        if self.continues_paragraph():
            for block in run:
                self.add_text(block)
            return j
        rubric_over = len(run) > 1 and (len(run) > 3 or self.rules.is_rubric(run[0].text, over_headline=True))
        if (self.current is None or self.boundary or self.current.pending_end or rubric_over
                or self.ends_as_story(k)):
            self.open_headline_run(run, "headline")
            return j
        if after.kind is TEXT and (len(run) >= 2 or self.profile.story_lead.match(after.text)):
            # Nothing marks a story here, but two or three headline-like lines between
            # finished paragraphs, or one over text that opens like a story (近日，…), are a
            # headline far more often than text: open a story, and say so.
            self.open_headline_run(run, "headline")
            self.note(run[0].line, f"story without dateline or byline opened at the headline "
                      f"{_excerpt(' / '.join(b.text for b in run))}: check the split", article=self.current)
            return j
        glued_into = self.current
        for block in run:
            self.add_text(block)
        if not (_CLAUSE_MARK.search(run[0].text) or after.gap >= self.profile.picture_gap_lines):
            # A line with a comma inside, or cut at a picture, is a paragraph's first words
            # before a column break; a line without is a headline as often as not.
            self.note(run[0].line, f"headline-like line read as body text: {_excerpt(run[0].text)} (if a "
                      "story without dateline starts here, it was glued to the one above)", article=glued_into)
        return j

    def author_line(self, k: int) -> bool:
        """True when the credit block at k is an author line: a byline under a headline with
        the story's text (or its dateline) right after it. A photo credit followed by another
        headline ends a photo story instead (its short caption was read as a headline line)."""
        nxt = self.blocks[k + 1] if k + 1 < len(self.blocks) else None
        if nxt is None:
            return False
        if self.blocks[k].parsed.is_photo:
            return nxt.kind is TEXT or nxt.kind is DATELINE
        return nxt.kind is TEXT or nxt.kind is DATELINE or nxt.kind is SHORT

    def continues_paragraph(self) -> bool:
        """True when the current article's last paragraph is unfinished (a column break)."""
        cur = self.current
        return bool(cur and not cur.closed and cur.parts and not cur.pending_end)

    def ends_as_story(self, j: int) -> bool:
        """True when the text from block j on ends as a story of its own: a credit or byline on
        a line of its own, a reprint's source, a photo-news credit, or a continuation to another
        page, before the next headline or dateline."""
        last = None
        blocks = self.blocks
        for n in range(j, len(blocks)):     # not blocks[j:]: that copies the rest of the page
            block = blocks[n]
            kind = block.kind
            if kind is SHORT or kind is SUBRUBRIC or kind is DATELINE or kind is CONTINUED_FROM:
                break
            if kind is CREDIT or kind is SOURCE or kind is CONTINUED_TO:
                return True
            if kind is TEXT:
                last = block
        if last is None:
            return False
        if self.forms.split_source(last.text)[1] is not None or self.profile.continued_to.search(last.text):
            return True
        # a photo-news credit glued to the last paragraph (… 摄影报道, … 新华社发)
        credit = self.forms.split_photo_credit(last.text)[1]
        return credit is not None and (credit.photo_story or credit.verb == "agency")

    def open_headline_run(self, run: list[Block], opened_by: str) -> None:
        """Peel rubric lines off the top of a headline run and open the article."""
        lines = [b.text for b in run]
        rubrics = 0
        while len(lines) > 1 and (len(lines) > 3 or self.rules.is_rubric(lines[0], over_headline=True)):
            self.set_rubric(lines.pop(0), run[rubrics].line)
            rubrics += 1
        self.open_article(lines, run[rubrics].line, opened_by)
        for block in run[rubrics:]:
            if self.profile.suspect_credit.search(block.text):
                self.note(block.line, f"looks like a credit but was read as a headline: {_excerpt(block.text)}",
                          article=self.current)

    def open_article(self, headline: list[str], line: int, opened_by: str) -> None:
        """Start a new article under the rubric and section in force."""
        if self.current:
            self.settle(self.current)
        if self.box_rubric and self.section_used and self.section is None:
            # A story after a sub-rubric's story, with no sub-rubric of its own, is outside the box.
            self.close_box()
        if self.brief_box and opened_by != "headline":
            # A box of brief items ends at the first story with a dateline or byline.
            self.rubric_stack.pop()
            self.brief_box = False
        rubric = self.box_rubric or (self.rubric_stack[-1] if self.rubric_stack else None)
        self.articles.append(PageArticle(headline, line, rubric, self.section, opened_by=opened_by,
                                         has_dateline=opened_by == "dateline"))
        if self.section is not None:
            self.section, self.section_used = None, True
        self.boundary = False

    def open_continuation(self, headline: list[str], block: Block) -> None:
        """`（上接第1版）`: text continued from another page, read but not an article."""
        if self.current:
            self.settle(self.current)
        self.articles.append(PageArticle(headline, block.line, continuation=True))
        self.boundary = False
        if block.parsed:
            self.add_text(Block(block.parsed, block.line, 1, TEXT))

    def dangling(self, run: list[Block]) -> None:
        """Headline-like lines with nothing after them: a rubric at the page's end, or a credit
        that was not understood."""
        for block in run:
            if self.profile.suspect_credit.search(block.text):
                self.note(block.line, f"looks like a credit but was read as a rubric (it has no article "
                          f"after it): {_excerpt(block.text)}", article=self.current)
            else:
                self.note(block.line, f"rubric with no article after it: {block.text}", doubt=False)

    # -- rubrics ---------------------------------------------------------------------------

    def set_rubric(self, rubric: str, line: int) -> None:
        """A rubric over the following stories, until the next rubric."""
        if self.profile.suspect_credit.search(rubric):
            self.note(line, f"looks like a credit but was read as a rubric: {_excerpt(rubric)}")
        self.close_box()
        if self.brief_box or len(self.rubric_stack) >= 2:
            self.rubric_stack.pop()
        self.rubric_stack.append(rubric)
        self.brief_box = rubric in self.rules.brief_boxes
        self.boundary = True

    def open_box(self, run: list[Block]) -> None:
        """Rubric line(s) directly over a sub-rubric: a box of sub-rubric stories."""
        for extra in run[:-1]:
            self.set_rubric(extra.text, extra.line)
        if self.profile.suspect_credit.search(run[-1].text):
            self.note(run[-1].line, f"looks like a credit but was read as a rubric: {_excerpt(run[-1].text)}")
        self.close_box()
        self.box_rubric = run[-1].text
        self.boundary = True

    def close_box(self) -> None:
        self.box_rubric, self.section, self.section_used = None, None, False

    def open_section(self, name: str) -> None:
        """A sub-rubric: names the section of the next story."""
        self.section = name
        self.boundary = True
        if self.current:
            self.settle(self.current)
            self.current.closed = True

    # -- bodies ----------------------------------------------------------------------------

    def dateline_block(self, block: Block) -> None:
        """A dateline not under a headline run: under an author line it belongs to that story;
        anywhere else it opens an article without a headline."""
        cur = self.current
        if (cur and not cur.closed and not cur.continuation and cur.opened_by == "author"
                and not cur.paragraphs and not cur.parts):
            cur.opened_by, cur.has_dateline = "dateline", True
        else:
            self.note(block.line, f"dateline without a headline: {_excerpt(block.text)}")
            self.open_article([], block.line, "dateline")
        self.add_dateline(block)

    def add_dateline(self, block: Block) -> None:
        dateline: Dateline = block.parsed
        art = self.current
        if not dateline.known:
            self.note(block.line, f"unknown dateline form {_excerpt(dateline.lead)} (kept in the body; add "
                      "the form to [datelines] own in the paper profile)", article=art)
            self.add_text(Block(block.text, block.line, 1, TEXT))
            return
        for role_field in ("reporters", "correspondents", "photographers"):
            for name in getattr(dateline.byline, role_field):
                art.byline.add(role_field, name)
        if dateline.agency and not art.source:
            art.source = dateline.agency
        if dateline.rest:
            self.add_text(Block(dateline.rest, block.line, 1, TEXT))

    def add_credit_line(self, block: Block) -> None:
        """A credit, byline or source on a line of its own ends the story above it."""
        art = self.current
        if art is None:
            self.note(block.line, f"credit or byline before any article, not attached: {_excerpt(block.text)}")
            return
        self.settle(art)
        if block.kind is SOURCE:     # a reprint's source on a line of its own
            art.source = block.parsed
        else:
            credit: Credit = block.parsed
            # A photo credit on a line of its own under a story without dateline or byline
            # is a photo caption's.
            self.apply_credit(art, credit, credit.photo_story or credit.is_photo and art.opened_by == "headline",
                              block.line)
        self.end_article()

    def apply_credit(self, art: PageArticle, credit: Credit, photo_story: bool, line: int) -> None:
        credit.apply(art.byline)
        if credit.agency and not art.source and art.opened_by == "headline":
            art.source = credit.agency     # an agency's photo news (新华社发, 新华社记者 … 摄)
        elif credit.verb == "agency":
            self.note(line, f"agency picture credit kept out of the body (the picture is not in the text): "
                      f"{credit.agency}", doubt=False, article=art)
        art.photo_story = art.photo_story or (photo_story and not art.has_dateline)

    def end_article(self) -> None:
        """Nothing more belongs to the current article (a credit, byline, source or 下转)."""
        if self.current:
            self.settle(self.current)
            self.current.closed = True
        self.boundary = True

    def settle(self, art: PageArticle) -> None:
        """The story ends here: a byline glued to its last sentence is its end byline."""
        if art.pending_end:
            credit, _ = art.pending_end
            art.pending_end = None
            credit.apply(art.byline)
            if credit.agency and not art.source:
                art.source = credit.agency
            art.flush()
            art.closed = True

    def qr_caption(self, block: Block) -> None:
        self.note(block.line, f"QR code caption kept out of the body: {block.text}", doubt=False,
                  article=self.current)
        self.boundary = True

    def qr_captions(self, start: int, end: int) -> None:
        for block in self.blocks[start:end]:
            self.qr_caption(block)
        self.boundary = False

    def add_text(self, block: Block) -> None:
        """Append body text, rejoining a paragraph the column layout cut, and take credits,
        sources, end bylines and 下转 marks off its end."""
        art = self.current
        if art is None:
            self.note(block.line, f"text before the first article, left out: {_excerpt(block.text)}")
            return
        caption = block.role == "caption"
        if art.pending_end:
            if caption:
                self.settle(art)
            else:       # the story goes on: what looked like its end byline is its text
                art.parts.append(art.pending_end[1])
                art.pending_end = None
        if art.closed and not caption:
            self.note(block.line, f"text after the end of an article (its credit, byline or source), "
                      f"left out: {_excerpt(block.text)}", article=art)
            return
        forms = self.forms
        text = block.text
        if not forms.may_have_tail(text):       # most paragraphs: they end in 。
            self.append(art, text, block)
            return
        to_page = self.profile.continued_to.search(text) if text[-1] in "）)" else None
        if to_page:
            text = text[:to_page.start()].rstrip()
        text, credit = forms.split_photo_credit(text)
        source = end = None
        if credit is None:
            text, source = forms.split_source(text)
            if source is None and not to_page:
                text, end = forms.split_end_byline(text)
        if end:
            art.pending_end = (end, block.text[len(text):].strip())
        self.append(art, text, block, hold=end is not None)
        if source:
            art.source = source
            self.end_article()
        if credit:
            # A picture credit glued to the one paragraph of a story without dateline or
            # byline: photo news.
            alone = art.opened_by == "headline" and len(art.paragraphs) + len(art.parts) <= 1
            self.apply_credit(art, credit, credit.photo_story or credit.is_photo and alone, block.line)
            if caption and len(art.paragraphs) > 1:
                self.boundary = True    # a picture inside the story: the story may go on
            else:
                self.end_article()
        if to_page:
            self.end_article()

    def append(self, art: PageArticle, text: str, block: Block, hold: bool = False) -> None:
        """Add a piece of body text: it continues an unfinished paragraph (a column break)
        unless it is a caption, a Q&A paragraph, or a list item after a colon. `hold` keeps
        the paragraph open although it ends (a possible end byline was taken off it)."""
        if not text:
            return
        role = block.role
        if art.parts:
            if role == "caption":
                art.waiting.append(text)    # a picture inside a cut paragraph: after it
                return
            if role == "qa" or role == "list" and art.parts[-1][-1] in "：:；;":
                art.flush()
        elif art.closed:                    # a caption under a finished story
            art.paragraphs.append(text)
            return
        art.parts.append(text)
        if hold:
            return
        if (paragraph_ends(text) or role == "aside"
                or role == "list" and headline_shaped(text, self.profile.headline_max_chars)):
            art.flush()       # a list item set as a sub-heading, or a line in parentheses, is a paragraph

    # -- the page as a whole -----------------------------------------------------------------

    def finish(self) -> PageSplit:
        """Close every article, leave out what is not one, and check the page as a whole."""
        kept: list[PageArticle] = []
        for art in self.articles:
            self.settle(art)
            art.flush()
            if art.continuation:
                self.note(art.line, f"text continued from another page, not an article: left out "
                          f"{len(art.paragraphs)} paragraph(s) {_excerpt(''.join(art.paragraphs))}", doubt=False)
            elif not art.paragraphs and art.photo_story and len(art.headline) >= 2:
                art.paragraphs.append(art.headline.pop())     # a photo's short caption
                kept.append(art)
            elif not art.paragraphs:
                if art.headline:
                    self.note(art.line, f"headline with no text under it, left out: "
                              f"{_excerpt(' / '.join(art.headline))}")
            else:
                kept.append(art)
        newspaper = any(self.newspaper_story(a) for a in kept)
        if newspaper:
            self.check_lengths(kept)
        index = {id(a): n for n, a in enumerate(kept)}
        notes = [Note(line, message, doubt, index.get(id(art)) if art is not None else None)
                 for line, message, doubt, art in self.notes]
        notes.sort(key=lambda n: n.line)
        return PageSplit(kept, notes, newspaper)

    def newspaper_story(self, art: PageArticle) -> bool:
        """True when an article reads as a newspaper story: a dateline, byline, credit or
        source, or a headline with Han characters over a body mostly of Han characters."""
        if art.has_dateline or art.byline or art.source or art.photo_story:
            return True
        if not any(_HAN.search(line) for line in art.headline):
            return False
        body = "".join(art.paragraphs)
        letters = len(_LETTER.findall(body))
        return letters > 0 and len(_HAN.findall(body)) >= self.profile.min_body_han_share * letters

    def check_lengths(self, articles: list[PageArticle]) -> None:
        """Report an article several times longer than the page's others."""
        if len(articles) < 2:
            return
        lengths = [sum(map(len, a.paragraphs)) for a in articles]
        ordered = sorted(lengths)
        ratio, floor = self.profile.long_article_ratio, self.profile.long_article_min_chars
        for art, length in zip(articles, lengths):
            if length < floor:
                continue
            others = _median_without(ordered, length)
            if others and length > ratio * others:
                self.note(art.line, f"article is {length / others:.0f} times as long as the page's others "
                          f"({length} characters): two stories may have been read as one", article=art)


def _median_without(ordered: list[int], value: int) -> float:
    """The median of a sorted list with one occurrence of value taken out."""
    at = bisect_left(ordered, value)
    n = len(ordered) - 1

    def item(k: int) -> int:
        return ordered[k] if k < at else ordered[k + 1]

    return item(n // 2) if n % 2 else (item(n // 2 - 1) + item(n // 2)) / 2


def split_page(text: str, rules: PageRules) -> PageSplit:
    """The articles printed on one page, in order, and the notes on it."""
    return _Splitter(blocks_of(text, rules), rules).run()
