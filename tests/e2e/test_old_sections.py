"""Old section URLs (`OLD_SECTIONS` in crawler/editions.py): against a replica that still serves
/phap-luat/ and /quoc-phong-an-ninh/ for old articles (`--old-sections`, no menu names them) the
crawl follows them, and every record's sections equal the truth, the old ones included; against
one that answers 404 there, the two tries are counted skips and the run is not worse for them."""

from __future__ import annotations

import pytest

from tests.support import article_records, folded_records, latest_report, replica, run_crawl

OLD = ("phap-luat", "quoc-phong-an-ninh")


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    out = {}
    for name, articles, extra in (("old", 400, ["--old-sections"]), ("gone", 40, [])):
        folder = tmp_path_factory.mktemp(name)
        with replica(folder / "replica", articles=articles, seed=2, extra=extra) as rep:
            result = run_crawl(rep, folder / "out", settings={"FETCH_REQUISITES": "False"})
            out[name] = (result.returncode, rep, folder / "out")
    return out


def test_old_sections_followed_and_named(crawls) -> None:
    code, rep, out = crawls["old"]
    assert code in (0, 3), code
    truth = {t["id"]: t for t in rep.truth_records()}
    # Sections as the latest view has them: a record streams out before every listing
    # naming it was read (crawler/pipelines/record.py), the rest are its sightings.
    records = {r["id"]: r for r in folded_records(out)}
    assert set(records) == set(truth)
    in_old = [i for i, t in truth.items() if {s["slug"] for s in t["sections"]} & set(OLD)]
    assert len(in_old) > 20
    wrong = [(i, records[i]["sections"], truth[i]["sections"]) for i in truth
             if records[i]["sections"] != truth[i]["sections"]]  # fmt: skip
    assert not wrong, wrong[:2]
    paths = {e["path"] for e in rep.access() if e["edition"] == "vi"}
    assert {f"/{slug}/" for slug in OLD} <= paths
    assert latest_report(out)["listings"].get("old_section") == 2


def test_gone_old_sections_are_counted_skips(crawls) -> None:
    code, rep, out = crawls["gone"]
    assert code in (0, 3), code
    assert sorted(r["id"] for r in article_records(out)) == sorted(
        t["id"] for t in rep.truth_records()
    )
    report = latest_report(out)
    assert report["listings"].get("old_section_gone") == 2
    assert "listings/failed" not in report["dropped"]
    gone = [e for e in rep.access() if e["path"] in {f"/{s}/" for s in OLD}]
    assert sorted(e["status"] for e in gone) == [404, 404]
