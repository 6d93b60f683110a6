"""Page metadata in one pass: `<meta>` properties, `<link rel=canonical>`, `<title>` and the first
JSON-LD object that looks like an article (read leniently: CMS templates emit broken JSON)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from crawler.pages.parsing import Element, text_of
from crawler.pages.text import collapse, strip_site_name

__all__ = ["Meta", "read_meta"]


@dataclass
class Meta:
    props: dict[str, str] = field(default_factory=dict)
    """`property`/`name`/`itemprop` (lower-cased) -> content; the first occurrence wins."""
    canonical: str | None = None
    bookmark: str | None = None
    """`<link rel=bookmark>`: where archive.today says the copy came from."""
    title_tag: str = ""
    jsonld: dict[str, Any] = field(default_factory=dict)
    """The first JSON-LD object that looks like an article (headline, datePublished ...)."""

    def get(self, *names: str) -> str | None:
        for n in names:
            v = self.props.get(n)
            if v and v.strip():
                return v
        return None

    def ld(self, key: str) -> str | None:
        v = self.jsonld.get(key)
        if isinstance(v, list):
            v = v[0] if v else None
        if isinstance(v, dict):
            v = v.get("name") or v.get("@value")
        return v.strip() if isinstance(v, str) and v.strip() else None

    def own_texts(self) -> frozenset[str]:
        """The page's own title and description as its metadata names them (collapsed)."""
        texts = [
            collapse(self.ld("headline") or self.ld("name")),
            collapse(self.ld("description")),
            strip_site_name(self.get("og:title")),
            strip_site_name(self.get("twitter:title")),
            strip_site_name(self.title_tag),
            collapse(self.get("og:description", "description", "twitter:description")),
        ]
        return frozenset(t for t in texts if t)


_LD_TYPES = {"newsarticle", "article", "blogposting", "reportagenewsarticle", "imagegallery",
             "webpage", "analysisnewsarticle", "mediagallery", "collectionpage"}  # fmt: skip


def _ld_objects(data: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if isinstance(data, list):
        for d in data:
            out.extend(_ld_objects(d))
    elif isinstance(data, dict):
        if "@graph" in data:
            out.extend(_ld_objects(data["@graph"]))
        out.append(data)
    return out


def _pick_ld(objs: list[dict[str, Any]]) -> dict[str, Any]:
    best: dict[str, Any] = {}
    for o in objs:
        t = o.get("@type")
        types = {x.lower() for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)}
        if "headline" in o or "datePublished" in o:
            if types & _LD_TYPES - {"webpage", "collectionpage"}:
                return o
            best = best or o
        elif types & _LD_TYPES and not best:
            best = o
    return best


_LD_FIELD_RE = re.compile(r'"(headline|datePublished|description|name)"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _read_jsonld(text: str) -> dict[str, Any]:
    try:
        return _pick_ld(_ld_objects(json.loads(text, strict=False)))
    except ValueError:
        # CMS templates often emit JSON-LD with trailing commas or raw quotes; read what we can.
        found: dict[str, Any] = {}
        for k, v in _LD_FIELD_RE.findall(text):
            try:
                found.setdefault(k, json.loads(f'"{v}"', strict=False))
            except ValueError:
                found.setdefault(k, v)
        return found


def read_meta(root: Element) -> Meta:
    """Every metadata source in one pass over the elements that can carry it."""
    meta = Meta()
    for el in root.iter("meta", "link", "script", "title"):
        tag = el.tag
        if tag == "meta":
            key = el.get("property") or el.get("name") or el.get("itemprop")
            content = el.get("content")
            if key and content is not None:
                meta.props.setdefault(key.strip().lower(), content)
        elif tag == "link":
            rel = (el.get("rel") or "").lower().split()
            if "canonical" in rel and el.get("href") and meta.canonical is None:
                meta.canonical = el.get("href")
            elif "bookmark" in rel and el.get("href") and meta.bookmark is None:
                meta.bookmark = el.get("href")
        elif tag == "title":
            if not meta.title_tag:
                meta.title_tag = collapse(text_of(el))
        elif (el.get("type") or "").lower() == "application/ld+json" and not meta.jsonld:
            meta.jsonld = _read_jsonld(el.text or "")
    return meta
