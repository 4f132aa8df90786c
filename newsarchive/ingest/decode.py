"""Read a raw page file into normalised text, whatever its encoding and line ends."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import ArchiveError

_UTF8_BOM = b"\xef\xbb\xbf"
# Every space-like character a PDF extraction or an editor's tool may leave behind.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


def normalise_text(text: str) -> str:
    """Unify line ends and spacing so every encoding and layout of a page gives the same text.

    CRLF/CR become LF; full-width and other spaces become one ASCII space; lines are
    stripped (paragraph indentation with U+3000 disappears); blank-line runs are kept,
    because their length carries meaning (3+ newlines mark a removed picture).
    """
    text = _ZERO_WIDTH.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if _CONTROL.search(text):
        raise ValueError("holds control characters: not a text page")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def read_page(path: Path) -> str:
    """The page's normalised text; ArchiveError naming the file if it cannot be read as text."""
    return page_text(read_page_bytes(path), path)


def read_page_bytes(path: Path) -> bytes:
    """The page file's bytes; ArchiveError naming the file if it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ArchiveError(f"cannot read page: {exc.strerror}", path) from exc


def page_text(data: bytes, path: Path) -> str:
    """The normalised text of a page file's bytes; ArchiveError naming the file if they are not text."""
    try:
        return normalise_text(decode_page(data, path))
    except ValueError as exc:
        raise ArchiveError(f"cannot be read as text: {exc}", path) from exc
