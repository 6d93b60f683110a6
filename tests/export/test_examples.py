"""Every shell and Python example of README.md and docs/*.md, run as printed.

An example is a ```sh, ```bash or ```python block between `<!-- example:NAME -->` (or
`<!-- example:NAME after:OTHER -->`, a block continuing OTHER's Python session) and
`<!-- /example -->`. One marked `<!-- example:NAME needs:SERVICE -->` runs in the test module that
starts SERVICE (NEEDS below: scrapyd, a replica in the background, Redis, `make`). Every other such
block says why it is not a program or cannot run in a test (`<!-- no-example: REASON -->`), so
none goes untested (test_every_example_is_marked).

Here: the examples meant to run against an archive. The only change is the `/srv/baolongan` prefix, pointed at a folder holding
a copy of a real crawl as `archive` (with its Parquet export made, for the Parquet examples). Shell
blocks run with bash, Python blocks with this interpreter (the venv's), from the repository root;
each must exit 0 and print something. The JSON Lines and Parquet variants of the data examples
must print the same answer.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import ROOT

pytestmark = pytest.mark.e2e

MARKED = re.compile(
    r"<!-- example:(?P<name>[\w-]+)(?: after:(?P<after>[\w-]+))?(?: needs:(?P<needs>[\w-]+))? -->\s*"
    r"```(?P<lang>sh|bash|python)\n(?P<code>.*?)```\s*<!-- /example -->",
    re.S,
)
BLOCK = re.compile(
    r"(?P<skip><!-- no-example: [^>]+ -->\s*)?```(?P<lang>sh|bash|python)\n(?P<code>.*?)```", re.S
)
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PREFIX = "/srv/baolongan"
# needs:SERVICE -> the module that runs those examples
NEEDS = {
    "scrapyd": "tests/scrapyd/test_operating_examples.py",
    "replica": "tests/e2e/test_readme_replica.py",
    "redis": "tests/distributed/test_operating_examples.py",
    "make": "tests/e2e/test_make_demo.py",
}


@dataclass(frozen=True)
class Example:
    doc: str
    name: str
    lang: str
    code: str
    after: str | None
    needs: str | None = None  # a service the example talks to, started by its own test


def examples() -> list[Example]:
    found = []
    for doc in DOCS:
        for m in MARKED.finditer(doc.read_text(encoding="utf-8")):
            found.append(Example(doc.name, m["name"], m["lang"], m["code"], m["after"], m["needs"]))
    return found


def source(example: Example) -> str:
    if example.after is None:
        return example.code
    first = next(e for e in examples() if e.doc == example.doc and e.name == example.after)
    return source(first) + example.code


@pytest.fixture(scope="module")
def srv(archive: Path, tmp_path_factory) -> Path:
    """Stands in for /srv/baolongan: `archive` a copy of the crawl, with its Parquet export."""
    folder = tmp_path_factory.mktemp("srv")
    shutil.copytree(archive, folder / "archive", ignore=shutil.ignore_patterns("export"))
    cmd = [sys.executable, "-m", "scrapy", "export", "--format", "parquet", folder / "archive"]
    assert subprocess.run(cmd, cwd=ROOT, capture_output=True).returncode == 0
    return folder


def run(example: Example, srv: Path) -> subprocess.CompletedProcess:
    code = source(example).replace(PREFIX, str(srv))
    interpreter = ["bash", "-e", "-c"] if example.lang != "python" else [sys.executable, "-c"]
    return subprocess.run(
        [*interpreter, code], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


@pytest.mark.parametrize(
    "example", [e for e in examples() if e.needs is None], ids=lambda e: f"{e.doc}:{e.name}"
)
def test_example_runs_as_printed(example: Example, srv: Path) -> None:
    result = run(example, srv)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert result.stdout.strip(), f"{example.doc}:{example.name} printed nothing"


@pytest.mark.parametrize("name", ["duckdb", "pandas"])
def test_parquet_variant_answers_as_jsonl(name: str, srv: Path) -> None:
    by_name = {e.name: e for e in examples() if e.doc == "data.md"}
    jsonl, parquet = run(by_name[name], srv), run(by_name[f"{name}-parquet"], srv)
    assert jsonl.returncode == parquet.returncode == 0, jsonl.stderr[-2000:] + parquet.stderr
    assert "2025" in jsonl.stdout or "2024" in jsonl.stdout, jsonl.stdout
    assert parquet.stdout == jsonl.stdout


def test_every_example_is_marked() -> None:
    """Every sh/bash/python block is an example, or says why it is not a program or cannot run in
    a test (`<!-- no-example: REASON -->`: the live portal, /etc, `make test` itself); every
    `needs:` example is run by its module."""
    marked = {(e.doc, e.code) for e in examples()}
    unmarked = [
        (doc.name, m["code"][:80])
        for doc in DOCS
        for m in BLOCK.finditer(doc.read_text(encoding="utf-8"))
        if not m["skip"] and (doc.name, m["code"]) not in marked
    ]
    assert not unmarked
    for example in examples():
        if example.needs is not None:
            module = ROOT / NEEDS[example.needs]
            assert f'"{example.name}"' in module.read_text(encoding="utf-8"), (example, module)
    names = {(e.doc, e.name) for e in examples()}
    assert {("data.md", "duckdb-parquet"), ("data.md", "pandas-parquet")} <= names
    assert {("README.md", "export-parquet"), ("README.md", "export-wacz")} <= names
    assert {("README.md", "replica"), ("README.md", "make-demo")} <= names
    assert {("operating.md", "redis-workers"), ("operating.md", "redis-watch")} <= names
