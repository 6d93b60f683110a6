"""Video pages (`--videos N`): `/video/xem-video/<ascii-slug>-<videoId>.html` on the vi host.

docs/site.md knows the vi URL form and nothing else, so the replica decides and varies the rest:
- The English edition shows no video section (its URL form is unknown): videos are vi-only items.
- A `Video` section in the vi menu lists them, paginated like every other section; the vi home
  page shows the two newest among its latest news.
- Each page shows a title, a description (the lead), a date in the site's form, a poster image and
  a media file on the image host (`/media/video/YYYY/<videoId>.mp4`, a few synthetic bytes served
  as `video/mp4`); some pages also embed a player from youtube.com, which a crawler must never fetch.
- The player markup is unknown on the real site: each seed draws two of `PLAYER_FORMS` and each
  video one of those two; `og:video` is present on some pages only.
- One video (index 1) has a media file larger than `BIG_MEDIA_BYTES`, to test size limits.

The truth file's video records (`video_record`) come from this model, never from the HTML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import text as T
from .model import IMG_HOST, PROD, TZ, Section
from .render import attr, esc

VIDEO_SECTION = Section("vi", "video", "Video", None, assignable=False)
PLAYER_FORMS = ("video-source", "data-src", "json-config")
SMALL_MEDIA_BYTES = 4_096
BIG_MEDIA_BYTES = 1_500_000  # tests set MEDIA_MAX_BYTES below this
BIG_INDEX = 1
EMBED_P = 0.4


@dataclass(frozen=True)
class Video:
    index: int
    video_id: int
    title: str
    description: str
    dt: datetime
    form: str
    og_video: bool
    relative_media: bool
    embed: str | None  # youtube.com player URL or None

    @property
    def slug(self) -> str:
        return T.slugify(self.title)

    @property
    def path(self) -> str:
        return f"/video/xem-video/{self.slug}-{self.video_id}.html"

    @property
    def canonical_url(self) -> str:
        return PROD["vi"] + self.path

    @property
    def media_path(self) -> str:
        return f"/media/video/{self.dt.year}/{self.video_id}.mp4"

    @property
    def media_url(self) -> str:
        return IMG_HOST + self.media_path

    @property
    def poster_url(self) -> str:
        return f"{IMG_HOST}/image/video/{self.dt.strftime('%Y/%Y%m%d')}/{self.video_id}.jpg"

    @property
    def published_raw(self) -> str:
        return self.dt.strftime("%d/%m/%Y - %H:%M")

    @property
    def media_size(self) -> int:
        return BIG_MEDIA_BYTES if self.index == BIG_INDEX else SMALL_MEDIA_BYTES + self.index


class Videos:
    """The seed's videos, newest last (index 0 is the oldest)."""

    def __init__(self, seed: int, n: int, midnight: datetime) -> None:
        r = T.rng(seed, "videos")
        self.forms = tuple(r.sample(PLAYER_FORMS, 2))
        self.items = tuple(self._video(seed, i, n, midnight) for i in range(n))
        self.by_id = {v.video_id: v for v in self.items}

    def _video(self, seed: int, i: int, n: int, midnight: datetime) -> Video:
        r = T.rng(seed, "video", i)
        start = datetime(2019, 2, 1, 7, 0, tzinfo=TZ)
        span = (midnight - timedelta(days=1) - start) / max(n, 1)
        dt = (start + span * (i + 0.9 * r.random())).replace(second=0, microsecond=0)
        title = T.title(r, "vi", dt.year)
        desc = T.paragraph(r, "vi", dt.year, r.randint(1, 2))
        embed = None
        if r.random() < EMBED_P:
            embed = "https://www.youtube.com/embed/" + "".join(
                r.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789_-")
                for _ in range(11)
            )
        return Video(
            i, 2900 + 3 * i + r.randrange(3), title, desc, dt, r.choice(self.forms),
            r.random() < 0.5, r.random() < 0.5, embed,
        )  # fmt: skip

    def newest_first(self) -> list[int]:
        return list(range(len(self.items) - 1, -1, -1))

    def find(self, path: str) -> tuple[Video | None, bool]:
        """(video, slug right) for a `/video/xem-video/...` path; (None, False) when unknown."""
        stem = path.removeprefix("/video/xem-video/").removesuffix(".html")
        slug, _, vid = stem.rpartition("-")
        video = self.by_id.get(int(vid)) if vid.isdigit() else None
        return video, video is not None and slug == video.slug


