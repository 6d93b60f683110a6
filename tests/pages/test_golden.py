"""Golden fixtures for the page layer: one folder per case under `fixtures/`.

Each folder holds `page.html` (the bytes as served), `meta.json` (`url`, header `charset`, `why` the
case exists, optional `kind`: `listing`, optional `served_elsewhere`: a copy of the page kept or
served by someone else) and `expected.json` (the hand-checked output). Article and
album cases go through `crawler.extract.build_record` (bytes -> record fields, strategies, issues);
listing cases through `crawler.pages.parse_listing`.

Regenerate after a deliberate change with `REGEN_GOLDENS=1 pytest tests/pages` and review the
diff of every `expected.json` before committing it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from crawler.editions import Editions
from crawler.extract import RECORD_FIELDS, build_record
from crawler.normalize.text import decode_html
from crawler.pages import parse_listing

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "page.html").exists())
REGEN = os.environ.get("REGEN_GOLDENS") == "1"
EDITIONS = Editions()


def _meta(case: str) -> dict[str, Any]:
    return json.loads((FIXTURES / case / "meta.json").read_text(encoding="utf-8"))


def run_case(case: str) -> dict[str, Any]:
    """The output a case's expected.json is compared with."""
    meta = _meta(case)
    body = (FIXTURES / case / "page.html").read_bytes()
    if meta.get("kind") == "listing":
        text, _ = decode_html(body, meta.get("charset"))
        listing = parse_listing(text, meta["url"], EDITIONS)
        out = dataclasses.asdict(listing)
        out["fingerprint"] = list(out["fingerprint"])
        del out["blocks"]  # asked for only when learning the template (empty here)
        del out["requisites"]  # asked for only by a crawl fetching requisites (empty here)
        assert out.pop("base_href_ignored") is False
        return out
    record, strategies, issues = build_record(body, meta.get("charset"), meta["url"], EDITIONS)
    return {**record, "_strategies": strategies, "_quality_issues": issues}


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    actual = run_case(case)
    path = FIXTURES / case / "expected.json"
    if REGEN or not path.exists():
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if not REGEN:
            pytest.fail(f"{case}: expected.json was missing and has been written; review it")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(actual) == sorted(expected), "unexpected or missing fields"
    wrong = [
        f"{k}:\n  expected {expected[k]!r}\n  actual   {actual[k]!r}"
        for k in expected
        if actual[k] != expected[k]
    ]
    assert not wrong, f"{case}: " + "\n".join(wrong)


def test_enough_cases() -> None:
    kinds = [_meta(c).get("kind", "article") for c in CASES]
    assert kinds.count("article") + kinds.count("album") >= 15
    assert kinds.count("listing") >= 3


# --------------------------------------------------------------------------------------------
# Invariants over every article/album case (docs/contract.md text and URL rules)

RECORD_CASES = [c for c in CASES if _meta(c).get("kind") != "listing"]
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
_PRODUCTION = re.compile(r"^https://(?:news\.)?baolongan\.vn/")
_IMAGE = re.compile(r"^(?:https://www\.baolongan\.vn/image/|http://image\.baolongan\.vn/news/)")


def _strings(obj: Any):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


@pytest.mark.parametrize("case", RECORD_CASES)
def test_record_invariants(case: str) -> None:
    out = run_case(case)
    record = {k: out[k] for k in RECORD_FIELDS}
    assert list(record) == list(RECORD_FIELDS)
    for s in _strings(record):
        assert unicodedata.is_normalized("NFC", s), s
        assert "\ufffd" not in s, s
        assert not _CONTROL.search(s), repr(s)
    for k in ("title", "lead", "kicker", "byline_raw", "published_raw"):
        v = record[k]
        assert v is None or (v == v.strip() and "\n" not in v and "  " not in v), (k, v)
    if record["canonical_url"] is not None:
        assert _PRODUCTION.match(record["canonical_url"])
    for im in record["images"]:
        # (a copy served elsewhere, `served_elsewhere` in its meta.json, may show its images
        # from its own host: a saved page's `page_files/`, an aggregator's CDN)
        assert _IMAGE.match(im["url"]) or _meta(case).get("served_elsewhere"), im["url"]
    own = record["id"]
    assert own not in record["links"]
    assert len(record["links"]) == len(set(record["links"]))
    if record["body_html"]:
        assert " style=" not in record["body_html"] and " class=" not in record["body_html"]
        assert "<script" not in record["body_html"] and "<div" not in record["body_html"]
