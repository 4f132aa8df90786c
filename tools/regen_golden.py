#!/usr/bin/env python3
"""Rebuild the site tests' golden output from the fixture archive.

    python tools/regen_golden.py

Builds tests/fixtures/site/content with tests/fixtures/site/site.toml (one process, the
fixture's own base URL) and replaces tests/fixtures/site/golden/ with the result, minus
search/ and static/ (see tests/site_support.py). Review the diff before committing it.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from site_support import FIXTURE_CONTENT, GOLDEN, build, golden_tree  # noqa: E402


def main() -> int:
    """Build the fixture and write its golden files."""
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        report = build(FIXTURE_CONTENT, site, jobs=1)
        if not report.ok:
            return 1
        files = golden_tree(site)
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for path, data in files.items():
        target = GOLDEN / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"wrote {len(files)} golden files to {GOLDEN.relative_to(REPO)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
