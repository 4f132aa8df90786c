"""Tags from the controlled vocabulary (data/tags.toml), matched in one pass per text."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

import ahocorasick

from ..vocab import Tag

BODY_MENTIONS = 2   # a topic named in this many body sentences is what the story is about
_SENTENCE_END = re.compile(r"[。！？!?\n]")


class TagMatcher:
    """Finds vocabulary terms and aliases in headlines and bodies."""

    def __init__(self, tags: tuple[Tag, ...]) -> None:
        self.order = {t.term: i for i, t in enumerate(tags)}
        self.automaton = ahocorasick.Automaton()
        for tag in tags:
            for word in (tag.term, *tag.aliases):
                self.automaton.add_word(word, (tag.term, False))
            for word in tag.title_only:
                self.automaton.add_word(word, (tag.term, True))
        self.automaton.make_automaton()

    def _count(self, text: str, in_headline: bool) -> Counter[str]:
        counts: Counter[str] = Counter()
        for _, (term, title_only) in self.automaton.iter_long(text):
            if in_headline or not title_only:
                counts[term] += 1
        return counts

    def tags_of(self, headline: str, body: str) -> list[str]:
        """Terms named in the headline group, or in at least two sentences of the body (a list
        such as 劳动竞赛、岗位练兵 in one sentence is one passing mention), in vocabulary order."""
        chosen = set(self._count(headline, True))
        ends = [m.end() for m in _SENTENCE_END.finditer(body)]
        seen: set[tuple[str, int]] = set()     # (term, sentence number)
        for end, (term, title_only) in self.automaton.iter_long(body):
            if not title_only:
                seen.add((term, bisect_left(ends, end)))
        per_term = Counter(term for term, _ in seen)
        chosen |= {t for t, n in per_term.items() if n >= BODY_MENTIONS}
        return sorted(chosen, key=self.order.get)

