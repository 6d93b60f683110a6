"""One real crawl of a small replica with video pages (`--videos`, tests/replica/video.py): every
video record equals its truth record field for field (media and poster included), the WARC files
hold each video page, its poster and its media file, the one media file over MEDIA_MAX_BYTES is
left out, counted and named in the report, and no other host's player is ever requested."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.support import folded_records, latest_report, replica, run_crawl

VIDEOS = 14
MAX_BYTES = 1_000_000  # the replica's big media file is 1.5 MB, the others a few KB
FIELDS = (
    "type", "id", "article_id", "album_id", "video_id", "edition", "editions_seen", "language",
    "canonical_url", "sections", "kicker", "title", "lead", "body_text", "body_html", "images",
    "byline_raw", "authors", "translators", "source_credit", "published_raw", "published_at",
    "published_precision", "links", "translation_of", "source_url", "media",
)  # fmt: skip


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    folder = tmp_path_factory.mktemp("videos")
    extra = ["--videos", str(VIDEOS)]
    with replica(folder / "replica", articles=40, seed=2, extra=extra) as rep:
        out = folder / "out"
        settings = {"FETCH_REQUISITES": "False", "MEDIA_MAX_BYTES": str(MAX_BYTES)}
        result = run_crawl(rep, out, settings=settings)
        yield result.returncode, folded_records(out), rep, out


def _warc_targets(out: Path) -> dict[str, int]:
    """Target URI -> payload length of every response record in the run's WARC files."""
    targets: dict[str, int] = {}
    for path in sorted(out.rglob("*.warc.gz")):
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type == "response":
                    targets[rec.rec_headers.get_header("WARC-Target-URI")] = len(
                        rec.content_stream().read()
                    )
    return targets


def test_every_item_archived(crawl) -> None:
    code, records, rep, _ = crawl
    assert code in (0, 3), code
    assert sorted(r["id"] for r in records) == sorted(t["id"] for t in rep.truth_records())


def test_video_records_equal_truth(crawl) -> None:
    _, records, rep, _ = crawl
    truth = {t["id"]: t for t in rep.truth_records() if t["type"] == "video"}
    got = {r["id"]: r for r in records if r["type"] == "video"}
    assert len(truth) == VIDEOS and set(got) == set(truth)
    wrong = [
        (vid, f, got[vid][f], truth[vid][f])
        for vid in truth
        for f in FIELDS
        if got[vid][f] != truth[vid][f]
    ]
    assert not wrong, wrong[:3]
    assert all(r["schema_version"] == "1.2.0" for r in records)
    assert all(r["media"] == [] and r["video_id"] is None for r in records if r["type"] != "video")


def test_warc_holds_page_poster_and_media(crawl) -> None:
    _, _, rep, out = crawl
    targets = _warc_targets(out)
    for t in rep.truth_records():
        if t["type"] != "video":
            continue
        assert rep.vi + t["_path"] in targets, t["id"]
        assert t["images"][0]["url"].replace("https://www.baolongan.vn", rep.vi) in targets
        media = t["media"][0]["url"].replace("https://www.baolongan.vn", rep.vi)
        if t["_media_bytes"] > MAX_BYTES:
            assert media not in targets, "over MEDIA_MAX_BYTES, yet archived"
        else:
            assert targets.get(media) == t["_media_bytes"], media


def test_big_media_and_embeds_left_out_and_reported(crawl) -> None:
    _, _, rep, out = crawl
    videos = [t for t in rep.truth_records() if t["type"] == "video"]
    big = [t["media"][0]["url"] for t in videos if t["_media_bytes"] > MAX_BYTES]
    embeds = [m["url"] for t in videos for m in t["media"] if m["type"] == "embed"]
    assert len(big) == 1 and embeds, "the replica serves one big file and some embeds"
    left = latest_report(out)["media_left_out"]
    assert left["left_out"] == {"too_large": 1, "host": len(embeds)}
    assert left["fetched"] == 2 * len(videos) - 1  # every poster and every small media file
    named = {(e["url"], e["reason"]) for e in left["named"]}
    assert named == {(big[0], "too_large")} | {(u, "host") for u in embeds}
    report_md = next((out / "reports").glob("*.md")).read_text(encoding="utf-8")
    assert "## Media left out" in report_md and big[0] in report_md
    # Only the replica was asked for anything: no request for another host's player.
    assert not any("youtube" in e["path"] for e in rep.access())
    log = (out / "crawl.log").read_text(encoding="utf-8", errors="replace").splitlines()
    named_in_log = [line for line in log if "media not archived (host)" in line]
    assert {u for u in embeds if any(u in line for line in named_in_log)} == set(embeds)
    asked = [line for line in log if "youtube" in line and ("Crawled (" in line or "GET " in line)]
    assert not asked, asked[:2]


def test_generated_chrome_videos_equal_truth(tmp_path) -> None:
    """Video pages drawn in a generated chrome (--chrome-seed, from CHROME_SEED_BASE) and enough of
    them (30) for the crawl's template learning to see the player block repeat: still exact."""
    chrome_seed = int(os.environ.get("CHROME_SEED_BASE", "0")) % 1_000_003
    extra = ["--videos", "30", "--chrome-seed", str(chrome_seed)]
    with replica(tmp_path / "replica", articles=30, seed=3, extra=extra) as rep:
        settings = {"FETCH_REQUISITES": "False", "MEDIA_MAX_BYTES": str(MAX_BYTES)}
        result = run_crawl(rep, tmp_path / "out", settings=settings)
        truth = {t["id"]: t for t in rep.truth_records() if t["type"] == "video"}
    assert result.returncode in (0, 3), (chrome_seed, result.returncode)
    got = {r["id"]: r for r in folded_records(tmp_path / "out") if r["type"] == "video"}
    assert set(got) == set(truth), chrome_seed
    wrong = [(v, f) for v in truth for f in FIELDS if got[v][f] != truth[v][f]]
    assert not wrong, (chrome_seed, wrong[:3])
