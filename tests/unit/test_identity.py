"""Item identity in one place (issue 13 item 2): "which item is this URL?" is answered by
crawler/editions.py, and every caller that asks gives the same answer for every URL form.

Each caller is asked through its own public path: the spider's link handling, the distributed
duplicate filter, the replay index, extraction, the guards' request classification and the
requested-URL report."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler
from w3lib.url import canonicalize_url
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import editions, requested
from crawler.distributed.scheduler import ItemDupeFilter
from crawler.extract import build_record
from crawler.guards.common import is_item_request, is_item_url
from crawler.spiders.baolongan import BaolonganSpider
from crawler.warc.replay import ReplayIndex

VI, EN = "http://127.0.0.1:8101", "http://127.0.0.1:8102"
PORTAL = editions.Editions(VI, EN)

A123 = "baolongan:123"
ALBUM_VI_77 = "baolongan:album:vi:77"
ALBUM_EN_77 = "baolongan:album:en:77"
VIDEO_VI_2982 = "baolongan:video:vi:2982"

# (URL as found in a link or a urls file, the item it names or None)
TABLE = [
    # articles: any scheme, www or not, either host, any slug or none, any query
    ("https://baolongan.vn/mot-bai-a123.html", A123),
    ("http://baolongan.vn/mot-bai-a123.html", A123),
    ("https://www.baolongan.vn/mot-bai-a123.html", A123),
    ("https://news.baolongan.vn/one-story-a123.html", A123),
    ("http://www.news.baolongan.vn/one-story-a123.htm", A123),
    ("https://baolongan.vn/thoi-su/mot-bai-a123.html", A123),
    ("https://baolongan.vn/-a123.html", A123),
    ("https://baolongan.vn/a-a123.html?pid=4", A123),
    ("HTTPS://BAOLONGAN.VN/mot-bai-a123.html", A123),
    ("https://Baolongan.VN./mot-bai-a123.html", A123),
    # fetch form (the replica's hosts)
    (f"{VI}/mot-bai-a123.html", A123),
    (f"{EN}/one-story-a123.html", A123),
    # albums: the edition is the path's (xem- = vi, view- = en), never the host's
    ("https://baolongan.vn/xem-albumphoto/le-hoi.77.html", ALBUM_VI_77),
    ("https://baolongan.vn/xem-albumphoto/le-hoi.77.html?pid=4", ALBUM_VI_77),
    ("http://www.baolongan.vn/xem-albumphoto/77.html", ALBUM_VI_77),
    ("https://news.baolongan.vn/view-albumphoto/boat-race.77.html", ALBUM_EN_77),
    ("https://news.baolongan.vn/view-albumphoto/boat-race.77.html?pid=2", ALBUM_EN_77),
    ("https://baolongan.vn/view-albumphoto/boat-race.77.html", ALBUM_EN_77),  # en album, vi host
    ("https://news.baolongan.vn/xem-albumphoto/le-hoi.77.html", ALBUM_VI_77),  # vi album, en host
    ("HTTPS://NEWS.BAOLONGAN.VN/view-albumphoto/boat-race.77.html", ALBUM_EN_77),
    (f"{VI}/view-albumphoto/boat-race.77.html?pid=3", ALBUM_EN_77),
    (f"{EN}/xem-albumphoto/le-hoi.77.html", ALBUM_VI_77),
    (f"{EN}/view-albumphoto/boat-race.77.html", ALBUM_EN_77),
    # videos: only the vi form is known (docs/site.md); its path names the edition, not the host
    ("https://baolongan.vn/video/xem-video/dong-nguoi-un-un-ve-que-2982.html", VIDEO_VI_2982),
    ("http://www.baolongan.vn/video/xem-video/dong-nguoi-un-un-ve-que-2982.html", VIDEO_VI_2982),
    ("https://baolongan.vn/video/xem-video/2982.html", VIDEO_VI_2982),
    ("https://baolongan.vn/video/xem-video/le-hoi-a12-2982.html?autoplay=1", VIDEO_VI_2982),
    ("https://news.baolongan.vn/video/xem-video/dong-nguoi-2982.html", VIDEO_VI_2982),
    (f"{VI}/video/xem-video/dong-nguoi-2982.html", VIDEO_VI_2982),
    (f"{EN}/video/xem-video/dong-nguoi-2982.html", VIDEO_VI_2982),
    # not items: paths are case-sensitive, a trailing slash is another path, listings and images
    ("https://baolongan.vn/mot-bai-a123.html/", None),
    ("https://baolongan.vn/xem-albumphoto/le-hoi.77.html/", None),
    ("https://baolongan.vn/MOT-BAI-A123.HTML", None),
    ("https://baolongan.vn/XEM-ALBUMPHOTO/le-hoi.77.html", None),
    ("https://baolongan.vn/thoi-su/", None),
    ("https://baolongan.vn/", None),
    ("https://baolongan.vn/xem-video/clip.5.html", None),
    ("https://baolongan.vn/video/", None),
    ("https://baolongan.vn/video/xem-video/clip.html", None),
    ("https://baolongan.vn/video/view-video/clip-5.html", None),  # the en form is unknown
    ("https://baolongan.vn/VIDEO/xem-video/clip-5.html", None),
    ("https://www.baolongan.vn/media/video/2024/3.mp4", None),
    (f"{VI}/kinh-te/?p=2", None),
]
IDS = [u for u, _ in TABLE]


def _spider(tmp_path: Path) -> BaolonganSpider:
    crawler = get_crawler(
        BaolonganSpider,
        settings_dict={
            "OPEN_RUN": False,  # a preview: nothing written under OUTPUT_DIR
            "OUTPUT_DIR": str(tmp_path),
            "EDITION_URL_VI": VI,
            "EDITION_URL_EN": EN,
            "REPLAY_WARC_DIR": "",
        },
    )
    return BaolonganSpider.from_crawler(crawler)


@pytest.fixture(scope="module")
def spider(tmp_path_factory) -> BaolonganSpider:
    return _spider(tmp_path_factory.mktemp("spider"))


@pytest.fixture(scope="module")
def replay(tmp_path_factory) -> ReplayIndex:
    """A replay index of one run that archived each item once, through one of its URLs."""
    folder = tmp_path_factory.mktemp("warc")
    archived = {expected: url for url, expected in TABLE if expected}
    with open(folder / "run-00000.warc.gz", "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record("run", {"isPartOf": "r1"}))
        for url in archived.values():
            target = PORTAL.to_fetch(url)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(target, "response", payload=_body(), http_headers=headers)
            )
    return ReplayIndex(folder, "r1")


def _body() -> io.BytesIO:
    return io.BytesIO(b"<html><body><h1>T</h1><p>x</p></body></html>")


def answers(url: str, spider: BaolonganSpider, replay: ReplayIndex) -> dict[str, object]:
    """Every caller's answer for `url` (None: not an item)."""
    target = PORTAL.to_fetch(url)
    spider.requested_ids.clear()
    spider._saw_link(target)
    fingerprint = ItemDupeFilter(server=None, key="", debug=False).request_fingerprint(
        Request(target)
    )
    record, _, _ = build_record(b"<html><body><h1>T</h1></body></html>", None, target, PORTAL)
    return {
        "editions": editions.item_id(target),
        "spider": next(iter(spider.requested_ids), None),
        "scheduler": fingerprint.removeprefix("item:") if fingerprint.startswith("item:") else None,
        "replay": _replay_item(replay, target),
        "extract": record["id"],
        "guards": is_item_url(target) and is_item_request(Request(target)),
        "requested": _requested_id(url),
    }


def _replay_item(replay: ReplayIndex, target: str) -> str | None:
    """The item the replay index serves for `target`: the table's id of the URL it archived."""
    archived = replay.archived_url(target)
    if archived == target and canonicalize_url(target) not in replay.by_url:
        return None
    return next((e for u, e in TABLE if e and PORTAL.to_fetch(u) == archived), None)


def _requested_id(url: str) -> str | None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "urls.txt"
        path.write_text(url + "\n", encoding="utf-8")
        _, _, missing = requested.urls_file_misses(path, PORTAL, 10_000, set(), {}, set())
    return missing[0]["id"]


@pytest.mark.parametrize(("url", "expected"), TABLE, ids=IDS)
def test_every_caller_names_the_same_item(url, expected, spider, replay):
    got = answers(url, spider, replay)
    assert got == {
        "editions": expected,
        "spider": expected,
        "scheduler": expected,
        "replay": expected,
        "extract": expected,
        "guards": expected is not None,
        "requested": expected,
    }


def test_ids_are_built_in_one_place():
    assert editions.article_item_id(123) == A123
    assert editions.album_item_id("en", 77) == ALBUM_EN_77
    assert editions.video_item_id("vi", 2982) == VIDEO_VI_2982
