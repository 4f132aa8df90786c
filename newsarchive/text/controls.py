"""Characters no page, article or published file may carry.

Control characters other than tab and newline (C0, DEL and C1), the Unicode line and paragraph
separators (U+2028, U+2029: invisible line breaks that make one-line fields multi-line and that
old JavaScript reads as line ends) and the two noncharacters U+FFFE and U+FFFF. XML 1.0 forbids
most of them outright, HTML treats all of them as parse errors, and none is ever meant in a
newspaper's text. Tab is allowed: it is ordinary white space everywhere. Carriage returns are
made newlines before the check (CRLF files are fine).

Ingest refuses a page holding one and the build refuses an article holding one, each naming
the line, so that no output can carry them.
"""
from __future__ import annotations

import re
import unicodedata

FORBIDDEN_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")

_NAMES = {"\x00": "NUL", "\x07": "BEL", "\x08": "BACKSPACE", "\x0b": "VERTICAL TAB", "\x0c": "FORM FEED",
          "\r": "CARRIAGE RETURN", "\x1b": "ESC", "\x7f": "DEL", "\x85": "NEXT LINE"}


def describe(char: str) -> str:
    """`U+0007 (BEL)`: how a message names a forbidden character."""
    name = _NAMES.get(char) or unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def first_forbidden(text: str) -> tuple[int, int, str] | None:
    """(line, column, character) of the first forbidden character in `text`, both from 1; None
    when there is none."""
    match = FORBIDDEN_RE.search(text)
    if match is None:
        return None
    start = match.start()
    line_start = text.rfind("\n", 0, start) + 1
    return text.count("\n", 0, start) + 1, start - line_start + 1, match.group()
