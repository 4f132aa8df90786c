#!/usr/bin/env python3
"""Entry point of this repository's demo archive: `python build.py [ingest|build|serve] ...`
is `newsarchive -C <this folder> ...` (see README)."""
import sys
from pathlib import Path

from newsarchive.cli import main

if __name__ == "__main__":
    sys.exit(main(archive=Path(__file__).resolve().parent, prog="python build.py"))
