"""The one error type the archive reports to editors: `file:line: message`."""
from __future__ import annotations

from pathlib import Path


class ArchiveError(Exception):
    """A problem in the archive's input, naming the file (and line) and suggesting a fix."""

    def __init__(self, message: str, path: Path | str | None = None,
                 line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


EXCERPT_CHARS = 40


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """A short, escaped quotation of a bad value for an error message: never the whole of a
    huge value, never a control character."""
    text = value if isinstance(value, str) else repr(value)
    shown = repr(text[:limit]) if isinstance(value, str) else text[:limit]
    return shown + ("…" if len(text) > limit else "")
