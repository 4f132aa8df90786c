#!/usr/bin/env python3
"""Entry point: `python build.py [ingest|build|serve] ...` (see README)."""
import sys

from newsarchive.cli import main

if __name__ == "__main__":
    sys.exit(main())
