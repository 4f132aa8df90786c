"""Which districts an article is about: district names, abbreviations and township names."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from ..errors import ArchiveError
from ..vocab import District

# Headlines about the whole city: with no district in them, the story is city-wide.
_CITY_LEVEL = re.compile(r"^(?:本市|全市|北京市|首都|市[^场民区])")
# How far before an ambiguous township name a district name counts as "named nearby".
_NEARBY = 12


@dataclass(frozen=True)
class _Place:
    """A name in the gazetteer and the district(s) it can belong to."""

    name: str
    districts: tuple[str, ...]


class Gazetteer:
    """Matches every district, alias and Beijing township name in one pass over a text."""

    def __init__(self, districts: tuple[District, ...], townships: list[tuple[str, str]]) -> None:
        self.order = {d.name: i for i, d in enumerate(districts)}
        places: dict[str, set[str]] = {}
        for d in districts:
            for name in (d.name, *d.aliases, *([d.short] if d.short_alone else [])):
                places.setdefault(name, set()).add(d.name)
        for name, district in townships:
            for variant in township_variants(name):
                places.setdefault(variant, set()).add(district)
        self.automaton = ahocorasick.Automaton()
        for name, owners in places.items():
            self.automaton.add_word(name, _Place(name, tuple(sorted(owners, key=self.order.get))))
        self.automaton.make_automaton()
        shorts = "|".join(re.escape(d.short) for d in districts)
        self.abbreviation = re.compile(rf"(?:{shorts})(?:[、和与及](?:{shorts}))+(?:[两三四五六七八九十]个?|等)?区")
        self.by_short = {d.short: d.name for d in districts}
        self.short_name = re.compile("|".join(sorted(map(re.escape, self.by_short), key=len, reverse=True)))

    def mentions(self, text: str) -> list[tuple[int, _Place]]:
        """Longest, non-overlapping place names in text with their start offsets."""
        found = [(end - len(place.name) + 1, place) for end, place in self.automaton.iter_long(text)]
        seen = {start for start, _ in found}
        for m in self.abbreviation.finditer(text):
            for s in self.short_name.finditer(text, m.start(), m.end()):
                if s.start() not in seen:
                    found.append((s.start(), _Place(s.group(), (self.by_short[s.group()],))))
        return found

    def districts_of(self, headline: str, body: str) -> list[str]:
        """The districts an article is about, in canonical order.

        A district counts when the headline names it (directly or by a township), when the
        body names it at least twice, or when it is the only district the body names. A
        city-level headline (本市…, 全市…) with no district in it makes the story city-wide.
        """
        head = self._count(headline, context=headline + body)
        if not head and _CITY_LEVEL.match(headline):
            return []
        body_counts = self._count(body, context=headline + body)
        chosen = set(head) | {d for d, n in body_counts.items() if n >= 2}
        if len(body_counts) == 1:
            chosen |= set(body_counts)
        return sorted(chosen, key=self.order.get)

    def _count(self, text: str, context: str) -> Counter[str]:
        """Mentions per district in text; ambiguous townships resolved from the nearby text."""
        counts: Counter[str] = Counter()
        unresolved: list[tuple[int, _Place]] = []
        for start, place in self.mentions(text):
            if len(place.districts) == 1:
                counts[place.districts[0]] += 1
            else:
                unresolved.append((start, place))
        in_context: dict[str, bool] = {}     # each district looked up in the story once, not per mention
        for start, place in unresolved:
            near = text[max(0, start - _NEARBY):start]
            named = [d for d in place.districts if d in near or d[:-1] in near]
            if not named:
                for d in place.districts:
                    if d not in in_context:
                        in_context[d] = d in context
                named = [d for d in place.districts if d in counts or in_context[d]]
            if len(named) == 1:
                counts[named[0]] += 1
        return counts


def township_variants(name: str) -> list[str]:
    """A township's name as printed: the register's name, and `X地区` for towns and townships,
    whose offices Beijing calls 地区办事处 (高碑店乡 is printed 高碑店地区)."""
    variants = [name]
    m = re.match(r"^(.{2,})(?:回族乡|满族乡|乡|镇)$", name)
    if m:
        variants.append(m.group(1) + "地区")
    return variants


TOWNSHIPS_FILE = "beijing_townships.tsv"


def load_townships(path: Path) -> list[tuple[str, str]]:
    """(township name, district) pairs from the register extract."""
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"cannot read the township register: {exc}", path) from exc
    for number, line in enumerate(lines, start=1):
        if line and not line.startswith("#") and not line.startswith("code\t"):
            fields = line.split("\t")
            if len(fields) != 3:
                raise ArchiveError(f"expected 3 tab-separated fields (code, name, district), found {len(fields)}",
                                   path, number)
            rows.append((fields[1], fields[2]))
    return rows
