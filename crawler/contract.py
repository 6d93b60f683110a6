"""The contract's cross-field checks (rule `contract:<check>`): what a JSON Schema cannot say
(docs/contract.md). The id agrees with article_id/album_id, `url` is one of `urls_seen`, lists that
the contract sorts are sorted, `edition` follows `editions_seen`, no self-link, first_seen <=
last_seen, `content_hash` matches the content, and every string is NFC.

    CHECKS[stream](record) -> (path, rule, message), ...   (crawler/schema.py runs them)
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from crawler.editions import album_item_id, article_item_id, video_item_id
from crawler.items import content_hash

Problems = Iterator[tuple[str, str, str]]  # (JSON path, rule, message)

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(parts: Any) -> str:
    """`$.images[0].url` for ("images", 0, "url")."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENT.match(part):
            out += f".{part}"
        else:
            out += "[" + json.dumps(part, ensure_ascii=False) + "]"
    return out


def short(value: Any, limit: int = 80) -> str:
    """`value` as JSON, cut to `limit` characters for a message."""
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _strings(value: Any, parts: list[Any]) -> Iterator[tuple[list[Any], str]]:
    if isinstance(value, str):
        yield parts, value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _strings(v, [*parts, k])
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, [*parts, i])


def _nfc(record: Mapping[str, Any]) -> Problems:
    # One C-level check over the serialized row first: strings sit between quotes (NFC-stable
    # starters), so the whole text is NFC exactly when every string in it is.
    text = json.dumps(record, ensure_ascii=False, default=repr)
    if unicodedata.is_normalized("NFC", text):
        return
    for parts, s in _strings(record, []):
        if not unicodedata.is_normalized("NFC", s):
            yield json_path(parts), "contract:nfc", f"{short(s)} is not NFC"


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _identity(r: Mapping[str, Any]) -> Problems:
    """The id agrees with article_id/album_id/video_id; the record never links to itself."""
    rid, kind = r.get("id"), r.get("type")
    if not isinstance(rid, str):
        return
    if kind == "article" and isinstance(r.get("article_id"), int):
        expected = article_item_id(r["article_id"])
        if rid != expected:
            yield "$.id", "contract:id", f"{short(rid)} does not match article_id ({expected})"
    album_id = r.get("album_id")
    if (
        kind == "album"
        and isinstance(album_id, int)
        and rid not in (album_item_id(ed, album_id) for ed in ("vi", "en"))
    ):
        yield "$.id", "contract:id", f"{short(rid)} does not match album_id ({album_id})"
    video_id = r.get("video_id")
    if (
        kind == "video"
        and isinstance(video_id, int)
        and rid not in (video_item_id(ed, video_id) for ed in ("vi", "en"))
    ):
        yield "$.id", "contract:id", f"{short(rid)} does not match video_id ({video_id})"
    if isinstance(r.get("links"), list) and rid in r["links"]:
        yield "$.links", "contract:self_link", "links holds the record's own id"


def _seen(r: Mapping[str, Any]) -> Problems:
    """url among urls_seen, both seen lists sorted, edition as editions_seen says."""
    urls = r.get("urls_seen")
    if _is_str_list(urls):
        if isinstance(r.get("url"), str) and r["url"] not in urls:
            yield "$.url", "contract:url_in_urls_seen", f"{short(r['url'])} is not in urls_seen"
        if urls != sorted(urls):
            yield "$.urls_seen", "contract:sorted", "urls_seen is not sorted"
    eds = r.get("editions_seen")
    if _is_str_list(eds):
        if eds != sorted(eds):
            yield "$.editions_seen", "contract:sorted", "editions_seen is not sorted"
        expected = "en" if "en" in eds else "vi"
        if r.get("edition") in ("vi", "en") and r["edition"] != expected:
            message = f"edition is {r['edition']!r} but editions_seen is {eds}"
            yield "$.edition", "contract:edition", message


def _sections(r: Mapping[str, Any]) -> Problems:
    sections = r.get("sections")
    if not isinstance(sections, list) or not all(
        isinstance(s, Mapping) and isinstance(s.get("slug"), str) for s in sections
    ):
        return
    slugs = [s["slug"] for s in sections]
    if slugs != sorted(slugs):
        yield "$.sections", "contract:sorted", "sections are not sorted by slug"
    if len(set(slugs)) != len(slugs):
        yield "$.sections", "contract:unique", "a section slug repeats"


def _times_and_hash(r: Mapping[str, Any]) -> Problems:
    first, last = r.get("first_seen"), r.get("last_seen")
    if isinstance(first, str) and isinstance(last, str) and first > last:
        yield "$.last_seen", "contract:seen_order", "last_seen is before first_seen"
    digest = r.get("content_hash")
    if not isinstance(digest, str):
        return
    try:
        actual = content_hash(r)
    except (TypeError, AttributeError):
        return  # malformed content; the schema errors say where
    if digest != actual:
        yield "$.content_hash", "contract:content_hash", f"does not match the content ({actual})"


def check_article(r: Mapping[str, Any]) -> Problems:
    yield from _identity(r)
    yield from _seen(r)
    yield from _sections(r)
    yield from _times_and_hash(r)
    yield from _nfc(r)


def check_tombstone(r: Mapping[str, Any]) -> Problems:
    live, gone = r.get("last_seen_live"), r.get("detected_at")
    if isinstance(live, str) and isinstance(gone, str) and live > gone:
        yield "$.detected_at", "contract:seen_order", "detected_at is before last_seen_live"
    yield from _nfc(r)


CHECKS: dict[str, Callable[[Mapping[str, Any]], Problems]] = {
    "articles": check_article,
    "tombstones": check_tombstone,
}
