"""The fixture site, file by file, against the reviewed golden copy.

When an intended change alters the output: `python tools/regen_golden.py`, review `git diff
tests/fixtures/site/golden`, commit.
"""
from __future__ import annotations

import difflib

from site_support import FIXTURE_CONTENT, GOLDEN, build, golden_tree, tree_bytes

REGENERATE = "python tools/regen_golden.py"


def test_fixture_site_matches_the_golden_output(tmp_path):
    report = build(FIXTURE_CONTENT, tmp_path / "site", jobs=1)
    assert report.ok, [str(e) for e in report.errors]
    built, golden = golden_tree(tmp_path / "site"), tree_bytes(GOLDEN)
    assert golden, f"no golden files: run {REGENERATE}"
    missing, extra = sorted(set(golden) - set(built)), sorted(set(built) - set(golden))
    assert not missing and not extra, f"files differ: missing {missing}, unexpected {extra}; run {REGENERATE}"
    problems = []
    for path in sorted(golden):
        if built[path] != golden[path]:
            diff = difflib.unified_diff(golden[path].decode("utf-8").splitlines(),
                                        built[path].decode("utf-8").splitlines(),
                                        f"golden/{path}", f"built/{path}", lineterm="", n=2)
            problems.append("\n".join(list(diff)[:40]))
    assert not problems, f"{len(problems)} file(s) differ from the golden copy " \
                         f"(if intended: {REGENERATE}):\n\n" + "\n\n".join(problems)
