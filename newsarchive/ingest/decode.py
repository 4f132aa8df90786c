"""Read a raw page file into normalised text, whatever its encoding and line ends."""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..errors import ArchiveError
from ..text.controls import describe, first_forbidden

_UTF8_BOM = b"\xef\xbb\xbf"
# Every space-like character a PDF extraction or an editor's tool may leave behind.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


def decode_page(data: bytes, path: Path) -> str:
    """Decode UTF-8 (with or without BOM) or GB18030; refuse anything else."""
    if data.startswith(_UTF8_BOM):
        return _strict(data[len(_UTF8_BOM):], "utf-8", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _strict(data, "gb18030", path)


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ArchiveError(
            f"cannot be decoded as UTF-8 or GB18030 (bad byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path, hint="save the page as UTF-8 or GB18030 text") from exc


class ControlCharacter(ValueError):
    """A page holds a character no article may carry (text.controls)."""

    def __init__(self, line: int, column: int, char: str) -> None:
        super().__init__(f"holds the control character {describe(char)} (column {column})")
        self.line = line


def normalise_text(text: str) -> str:
    """Unify line ends and spacing so every encoding and layout of a page gives the same text.

    CRLF/CR become LF; full-width and other spaces become one ASCII space; lines are
    stripped (paragraph indentation with U+3000 disappears); blank-line runs are kept,
    because their length carries meaning (3+ newlines mark a removed picture). A control
    character (text.controls) raises ControlCharacter: the page is not text, and no article may
    carry one.
    """
    text = _ZERO_WIDTH.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    forbidden = first_forbidden(text)
    if forbidden is not None:
        raise ControlCharacter(*forbidden)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def read_page(path: Path) -> str:
    """The page's normalised text; ArchiveError naming the file if it cannot be read as text."""
    return page_text(read_page_bytes(path), path)


def read_page_bytes(path: Path) -> bytes:
    """The bytes of the regular file `path`, never following a symbolic link (one put in place
    of the page after it was listed); ArchiveError naming the file if it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise ArchiveError(f"cannot read page: {exc.strerror}", path,
                           hint="ingest reads only regular files inside seeds/") from exc
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise ArchiveError("is not a regular file", path, hint="ingest reads only regular files inside seeds/")
        try:
            return fh.read()
        except OSError as exc:
            raise ArchiveError(f"cannot read page: {exc.strerror}", path) from exc


def page_text(data: bytes, path: Path) -> str:
    """The normalised text of a page file's bytes; ArchiveError naming the file (and the line
    of a control character) if they are not text."""
    try:
        return normalise_text(decode_page(data, path))
    except ControlCharacter as exc:
        raise ArchiveError(f"cannot be read as text: {exc}", path, exc.line,
                           hint="save the page as plain text, without control characters") from exc
