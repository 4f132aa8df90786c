"""The GitHub Pages workflow: valid against the published workflow schema, and it builds the site
with the base URL Pages assigns, uploads site/ and deploys it."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "pages.yml"


def check_jsonschema() -> list[str]:
    """The check-jsonschema command (installed as a script, or run as a module)."""
    script = shutil.which("check-jsonschema")
    return [script] if script else [sys.executable, "-m", "check_jsonschema"]


def test_workflow_is_valid_against_the_github_workflow_schema():
    result = subprocess.run([*check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_rejects_a_broken_workflow(tmp_path):
    """The validation above can fail: a job without runs-on/steps is refused."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    stepz: []\n", encoding="utf-8")
    result = subprocess.run([*check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(broken)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0


def steps(job: dict) -> list[dict]:
    """A job's steps."""
    return job["steps"]


def uses(job: dict, action: str) -> dict:
    """The step of `job` that uses `action` (any version)."""
    matches = [s for s in steps(job) if s.get("uses", "").split("@")[0] == action]
    assert len(matches) == 1, f"{action} used {len(matches)} times"
    return matches[0]


def test_workflow_builds_with_the_pages_base_url_and_deploys():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses(build, "actions/checkout")
    assert uses(build, "actions/setup-python")["with"]["python-version"] == "3.11"
    assert any(s.get("run") == "pip install -e ." for s in steps(build))
    pages = uses(build, "actions/configure-pages")
    build_step = next(s for s in steps(build) if "build.py build" in s.get("run", ""))
    assert f"--base-url \"${{{{ steps.{pages['id']}.outputs.base_url }}}}\"" in build_step["run"]
    names = [s.get("uses", s.get("run")) for s in steps(build)]
    assert names.index(pages["uses"]) < names.index(build_step["run"])  # configured before building
    assert uses(build, "actions/upload-pages-artifact")["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(deploy, "actions/deploy-pages")["id"] == "deployment"
