"""Video pages (crawler/pages/video.py): every field of the replica's video pages equals the truth
across seeds, player forms and generated chromes (seeds drawn from CHROME_SEED_BASE), and each
fallback holds on its own: a player named only by og:video, a `<video src>`, an HLS file, an
embedded player only, a relative media URL, a sidebar's channel player that is not this video."""

from __future__ import annotations

import os
import random

import pytest

from crawler.editions import Editions
from crawler.extract import build_record
from tests.replica.pages import Replica
from tests.replica.video import video_record

VI, EN = "http://127.0.0.1:8101", "http://127.0.0.1:8102"
PORTAL = Editions(VI, EN)
FIELDS = ("id", "video_id", "canonical_url", "title", "lead", "published_raw", "published_at",
          "published_precision", "images", "media", "body_text", "authors")  # fmt: skip
_r = random.Random(int(os.environ.get("CHROME_SEED_BASE", "0")) ^ 0x71DE0)
CHROME_SEEDS = [None, None, *(_r.randrange(2**31) for _ in range(4))]
SITE_SEEDS = [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(("seed", "chrome_seed"), list(zip(SITE_SEEDS, CHROME_SEEDS, strict=True)))
def test_replica_video_pages_equal_truth(seed, chrome_seed) -> None:
    rep = Replica(articles=40, seed=seed, videos=8, irregular=False, chrome_seed=chrome_seed)
    wrong = []
    for v in rep.videos.items:
        body = rep.respond("vi", "GET", v.path, {}).body
        record, _, issues = build_record(body, "utf-8", VI + v.path, PORTAL)
        truth = video_record(v, frozenset())
        assert record["type"] == "video" and "no_media" not in issues
        wrong += [(v.path, f, record[f], truth[f]) for f in FIELDS if record[f] != truth[f]]
    assert not wrong, wrong[:3]


def _page(player: str, head: str = "", side: str = "") -> bytes:
    return f"""<html><head><title>Clip - Báo Long An</title>{head}</head><body>
<div class="menu"><a href="/">Trang chủ</a> <a href="/video/">Video</a></div>
<div class="main"><h1>Đồng người về quê nghỉ lễ</h1><div class="date">30/04/2024 - 08:15</div>
<p class="desc">Dòng người ùn ùn về quê nghỉ lễ trên quốc lộ 1 sáng nay, giao thông đông đúc.</p>
<div class="clip">{player}</div></div><aside class="sidebar">{side}</aside></body></html>""".encode()


URL = VI + "/video/xem-video/dong-nguoi-ve-que-2982.html"
MP4 = "https://www.baolongan.vn/media/video/2024/2982.mp4"
POSTER = "https://www.baolongan.vn/image/video/2024/2982.jpg"
YT = "https://www.youtube.com/embed/abcdefghijk"


@pytest.mark.parametrize(
    ("player", "head", "media", "poster"),
    [
        (f'<video controls src="{MP4}" poster="{POSTER}"></video>', "",
         [{"url": MP4, "type": "video/mp4"}], POSTER),
        ('<div class="player"></div>',
         f'<meta property="og:video" content="{MP4}"><meta property="og:image" content="{POSTER}">',
         [{"url": MP4, "type": "video/mp4"}], POSTER),
        ('<video><source src="/media/video/2024/2982.m3u8"></video>', "",
         [{"url": "https://www.baolongan.vn/media/video/2024/2982.m3u8",
           "type": "application/vnd.apple.mpegurl"}], None),
        (f'<iframe src="{YT}" allowfullscreen></iframe>', "", [{"url": YT, "type": "embed"}], None),
        (f'<div data-file="/media/video/2024/2982.mp4"><img src="{POSTER}"></div>', "",
         [{"url": MP4, "type": "video/mp4"}], POSTER),
    ],
    ids=["video-src", "og-video-only", "hls-relative", "embed-only", "data-file"],
)  # fmt: skip
def test_fallbacks(player, head, media, poster) -> None:
    record, _, _ = build_record(_page(player, head), "utf-8", URL, PORTAL)
    assert record["media"] == media
    assert [im["url"] for im in record["images"]] == ([poster] if poster else [])
    assert record["title"] == "Đồng người về quê nghỉ lễ"
    assert record["published_raw"] == "30/04/2024 - 08:15"
    assert record["id"] == "baolongan:video:vi:2982" and record["video_id"] == 2982


def test_a_sidebar_channel_player_is_not_this_video() -> None:
    side = '<iframe src="https://www.youtube.com/embed/channelvide"></iframe>'
    record, _, _ = build_record(
        _page(f'<video src="{MP4}"></video>', side=side), "utf-8", URL, PORTAL
    )
    assert record["media"] == [{"url": MP4, "type": "video/mp4"}]
    assert (
        record["canonical_url"]
        == "https://baolongan.vn/video/xem-video/dong-nguoi-ve-que-2982.html"
    )
