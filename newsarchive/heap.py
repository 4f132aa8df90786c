"""How a long run treats Python's cyclic garbage collector.

A build or an ingest makes millions of small objects that live until the run ends (articles,
views, index postings) and almost no reference cycles. With the default thresholds the collector
then runs a full collection again and again over the whole growing heap to free nothing: at
100,000 articles that was about 3 s of a 60 s build. `long_run` raises the threshold of the
youngest generation for the run and puts the thresholds back after it.

`settle` moves every object made so far out of the collector's reach (gc.freeze) before a run
forks its workers: the workers' collections then neither walk the parent's objects nor write
their headers, which would copy the pages holding them into every worker.
"""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

YOUNG_THRESHOLD = 100_000   # allocations between collections of the youngest generation (default 700)


@contextlib.contextmanager
def long_run() -> Iterator[None]:
    """Fewer garbage collections while the block runs; the thresholds as they were after it,
    and objects `settle` froze given back to the collector."""
    before = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def settle() -> None:
    """Keep the objects made so far out of later collections (see the module docstring)."""
    gc.freeze()
