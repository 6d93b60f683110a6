"""docs/architecture.md stays true (issue 13 item 7): its module list names every package and module
under crawler/ and nothing that does not exist; the README's pipeline order is settings.py's."""

from __future__ import annotations

import re
from pathlib import Path

from crawler import settings

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
README = ROOT / "README.md"


def listed() -> list[str]:
    """The paths of the doc's module list (first word of each line of its code block)."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Module list", 1)[1]
    block = section.split("```", 2)[1]
    return [line.split()[0] for line in block.splitlines() if line.strip()]


def in_tree() -> set[str]:
    """Every package (`crawler/pages/`) and module (`crawler/run.py`) under crawler/, and
    the schemas folder; a package's __init__.py is the package."""
    out = {"crawler/", "crawler/schemas/"}
    for path in (ROOT / "crawler").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if "__pycache__" in rel:
            continue
        if path.name == "__init__.py":
            out.add(rel.removesuffix("__init__.py"))
        else:
            out.add(rel)
    return out


def test_every_module_is_in_the_architecture_doc():
    missing = sorted(in_tree() - set(listed()))
    assert not missing, f"add to docs/architecture.md's module list: {missing}"


def test_every_module_the_doc_names_exists():
    gone = [p for p in listed() if not (ROOT / p).exists()]
    assert not gone, f"docs/architecture.md names modules that do not exist: {gone}"
    names = listed()
    assert len(names) == len(set(names)), "a module is listed twice"


def test_readme_lists_the_pipelines_in_settings_order():
    text = README.read_text(encoding="utf-8").split("## Pipeline order", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+) \| `(\w+)` \|", text, re.M)
    expected = sorted(
        (priority, path.rsplit(".", 1)[1]) for path, priority in settings.ITEM_PIPELINES.items()
    )
    assert [(int(p), name) for p, name in rows] == expected
