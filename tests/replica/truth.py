"""Truth records (docs/contract.md "Truth file") built from the model, never from served HTML."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .model import PROD, Article, Link
from .render import body_html, body_text, links, visible_blocks
from .video import video_record

if TYPE_CHECKING:
    from .pages import Replica


def _host_edition(url: str) -> str:
    return "en" if urlsplit(url).netloc.endswith("news.baolongan.vn") else "vi"


def _images(imgs) -> list[dict]:
    return [
        {
            "url": i.url,
            "position": i.pos,
            "caption_raw": i.caption_raw,
            "caption": i.caption,
            "credit": i.credit,
        }
        for i in imgs
    ]


def inbound_hrefs(rep: Replica, p: int) -> list[str]:
    """Every href by which a live page body links article p (as written, production form)."""
    site = rep.site
    aid = site.aid(p)
    out = []
    for y in site.inbound(p):
        for b in visible_blocks(site.article(y), rep.breaks):
            if b.kind == "p":
                out.extend(s.href for s in b.segments if isinstance(s, Link) and s.target == aid)
    return out


def source_fields(art: Article, breaks: frozenset[str]) -> dict:
    """translation_of / source_url from the article's closing source line (docs/contract.md)."""
    src = None if "body" in breaks else art.source
    return {
        "translation_of": f"baolongan:{src.target}" if src and src.target else None,
        "source_url": src.url if src and src.target is None else None,
    }


def article_record(rep: Replica, p: int) -> dict:
    site, B = rep.site, rep.breaks
    art = site.article(p)
    hrefs = inbound_hrefs(rep, p)
    seen = {art.lang} | {_host_edition(h) for h in hrefs}
    linked = {PROD[art.lang] + art.path, *hrefs}
    dated = art.show_date and "published" not in B
    blocks = visible_blocks(art, B)
    imgs = [b.image for b in blocks if b.kind == "img"]
    by = art.byline if "byline" not in B else None
    irregular = sorted(
        k for k, v in rep.plan().get((art.lang, art.path), {}).items() if v and k != "statuses"
    ) + [f"status:{s}" for s in rep.plan().get((art.lang, art.path), {}).get("statuses", [])]
    return {
        "type": "article",
        "id": f"baolongan:{art.aid}",
        "article_id": art.aid,
        "album_id": None,
        "edition": art.lang,
        "editions_seen": sorted(seen),
        "language": art.lang,
        "canonical_url": art.canonical_url,
        "sections": sorted(
            (
                {"slug": s.slug, "name": s.name}
                for s in site.sections_of(p) + (rep.old.sections_of(p) if rep.old else [])
            ),
            key=lambda s: s["slug"],
        ),
        "kicker": art.kicker if "kicker" not in B else None,
        "title": art.title if "title" not in B else None,
        "lead": art.lead if "lead" not in B else None,
        "body_text": body_text(art, B),
        "body_html": body_html(art, B),
        "images": _images(imgs),
        "byline_raw": by.raw if by else None,
        "authors": list(by.authors) if by else [],
        "translators": list(by.translators) if by else [],
        "source_credit": by.source if by else None,
        "published_raw": art.published_raw if dated else None,
        "published_at": art.published_iso if dated else None,
        "published_precision": "minute" if dated else None,
        "links": links(art, B),
        **source_fields(art, B),
        "_linked_urls": sorted(linked),
        "_chrome": {ed: rep.cfg.chrome[ed] for ed in sorted(seen)},
        "_irregular": irregular,
        "_version": art.version,
        "_path": art.path,
        "_old_paths": [f"/{s}-a{art.aid}.html" for s in art.old_slugs],
    }


def album_record(rep: Replica, edition: str, i: int) -> dict:
    site, B = rep.site, rep.breaks
    alb = site.album(edition, i)
    dated = rep.chrome(edition).album_date and "published" not in B
    sec = rep.cfg.album_section[edition]
    photos = [] if "images" in B else list(alb.photos)
    if "captions" in B:
        photos = [type(ph)(ph.url, ph.pos, ph.form, None, None, None) for ph in photos]
    info = rep.plan().get((edition, alb.path), {})
    irregular = sorted(k for k, v in info.items() if v and k != "statuses") + [
        f"status:{s}" for s in info.get("statuses", [])
    ]
    no_lead = "lead" in B
    return {
        "type": "album",
        "id": f"baolongan:album:{edition}:{alb.album_id}",
        "article_id": None,
        "album_id": alb.album_id,
        "edition": edition,
        "editions_seen": [edition],
        "language": edition,
        "canonical_url": alb.canonical_url,
        "sections": [{"slug": sec.slug, "name": sec.name}],
        "kicker": None,
        "title": alb.title if "title" not in B else None,
        "lead": None if no_lead else alb.description,
        "body_text": None,
        "body_html": None,
        "images": _images(photos),
        "byline_raw": None if no_lead or "byline" in B else alb.note,
        "authors": [],
        "translators": [] if no_lead or "byline" in B else list(alb.translators),
        "source_credit": None,
        "published_raw": alb.published_raw if dated else None,
        "published_at": alb.dt.strftime("%Y-%m-%dT%H:%M:%S+07:00") if dated else None,
        "published_precision": "minute" if dated else None,
        "links": [],
        "translation_of": None,
        "source_url": None,
        "_linked_urls": [PROD[edition] + alb.path],
        "_chrome": {edition: rep.cfg.chrome[edition]},
        "_irregular": irregular,
        "_version": 1,
        "_path": alb.path,
        "_old_paths": [],
    }


def truth_records(rep: Replica) -> Iterator[dict]:
    site = rep.site
    for p in range(site.top):
        if site.live(p):
            yield article_record(rep, p)
    for ed in ("vi", "en"):
        for i in range(site.n_albums[ed]):
            yield album_record(rep, ed, i)
    if rep.videos is not None:
        for v in rep.videos.items:
            yield {**video_record(v, rep.breaks), "_chrome": {"vi": rep.cfg.chrome["vi"]}}


def write_truth(rep: Replica, path: str | Path) -> int:
    n = 0
    tmp = Path(str(path) + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for rec in truth_records(rep):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(path)
    return n
