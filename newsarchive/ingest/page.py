"""Split one newspaper page's text into its articles, in printed order.

The page text is a sequence of blocks (non-empty lines) separated by blank lines; a run of
three or more newlines marks a picture that was removed. Each block is classified:

* sub-rubric  `>> 北京经验 <<`
* dateline    a block opening with `本报讯（…）` (starts an article body)
* credit      a credit line on its own, `本报记者 马超 摄影报道`, or a source line `转自《…》`
* short       headline-like: at most 50 characters, no sentence end inside (。；), not ending
              in a comma-like mark; may be a rubric, a headline line, or a paragraph fragment
* text        everything else: body paragraphs and fragments of them

Articles start at a run of 1-3 headline lines followed by a dateline, or, for stories without
a dateline (photo news, reprints), at a headline run followed by text when the run stands
after a clear break (page start, rubric, picture gap, a finished credit) or the story it opens
ends in a credit. Body fragments are rejoined until a paragraph ends with a sentence end
(。！？… and closing quotes after them), which repairs the PDF's column breaks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from .byline import Byline, Credit, is_dateline, parse_dateline, split_photo_credit, split_source
from .rubrics import RubricRules

MAX_HEADLINE_CHARS = 50
PICTURE_GAP = 3          # newlines before a block that mark a removed picture
_SUBRUBRIC = re.compile(r"^(?:>>|》》|≫)\s*(?P<name>.+?)\s*(?:<<|《《|≪)$")
_SENTENCE_END = "。！？!?…"
_CLOSERS = "”’」』）)》】\"'"


class Kind(Enum):
    """What a block of page text is."""

    SUBRUBRIC = "subrubric"
    DATELINE = "dateline"
    CREDIT = "credit"
    SHORT = "short"
    TEXT = "text"


@dataclass(frozen=True)
class Block:
    """One non-empty line of the page, with the blank-line gap before it."""

    text: str
    line: int           # 1-based line number in the page file
    gap: int            # newlines before it (1 = directly after the previous line)
    kind: Kind


@dataclass
class PageArticle:
    """An article as printed on the page, before districts, tags and slugs are added."""

    headline: list[str]
    line: int
    rubric: str | None = None
    section: str | None = None
    byline: Byline = field(default_factory=Byline)
    has_dateline: bool = False
    paragraphs: list[str] = field(default_factory=list)
    photo_story: bool = False
    source: str | None = None
    closed: bool = False      # a credit or source ended it: nothing more belongs to it


@dataclass
class PageSplit:
    """The articles of a page and what was noticed on the way (for the ingest log)."""

    articles: list[PageArticle]
    notes: list[str]


def paragraph_ends(text: str) -> bool:
    """True when text ends a paragraph: a sentence end, possibly inside closing quotes."""
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def classify(text: str) -> Kind:
    """Say what kind of block a line of page text is."""
    if _SUBRUBRIC.match(text):
        return Kind.SUBRUBRIC
    if is_dateline(text):
        return Kind.DATELINE
    rest, credit = split_photo_credit(text)
    if credit and not rest:
        return Kind.CREDIT
    rest, source = split_source(text)
    if source and not rest:
        return Kind.CREDIT
    if (len(text) <= MAX_HEADLINE_CHARS and not paragraph_ends(text) and balanced_brackets(text)
            and not re.search(r"[。；;]", text) and text[-1] not in "，,、：:；;（(“"):
        return Kind.SHORT
    return Kind.TEXT


def balanced_brackets(text: str) -> bool:
    """True when quotes and brackets open and close within the line, as they do in a headline."""
    return all(text.count(o) == text.count(c) for o, c in ("“”", "‘’", "《》", "（）", "()", "「」"))


def blocks_of(text: str) -> list[Block]:
    """The page's blocks in order, each with its line number and the gap before it."""
    blocks: list[Block] = []
    gap = 0
    for number, line in enumerate(text.split("\n"), start=1):
        gap += 1
        if line:
            blocks.append(Block(line, number, gap, classify(line)))
            gap = 0
    return blocks


