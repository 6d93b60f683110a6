"""Agency pieces and translation pairs on the replica's pages: translation_of, source_url and
source_credit equal the replica's truth (its data model) for every item that has them, and no
closing `Source:`/`Nguồn:` line is left in any body. Pages are read in-process as served."""

from __future__ import annotations

import re
from functools import cache

import pytest

from crawler.extract import build_record
from tests.pages.test_replica_pages import EDITIONS, _get
from tests.replica import Replica

# (seed, chrome seed): the three hand-written templates, then two generated chromes.
CASES = ((7, None), (2, None), (20, None), (3, 1001), (5, 1004))
FIELDS = ("translation_of", "source_url", "source_credit", "byline_raw", "authors", "links")
LINE_RE = re.compile(r"(?:^|\n)(?:Source|Nguồn): ?https?://", re.IGNORECASE)


@cache
def pages(seed: int, chrome_seed: int | None) -> list[tuple[str, dict, dict]]:
    rep = Replica(articles=160, seed=seed, chrome_seed=chrome_seed)
    out = []
    for truth in rep.truth_records():
        if truth["type"] != "article":
            continue
        for edition in truth["editions_seen"]:
            body, charset = _get(rep, edition, truth["_path"])
            url = EDITIONS.base(edition) + truth["_path"]
            out.append((url, truth, build_record(body, charset, url, EDITIONS)[0]))
    return out


@pytest.mark.parametrize(("seed", "chrome_seed"), CASES)
def test_source_fields_equal_truth(seed: int, chrome_seed: int | None) -> None:
    got = pages(seed, chrome_seed)
    sourced = [(u, t, r) for u, t, r in got if t["translation_of"] or t["source_url"]]
    assert any(t["translation_of"] for _, t, _ in sourced), "no translation pair drawn"
    assert any(t["source_url"] for _, t, _ in sourced), "no agency piece drawn"
    bad = [
        f"{u} {k}: truth {t[k]!r} ours {r[k]!r}"
        for u, t, r in sourced
        for k in FIELDS
        if r[k] != t[k]
    ]
    assert not bad, "\n".join(bad[:5])


@pytest.mark.parametrize(("seed", "chrome_seed"), CASES)
def test_no_source_line_in_bodies(seed: int, chrome_seed: int | None) -> None:
    for url, truth, record in pages(seed, chrome_seed):
        for k in ("body_text", "body_html"):
            assert not LINE_RE.search(record[k] or ""), (url, k)
        assert "TTXVN/Vietnam+" not in (record["body_text"] or ""), url
        assert "TTXVN/Vietnam+" not in " ".join(record["authors"]), url
        assert record["translation_of"] is None or record["translation_of"] != truth["id"]


def test_agency_line_follows_the_credit() -> None:
    """The replica draws the real form: `(TTXVN/Vietnam+)` then `Nguồn: <url>` on another host."""
    rep = Replica(articles=160, seed=2)
    agency = [t for t in rep.truth_records() if t["source_credit"] == "TTXVN/Vietnam+"]
    assert agency and all(t["source_url"] for t in agency)
    assert all("baolongan.vn" not in t["source_url"] for t in agency)