def media_bytes(video: Video) -> bytes:
    """A tiny MP4-shaped file (an `ftyp` box, then filler) of the video's media size."""
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    tag = f"video {video.video_id} ".encode()
    body = (tag * (video.media_size // len(tag) + 1))[: video.media_size - len(head)]
    return head + body


def _player(v: Video, media: str) -> str:
    if v.form == "video-source":
        return (
            f'<video class="video-js" controls preload="none" poster="{attr(v.poster_url)}">'
            f'<source src="{attr(media)}" type="video/mp4"></video>'
        )
    if v.form == "data-src":
        return (
            f'<div class="player-box" data-src="{attr(media)}" data-poster="{attr(v.poster_url)}">'
            f'<img class="player-poster" src="{attr(v.poster_url)}" alt=""></div>'
        )
    config = json.dumps({"file": media, "image": v.poster_url, "autostart": False})
    return (
        f'<div id="player-{v.video_id}"></div>\n'
        f'<script type="text/javascript">jwplayer("player-{v.video_id}").setup({config});</script>'
    )


def video_main(v: Video, breaks: frozenset[str]) -> str:
    """The page's content: title, date, description, player (and the embed), in reading order."""
    media = v.media_path if v.relative_media else v.media_url
    parts = ['<div class="video-detail">']
    if "title" not in breaks:
        parts.append(f'<h1 class="video-title">{esc(v.title)}</h1>')
    if "published" not in breaks:
        parts.append(f'<div class="video-date">{v.published_raw}</div>')
    if "lead" not in breaks:
        parts.append(f'<p class="video-desc">{esc(v.description)}</p>')
    parts.append(f'<div class="video-player">{_player(v, media)}</div>')
    if v.embed:
        parts.append(
            f'<div class="video-embed"><iframe width="560" height="315" src="{attr(v.embed)}" '
            'frameborder="0" allowfullscreen></iframe></div>'
        )
    parts.append("</div>")
    return "\n".join(parts)


def video_head(v: Video, breaks: frozenset[str]) -> str:
    out = [f'<link rel="canonical" href="{attr(v.canonical_url)}">']
    if "title" not in breaks:
        out.append(f'<meta property="og:title" content="{attr(v.title)}">')
    out.append('<meta property="og:type" content="video.other">')
    if v.og_video:
        out.append(f'<meta property="og:video" content="{attr(v.media_url)}">')
        out.append('<meta property="og:video:type" content="video/mp4">')
    return "\n".join(out) + "\n"


def video_record(v: Video, breaks: frozenset[str]) -> dict:
    """The truth record of a video (docs/contract.md "Truth file", type video)."""
    dated = "published" not in breaks
    media = [{"url": v.media_url, "type": "video/mp4"}]
    if v.embed:
        media.append({"url": v.embed, "type": "embed"})
    return {
        "type": "video",
        "id": f"baolongan:video:vi:{v.video_id}",
        "article_id": None,
        "album_id": None,
        "video_id": v.video_id,
        "edition": "vi",
        "editions_seen": ["vi"],
        "language": "vi",
        "canonical_url": v.canonical_url,
        "sections": [{"slug": VIDEO_SECTION.slug, "name": VIDEO_SECTION.name}],
        "kicker": None,
        "title": v.title if "title" not in breaks else None,
        "lead": v.description if "lead" not in breaks else None,
        "body_text": None,
        "body_html": None,
        "images": [
            {
                "url": v.poster_url,
                "position": 0,
                "caption_raw": None,
                "caption": None,
                "credit": None,
            }
        ],  # fmt: skip
        "byline_raw": None,
        "authors": [],
        "translators": [],
        "source_credit": None,
        "published_raw": v.published_raw if dated else None,
        "published_at": v.dt.strftime("%Y-%m-%dT%H:%M:%S+07:00") if dated else None,
        "published_precision": "minute" if dated else None,
        "links": [],
        "translation_of": None,
        "source_url": None,
        "media": media,
        "_media_bytes": v.media_size,
        "_linked_urls": [PROD["vi"] + v.path],
        "_irregular": [],
        "_version": 1,
        "_path": v.path,
        "_old_paths": [],
    }