class _Splitter:
    """Walks a page's blocks once, opening articles and filling their bodies."""

    def __init__(self, blocks: list[Block], rubrics: RubricRules) -> None:
        self.blocks = blocks
        self.rules = rubrics
        self.articles: list[PageArticle] = []
        self.notes: list[str] = []
        self.rubric_stack: list[str] = []     # page banner first, then an inner box rubric
        self.box_rubric: str | None = None     # a rubric with sub-rubrics under it
        self.section: str | None = None
        self.section_used = False
        self.boundary = True                  # a clear break before the current block

    @property
    def current(self) -> PageArticle | None:
        return self.articles[-1] if self.articles else None

    def run(self) -> PageSplit:
        i = 0
        while i < len(self.blocks):
            i = self.step(i)
        return PageSplit([a for a in self.articles if a.paragraphs or a.headline], self.notes)

    def step(self, i: int) -> int:
        """Handle the block at i (and any run it opens); return the next index."""
        block = self.blocks[i]
        if block.gap >= PICTURE_GAP:
            self.boundary = True
        if block.kind is Kind.SUBRUBRIC:
            self.open_section(_SUBRUBRIC.match(block.text).group("name"))
            return i + 1
        if block.kind is Kind.SHORT:
            return self.short_run(i)
        if block.kind is Kind.DATELINE:
            self.notes.append(f"{block.line}: dateline without a headline")
            self.open_article([], block.line, has_dateline=True)
            self.add_dateline(block)
            return i + 1
        if block.kind is Kind.CREDIT:
            self.add_credit_line(block)
            return i + 1
        self.add_text(block)
        return i + 1

    # -- headline runs -------------------------------------------------------------------

    def short_run(self, i: int) -> int:
        """Decide what a run of headline-like blocks is: rubric, headline group or body."""
        j = i
        while j < len(self.blocks) and self.blocks[j].kind is Kind.SHORT and (j == i or self.blocks[j].gap < PICTURE_GAP):
            j += 1
        run = self.blocks[i:j]
        after = self.blocks[j] if j < len(self.blocks) else None
        if after is None:
            if self.continues_paragraph():
                for block in run:
                    self.add_text(block)
            else:
                self.notes.append(f"{run[0].line}: rubric with no article after it: {' / '.join(b.text for b in run)}")
            return j
        if after.kind is Kind.SUBRUBRIC:
            self.open_box([b.text for b in run])
            return j
        if after.kind is Kind.DATELINE:
            self.open_headline_run(run)
            self.add_dateline(after)
            return j + 1
        if not self.continues_paragraph() and (self.current is None or self.boundary
                                               or self.ends_in_credit(j)):
            self.open_headline_run(run)
            return j
        for block in run:
            self.add_text(block)
        return j

    def continues_paragraph(self) -> bool:
        """True when the current article's last paragraph is unfinished (a column break)."""
        cur = self.current
        return bool(cur and not cur.closed and cur.paragraphs and not paragraph_ends(cur.paragraphs[-1]))

    def ends_in_credit(self, j: int) -> bool:
        """True when the text from block j on ends as a story of its own: a credit line of its
        own (a photo caption) or a reprint's source, before the next headline or dateline."""
        last = None
        for block in self.blocks[j:]:
            if block.kind in (Kind.SHORT, Kind.SUBRUBRIC, Kind.DATELINE):
                break
            last = block
            if block.kind is Kind.CREDIT:
                return True     # a photo caption's credit or a reprint's source line
        return last is not None and split_source(last.text)[1] is not None

    def open_headline_run(self, run: list[Block]) -> None:
        """Peel rubric lines off the top of a headline run and open the article."""
        lines = [b.text for b in run]
        rubrics: list[str] = []
        while len(lines) > 1 and (len(lines) > 3 or self.rules.is_rubric(lines[0], over_headline=True)):
            rubrics.append(lines.pop(0))
        for rubric in rubrics:
            self.set_rubric(rubric)
        self.open_article(lines, run[len(rubrics)].line)

    def open_article(self, headline: list[str], line: int, has_dateline: bool = False) -> None:
        """Start a new article under the rubric and section in force."""
        if self.box_rubric and self.section_used and self.section is None:
            # A story after a sub-rubric's story, with no sub-rubric of its own, is outside the box.
            self.close_box()
        rubric = self.box_rubric or (self.rubric_stack[-1] if self.rubric_stack else None)
        self.articles.append(PageArticle(headline, line, rubric, self.section, has_dateline=has_dateline))
        if self.section is not None:
            self.section, self.section_used = None, True
        self.boundary = False

    # -- rubrics ---------------------------------------------------------------------------

    def set_rubric(self, rubric: str) -> None:
        """A rubric over the following stories, until the next rubric."""
        self.close_box()
        if len(self.rubric_stack) >= 2:
            self.rubric_stack.pop()
        self.rubric_stack.append(rubric)
        self.boundary = True

    def open_box(self, lines: list[str]) -> None:
        """Rubric line(s) directly over a sub-rubric: a box of sub-rubric stories."""
        for extra in lines[:-1]:
            self.set_rubric(extra)
        self.close_box()
        self.box_rubric = lines[-1]
        self.boundary = True

    def close_box(self) -> None:
        self.box_rubric, self.section, self.section_used = None, None, False

    def open_section(self, name: str) -> None:
        """A sub-rubric: names the section of the next story."""
        self.section = name
        self.boundary = True
        if self.current:
            self.current.closed = True

    # -- bodies ----------------------------------------------------------------------------

    def add_dateline(self, block: Block) -> None:
        parsed = parse_dateline(block.text)
        art = self.current
        art.has_dateline = True
        art.byline = parsed.byline
        if parsed.rest:
            self.add_text(Block(parsed.rest, block.line, 1, Kind.TEXT))

    def add_credit_line(self, block: Block) -> None:
        _, credit = split_photo_credit(block.text)
        art = self.current
        if art is None:
            self.notes.append(f"{block.line}: credit line before any article: {block.text}")
            return
        if credit is None:      # a reprint's source on a line of its own
            art.source, art.closed, self.boundary = split_source(block.text)[1], True, True
            return
        # A credit on a line of its own under a story without dateline is a photo caption.
        self.apply_credit(art, credit, photo_story=credit.photo_story or not art.has_dateline)

    def apply_credit(self, art: PageArticle, credit: Credit, photo_story: bool) -> None:
        for name in credit.names:
            art.byline.add("photographers", name)
        art.photo_story = art.photo_story or (photo_story and not art.has_dateline)
        art.closed = True
        self.boundary = True

    def add_text(self, block: Block) -> None:
        """Append body text, rejoining a paragraph the column layout cut."""
        art = self.current
        if art is None or art.closed:
            self.notes.append(f"{block.line}: text outside any article skipped: {block.text[:30]}…")
            return
        text, credit = split_photo_credit(block.text)
        text, source = split_source(text)
        if self.continues_paragraph():
            art.paragraphs[-1] += text
        elif text:
            art.paragraphs.append(text)
        if source:
            art.source = source
            art.closed = True
            self.boundary = True
        if credit:
            self.apply_credit(art, credit, photo_story=credit.photo_story)


def split_page(text: str, rubrics: RubricRules) -> PageSplit:
    """The articles printed on one page, in order."""
    return _Splitter(blocks_of(text), rubrics).run()
