"""`python -m newsarchive …` is the `newsarchive` command."""
import sys

from .cli import main

sys.exit(main())
