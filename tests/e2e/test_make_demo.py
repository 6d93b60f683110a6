"""README.md's quickstart `make demo`, run as printed (issue 17): `<!-- example:make-demo needs:make -->`.

It runs in a copy of the project as a clone has it (tracked and not-ignored files), so its
output/demo-<timestamp>/ is the test's; the copy's `.venv` is this checkout's, already set up, as
after a first `make demo`. The one substitution: the copy's pyproject.toml is dated before the
venv's install stamp, so make finds the venv up to date and never reaches the package index (the
tests talk only to 127.0.0.1). The demo (~60-90 s) has this module to itself so xdist can place it.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.export.test_examples import examples
from tests.scrapyd.support import project_copy
from tests.support import ROOT, article_records, latest_report, read_jsonl

pytestmark = pytest.mark.e2e


def test_make_demo_runs_as_printed(tmp_path):
    example = next(e for e in examples() if (e.doc, e.name) == ("README.md", "make-demo"))
    assert example.code.startswith("make demo "), example.code
    project = project_copy(tmp_path / "project")
    (project / ".venv").symlink_to(ROOT / ".venv")
    stamp = (ROOT / ".venv" / ".installed").stat().st_mtime
    os.utime(project / "pyproject.toml", (stamp - 60, stamp - 60))
    result = subprocess.run(
        ["bash", "-e", "-c", example.code], cwd=project, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "pip install" not in result.stdout, result.stdout[:2000]
    found = re.search(r"^output:  (\S+)$", result.stdout, re.M)
    assert found, result.stdout[-3000:]
    output = Path(found[1])
    assert output.parent == project / "output" and output.name.startswith("demo-"), output
    truth = read_jsonl(output / "replica" / "truth.jsonl")
    records = article_records(output)
    assert len(truth) >= 800
    assert sorted(r["id"] for r in records) == sorted(t["id"] for t in truth)
    report = latest_report(output)
    assert f"status: {report['status']} (exit " in result.stdout, result.stdout[-3000:]
    assert report["status"] in ("success", "success_with_warnings"), report["status"]
