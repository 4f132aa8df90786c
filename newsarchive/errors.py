"""The one error type the archive reports to editors: `file:line: message`."""
from __future__ import annotations

import errno
import reprlib
from pathlib import Path

EXCERPT_CHARS = 40        # how much of a bad value a message quotes
MESSAGE_CHARS = 2_000     # no message is longer, whatever it quotes

_excerpt = reprlib.Repr()
_excerpt.maxstring = EXCERPT_CHARS
_excerpt.maxother = EXCERPT_CHARS
_excerpt.maxlist = _excerpt.maxtuple = _excerpt.maxdict = _excerpt.maxset = 4
_excerpt.maxlevel = 2


def excerpt(value: object) -> str:
    """A short, escaped quotation of a bad value for a message: at most EXCERPT_CHARS characters
    of a text (control characters written as escapes), a few items of a list. A value may be two
    gigabytes long, or hold a terminal's escape sequences."""
    if isinstance(value, str):
        if len(value) <= EXCERPT_CHARS:
            return repr(value)
        return f"{value[:EXCERPT_CHARS]!r}… ({len(value):,} characters)"
    return _excerpt.repr(value)


def printable(text: str) -> str:
    """`text` with every character that is not printable (newline, escape, BEL …) escaped, so
    that a hostile file name can neither break a message's line nor drive the terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


# What to do about the operating system's refusals an editor can meet.
_OS_HINTS = {
    errno.ENOSPC: "the disk is full: free some space and run again; nothing was half-written",
    errno.EDQUOT: "the disk quota is used up: free some space and run again; nothing was half-written",
    errno.EROFS: "the folder is on a read-only file system: build into a writable folder (--out DIR)",
    errno.EACCES: "no permission: check the folder's owner and permissions",
    errno.EPERM: "no permission: check the folder's owner and permissions",
    errno.EISDIR: "a folder stands where a file should be: move it away",
    errno.ENOTDIR: "a file stands where a folder should be: move it away",
    errno.ELOOP: "a symbolic link stands where a file should be: replace it with the file itself",
}


class ArchiveError(Exception):
    """A problem in the archive's input, naming the file (and line) and suggesting a fix."""

    def __init__(self, message: str, path: Path | str | None = None,
                 line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    @classmethod
    def from_os_error(cls, exc: OSError, fallback: Path | str | None = None) -> "ArchiveError":
        """The operating system's refusal as `file: message (what to do)`; `fallback` names the
        file when the error does not (a write to an open file reports none)."""
        path = exc.filename if exc.filename is not None else fallback
        message = exc.strerror or str(exc) or type(exc).__name__
        if exc.filename2 is not None:
            message += f" (renaming to {exc.filename2})"
        if isinstance(path, bytes):
            path = path.decode("utf-8", "backslashreplace")
        return cls(message, path, hint=_OS_HINTS.get(exc.errno or 0))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            shown = printable(str(self.path))
            where = f"{shown}:{self.line}: " if self.line else f"{shown}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        if len(text) > MESSAGE_CHARS:   # a last guard: messages quote values through excerpt()
            text = text[:MESSAGE_CHARS] + f"… ({len(text):,} characters in all)"
        return text
