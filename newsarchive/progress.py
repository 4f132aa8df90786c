"""Progress of long steps as users expect it: a live bar with rate and time left on a terminal
(tqdm), and in a log or CI a plain line every few seconds (not one per hundred pages)."""
from __future__ import annotations

import sys
import time
from typing import TextIO

LOG_EVERY = 5.0          # seconds between progress lines when the output is not a terminal
MIN_TOTAL = 500          # steps smaller than this finish too fast to need progress


class Progress:
    """Reports `done` of `total` units of a named step; use as a context manager."""

    def __init__(self, name: str, total: int, unit: str = "", enabled: bool = True,
                 stream: TextIO | None = None) -> None:
        self.name = name
        self.total = total
        self.unit = unit
        self.stream = stream or sys.stderr
        self.enabled = enabled and total >= MIN_TOTAL
        self.started = self.last = time.perf_counter()
        self.done = 0
        self.bar = None
        if self.enabled and _is_terminal(self.stream):
            from tqdm import tqdm
            self.bar = tqdm(total=total, desc=name, unit=f" {unit}" if unit else "it", file=self.stream,
                            leave=False, dynamic_ncols=True, mininterval=0.2)

    def update(self, done: int) -> None:
        """`done` units are finished (a running total)."""
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(done - self.done)
            self.done = done
            return
        self.done = done
        now = time.perf_counter()
        if now - self.last >= LOG_EVERY and done < self.total:
            self.last = now
            print(self.line(now), file=self.stream, flush=True)

    def line(self, now: float) -> str:
        """'render: 4,000/12,000 pages (33%), 1,200/s, 7s left'."""
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0.0
        unit = f" {self.unit}" if self.unit else ""
        return (f"{self.name}: {self.done:,}/{self.total:,}{unit} ({100 * self.done / self.total:.0f}%), "
                f"{rate:,.0f}/s, {left:.0f}s left")

    def close(self) -> None:
        """Take the bar off the terminal."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
