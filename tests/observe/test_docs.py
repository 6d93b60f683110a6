"""The loading examples of README.md and docs/data.md, run exactly as printed against a real crawl.

Each example is a ```python block between `<!-- example:NAME -->` and `<!-- /example -->`. The only
change made before running it is the line `OUTPUT_DIR = "/srv/baolongan/archive"`, which is pointed
at the crawl's OUTPUT_DIR. The crawl (tests/observe/conftest.py `history`) has two runs, the second
after the site edited and added articles, so the examples must keep each id's newest version.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.support import ROOT, article_records, read_jsonl

pytestmark = pytest.mark.e2e

EXAMPLE = re.compile(
    r"<!-- example:(?P<name>[\w-]+) -->\s*```python\n(?P<code>.*?)```\s*<!-- /example -->", re.S
)
PLACEHOLDER = 'OUTPUT_DIR = "/srv/baolongan/archive"'
README = ROOT / "README.md"
DATA_DOC = ROOT / "docs" / "data.md"


def examples(path: Path) -> dict[str, str]:
    return {m["name"]: m["code"] for m in EXAMPLE.finditer(path.read_text(encoding="utf-8"))}


def run_example(path: Path, name: str, output_dir: Path) -> tuple[dict, str]:
    code = examples(path)[name]
    assert code.count(PLACEHOLDER) == 1, f"{path.name} example {name}: no `{PLACEHOLDER}` line"
    code = code.replace(PLACEHOLDER, f"OUTPUT_DIR = {str(output_dir)!r}")
    namespace: dict = {"__name__": "__main__"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, f"{path.name}:example:{name}", "exec"), namespace)
    return namespace, printed.getvalue()


def expected_per_month(output_dir: Path) -> Counter:
    newest: dict[str, dict] = {}
    for r in article_records(output_dir):
        if r["id"] not in newest or r["version"] > newest[r["id"]]["version"]:
            newest[r["id"]] = r
    return Counter(
        (r["published_at"][:7], r["edition"])
        for r in newest.values()
        if r["type"] == "article" and r["published_at"]
    )


def test_history_has_several_versions(history):
    versions = Counter(r["version"] for r in article_records(history.output_dir))
    assert versions[2] > 0, "the second run wrote no new version: the examples' dedup is untested"


@pytest.mark.parametrize("doc", [DATA_DOC, README], ids=["docs/data.md", "README.md"])
def test_duckdb_example(history, doc):
    assert "duckdb" in examples(doc), f"{doc.name} has no <!-- example:duckdb --> block"
    namespace, printed = run_example(doc, "duckdb", history.output_dir)
    rows = namespace["per_month"].fetchall()
    assert Counter({(month, edition): n for month, edition, n in rows}) == expected_per_month(
        history.output_dir
    )
    assert "month" in printed and "edition" in printed


@pytest.mark.parametrize("doc", [DATA_DOC, README], ids=["docs/data.md", "README.md"])
def test_pandas_example(history, doc):
    assert "pandas" in examples(doc), f"{doc.name} has no <!-- example:pandas --> block"
    namespace, printed = run_example(doc, "pandas", history.output_dir)
    frame = namespace["per_month"]
    assert list(frame.columns) == ["month", "edition", "articles"]
    got = Counter({(row.month, row.edition): row.articles for row in frame.itertuples()})
    assert got == expected_per_month(history.output_dir)
    assert "articles" in printed


def test_latest_view_example(history):
    namespace, printed = run_example(DATA_DOC, "latest", history.output_dir)
    site_now = namespace["site_now"]
    archived = {r["id"] for r in article_records(history.output_dir)}
    gone = {
        t["id"]
        for path in (history.output_dir / "records" / "tombstones").glob("*.jsonl")
        for t in read_jsonl(path)
    }
    assert set(site_now["id"]) == archived - gone
    assert site_now["id"].is_unique
    assert f"{len(site_now)} live items in" in printed


def test_duckdb_section_query_runs(history):
    """The follow-up query of docs/data.md, in the same session as the duckdb example."""
    namespace, _ = run_example(DATA_DOC, "duckdb", history.output_dir)
    text = DATA_DOC.read_text(encoding="utf-8")
    follow_up = text.split("More questions in the same session", 1)[1]
    code = re.search(r"```python\n(.*?)```", follow_up, re.S)[1]
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "data.md:section-query", "exec"), namespace)
