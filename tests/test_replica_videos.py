"""The replica's video pages (`--videos N`, tests/replica/video.py), asked in-process: every video is
served where its truth record says, listed by the vi Video section across its pages, with its
media file and poster on the image host; the English edition has none; without --videos nothing
changes."""

from __future__ import annotations

import gzip
import re

import pytest

from tests.replica.pages import Replica
from tests.replica.video import BIG_MEDIA_BYTES, VIDEO_SECTION

HREF_RE = re.compile(r'href="(?:https://baolongan\.vn)?(/video/xem-video/[^"]+)"')


@pytest.fixture(scope="module")
def rep() -> Replica:
    return Replica(articles=60, seed=3, videos=25, irregular=False)


def _text(rep: Replica, host: str, path: str) -> tuple[int, str]:
    resp = rep.respond(host, "GET", path, {})
    body = resp.body
    if dict(resp.headers).get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return resp.status, body.decode("utf-8") if resp.status != 301 else ""


def test_truth_lists_every_video_with_its_fields(rep) -> None:
    videos = [t for t in rep.truth_records() if t["type"] == "video"]
    assert len(videos) == 25
    assert len({v["id"] for v in videos}) == 25
    for v in videos:
        assert v["id"] == f"baolongan:video:vi:{v['video_id']}"
        assert v["canonical_url"].endswith(f"-{v['video_id']}.html")
        assert v["media"][0]["type"] == "video/mp4"
        assert v["media"][0]["url"].startswith("https://www.baolongan.vn/media/video/")
        assert v["images"][0]["url"].startswith("https://www.baolongan.vn/image/video/")
        assert v["sections"] == [{"slug": "video", "name": "Video"}]
    assert any(len(v["media"]) == 2 for v in videos), "some pages embed a youtube player"
    assert sorted(v["_media_bytes"] for v in videos)[-1] == BIG_MEDIA_BYTES


def test_pages_media_and_posters_are_served(rep) -> None:
    forms = set()
    for v in rep.videos.items:
        status, html = _text(rep, "vi", v.path)
        assert status == 200
        assert v.title.replace("&", "&amp;") in html
        assert v.published_raw in html
        assert (v.media_path if v.relative_media else v.media_url) in html
        assert (v.embed or "no embed") in html or v.embed is None
        forms.add(v.form)
        media = rep.respond("vi", "GET", v.media_path, {})
        assert media.status == 200 and ("Content-Type", "video/mp4") in media.headers
        assert len(media.body) == v.media_size and media.body[4:8] == b"ftyp"
        poster = rep.respond("vi", "GET", v.poster_url.removeprefix("https://www.baolongan.vn"), {})
        assert poster.status == 200
    assert forms == set(rep.videos.forms) and len(forms) == 2
    assert _text(rep, "en", rep.videos.items[0].path)[0] == 404


def test_video_section_lists_every_video_across_pages(rep) -> None:
    _, home = _text(rep, "vi", "/")
    assert 'href="/video/"' in home or 'href="https://baolongan.vn/video/"' in home
    newest = rep.videos.items[-1].path
    assert f'href="{newest}"' in home or f'href="https://baolongan.vn{newest}"' in home
    _, en_home = _text(rep, "en", "/")
    assert "/video/" not in en_home
    found: set[str] = set()
    for n in range(1, 6):
        path = rep.page_path(VIDEO_SECTION, n)
        status, html = _text(rep, "vi", path)
        assert status == 200
        found |= set(HREF_RE.findall(html))
    assert found == {v.path for v in rep.videos.items}


def test_without_videos_nothing_changes() -> None:
    plain, with_videos = Replica(articles=60, seed=3), Replica(articles=60, seed=3, videos=3)
    ids = lambda r: [t["id"] for t in r.truth_records()]  # noqa: E731
    assert ids(with_videos)[: len(ids(plain))] == ids(plain)
    assert "videos" not in plain.manifest() and "videos" in with_videos.manifest()
    assert _text(plain, "vi", "/video/")[0] == 404
