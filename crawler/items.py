"""The output contract: one dataclass per record type, one line of documentation per field.

Streams and their rows:
    articles    `ArticleRecord` (articles, photo albums and videos, told apart by `type`)
    tombstones  `Tombstone` (an id that is gone from the site)
    rejected    `Rejected` (a record that failed its schema, with the failing paths)
    sightings   `Sighting` (what a run saw of an id after writing its record: a section, URL, edition)
    latest      no class of its own: one row per id, an `ArticleRecord` or, when the id is gone, its
                `Tombstone` (told apart by the `status` key, which only tombstones have)

The JSON Schemas in `crawler/schemas/` and the field table in `docs/fields.md` are tested against these
classes (`tests/test_schema.py`): same names, same order, same nullability, same documentation.
Each field's documentation is `field.metadata["doc"]`; `field_docs(cls)` returns them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

# Bump on any change to a field's name, type, nullability or format: major for removals and type
# changes, minor for additions (tests/test_schema.py enforces this against tests/schema_snapshot.json).
SCHEMA_VERSION = "1.2.0"

# The normalized content that `content_hash` covers; nothing here varies with the visit.
HASHED_FIELDS = (
    "title",
    "kicker",
    "lead",
    "body_text",
    "images",
    "authors",
    "translators",
    "published_at",
)
HASHED_IMAGE_FIELDS = ("url", "caption", "credit")
# Covered only when a record has media (videos), so articles and albums keep the hashes that
# schema 1.1.0 gave them and a new version of the code does not re-version the whole archive.
HASHED_MEDIA_FIELDS = ("url", "type")


def _f(doc: str, **kwargs: Any) -> Any:
    """A dataclass field carrying its one-line documentation."""
    return field(metadata={"doc": doc}, **kwargs)


class _Record:
    """Conversion helpers shared by the record dataclasses."""

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON-ready data, keys in contract order."""
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Any:
        """Build from plain data (nested objects included); unknown keys raise TypeError."""
        kwargs = dict(data)
        for name, nested in NESTED_CLASSES.get(cls.__name__, {}).items():
            if isinstance(kwargs.get(name), list):
                kwargs[name] = [
                    nested(**item) if isinstance(item, Mapping) else item for item in kwargs[name]
                ]
        return cls(**kwargs)


@dataclass(kw_only=True)
class Section(_Record):
    """A section listing whose main entries list the item."""

    slug: str = _f(
        "Full section path without slashes at either end, e.g. `thoi-su-chinh-tri/long-an`."
    )
    name: str = _f("Menu label of the section, display-normalized.")


@dataclass(kw_only=True)
class Image(_Record):
    """A content image of an article, or a photo of an album."""

    url: str = _f("Absolute production URL as in the `src` attribute, never re-encoded.")
    position: int = _f(
        "The image's `data-pos` when present, else its 0-based index among the images."
    )
    caption_raw: str | None = _f(
        "Caption element text as shown (`<br>` read as a space), whitespace collapsed; null if none."
    )
    caption: str | None = _f(
        "caption_raw with an in-place duplication collapsed and trailing credits removed; null if empty."
    )
    credit: str | None = _f(
        "Photo credit(s) without parentheses or label, several joined by `; `; null if none."
    )


@dataclass(kw_only=True)
class Media(_Record):
    """A playable media file of a video page, or a player embedded from another host."""

    url: str = _f(
        "Absolute URL as found; portal files in production form (`https://www.baolongan.vn/media/…`)."
    )
    type: str = _f(
        "MIME type as declared on the page or named by the file extension (`video/mp4`); `embed` for a player page on another host (never fetched)."
    )


@dataclass(kw_only=True)
class ArticleRecord(_Record):
    """One version of an article, photo album or video (stream `articles`)."""

    schema_version: str = _f(
        "Version of the record contract this record follows.", default=SCHEMA_VERSION
    )
    type: Literal["article", "album", "video"] = _f("`article`, `album` or `video`.")
    id: str = _f(
        "Stable identity: `baolongan:<article_id>`, `baolongan:album:<edition>:<album_id>` or `baolongan:video:<edition>:<video_id>`."
    )
    article_id: int | None = _f(
        "Number after `-a` in the article URL (shared by both editions); null for albums.",
        default=None,
    )
    album_id: int | None = _f(
        "Number in the photo-album URL (`<slug>.<album_id>.html`); null for articles.", default=None
    )
    video_id: int | None = _f(
        "Number in the video URL (`/video/xem-video/<slug>-<video_id>.html`); null for articles and albums.",
        default=None,
    )
    run_id: str = _f("Crawl run that wrote this record (UTC timestamp plus a short random suffix).")
    version: int = _f("1 for the first record of an id, +1 each time its content_hash changes.")
    edition: Literal["vi", "en"] = _f(
        "`en` if the item was ever reached on the English host, else `vi`."
    )
    editions_seen: list[Literal["vi", "en"]] = _f(
        "Editions whose hosts the item was reached on, sorted.", default_factory=list
    )
    language: Literal["vi", "en"] = _f(
        "Language of the content, detected from the text (not the page chrome)."
    )
    url: str = _f("A URL the item was fetched from in this run, as fetched; one of urls_seen.")
    urls_seen: list[str] = _f(
        "Every URL the item was fetched from or linked as, as fetched; sorted, no repeats.",
        default_factory=list,
    )
    canonical_url: str = _f(
        "Canonical URL on a production host: the page's rel=canonical, else built from edition, slug and id."
    )
    sections: list[Section] = _f(
        "Section listings whose main entries list the item, sorted by slug.", default_factory=list
    )
    fetched_at: str = _f("When the response this record comes from was fetched (UTC, `Z`).")
    first_seen: str = _f("When this id was first fetched live (UTC, `Z`).")
    last_seen: str = _f("When this id was last fetched live (UTC, `Z`).")
    kicker: str | None = _f(
        "Line above the title (e.g. a place or a person's title), display-normalized.", default=None
    )
    title: str | None = _f("Title, display-normalized.", default=None)
    lead: str | None = _f(
        "Lead paragraph (sapo); for albums the description without the translator note.",
        default=None,
    )
    body_text: str | None = _f(
        "Body text blocks in reading order (paragraphs, sub-heads, list items, table rows), joined by a blank line; no captions.",
        default=None,
    )
    body_html: str | None = _f(
        "Body as content-only markup (allowed elements; href, src, alt only; production URLs), serialized by lxml.",
        default=None,
    )
    images: list[Image] = _f("Content images (album photos) in page order.", default_factory=list)
    byline_raw: str | None = _f(
        "Byline paragraph as shown (albums: the `(Translated by …)` note), whitespace collapsed.",
        default=None,
    )
    authors: list[str] = _f("Author names parsed from byline_raw.", default_factory=list)
    translators: list[str] = _f("Translator names parsed from byline_raw.", default_factory=list)
    source_credit: str | None = _f(
        "Agency or source credit from the byline (e.g. `TTXVN/Vietnam+`); null if none.",
        default=None,
    )
    published_raw: str | None = _f(
        "Publication date as shown near the title (else the metadata string), whitespace collapsed.",
        default=None,
    )
    published_at: str | None = _f(
        "Publication time, ISO 8601 with `+07:00`; 00:00:00 when only the day is known.",
        default=None,
    )
    published_precision: Literal["minute", "day"] | None = _f(
        "`minute` when a time was shown, `day` when only a date; null when published_at is null.",
        default=None,
    )
    links: list[str] = _f(
        "Ids of other portal articles linked from the body, in order of first appearance, no repeats.",
        default_factory=list,
    )
    translation_of: str | None = _f(
        "Id of the portal article this one translates, from a closing `Source:`/`Nguồn:` line linking it; null if none.",
        default=None,
    )
    source_url: str | None = _f(
        "External original named by a closing `Nguồn: <url>`/`Source: <url>` line (not a portal article), as printed; null if none.",
        default=None,
    )
    translations: list[str] = _f(
        "Ids whose translation_of names this item, sorted; filled in the latest view only (empty in run records).",
        default_factory=list,
    )
    media: list[Media] = _f(
        "Videos: the playable media files and embedded players as found, in page order; empty for articles and albums.",
        default_factory=list,
    )
    content_hash: str = _f(
        "sha256 (hex) of the normalized content, see `content_hash()`; a change bumps version."
    )
    warc_filename: str | None = _f(
        "Name of the WARC file holding the response this record comes from; null when WARC_ENABLED is off.",
        default=None,
    )
    warc_record_id: str | None = _f(
        "WARC-Record-ID of that response record (`<urn:uuid:…>`); null when WARC_ENABLED is off.",
        default=None,
    )
    warc_payload_digest: str | None = _f(
        "WARC-Payload-Digest of that response (`sha1:<base32>`); null when WARC_ENABLED is off.",
        default=None,
    )
    quality_issues: list[str] = _f(
        "Reason codes for what was missing or suspicious (`no_title`, `no_date`, `charset_repaired`, …); no repeats.",
        default_factory=list,
    )


@dataclass(kw_only=True)
class Tombstone(_Record):
    """An id that is gone from the site (stream `tombstones`)."""

    schema_version: str = _f(
        "Version of the record contract this record follows.", default=SCHEMA_VERSION
    )
    type: Literal["article", "album", "video"] = _f(
        "`article`, `album` or `video`, as the id says."
    )
    id: str = _f("Identity of the gone item, as in its article records.")
    url: str = _f("The URL that answered gone, as fetched.")
    status: Literal["gone"] = _f("Always `gone`.", default="gone")
    http_status: int = _f(
        "HTTP status that showed the item gone (404, 410, or a 3xx redirect off the item)."
    )
    redirect_to: str | None = _f(
        "Absolute target of the redirect when http_status is 3xx, else null.", default=None
    )
    last_seen_live: str | None = _f(
        "When the id was last fetched live (UTC, `Z`); null if it never was.", default=None
    )
    detected_at: str = _f("When the crawler found the id gone (UTC, `Z`).")
    run_id: str = _f("Crawl run that detected it.")


@dataclass(kw_only=True)
class Sighting(_Record):
    """What a run learned about an id after writing its record (stream `sightings`)."""

    schema_version: str = _f(
        "Version of the record contract this record follows.", default=SCHEMA_VERSION
    )
    id: str = _f("The item's id, as in its article records.")
    run_id: str = _f("Crawl run that saw it; the record it adds to is that run's record of the id.")
    kind: Literal["section", "url", "edition"] = _f(
        "`section` (a listing named it), `url` (fetched or linked as this URL) or `edition` (reached on that edition's host)."
    )
    value: str = _f(
        "The section's slug (full path, no slashes at either end), the URL as fetched or linked, or the edition (`vi`, `en`)."
    )
    name: str | None = _f(
        "The section's menu label when kind is `section`, else null.", default=None
    )
    seen_at: str = _f(
        "When the crawler wrote the sighting out (UTC, `Z`): at most a flush interval (15 s) after the sighting; in distributed mode once the shared crawl was idle."
    )


@dataclass(kw_only=True)
class SchemaError(_Record):
    """One failing path of a rejected record, as returned by `crawler.schema.validate`."""

    path: str = _f(
        "JSONPath of the failing value (`$.images[0].url`); a missing or unexpected field is named by its own path."
    )
    message: str = _f("What is wrong, with the offending value shortened.")
    rule: str = _f(
        "Schema keyword that failed (`required`, `format`, `pattern`, …) or `contract:<check>` for cross-field checks."
    )


@dataclass(kw_only=True)
class Rejected(_Record):
    """A record that failed its schema, kept with the failing paths (stream `rejected`)."""

    schema_version: str = _f(
        "Version of the record contract this record follows.", default=SCHEMA_VERSION
    )
    stream: Literal["articles", "tombstones"] = _f("Stream the record was meant for.")
    id: str | None = _f("The record's `id` when it is a string, else null.", default=None)
    run_id: str = _f("Crawl run that produced the record.")
    errors: list[SchemaError] = _f(
        "Every failing path, sorted by path (at least one).", default_factory=list
    )
    record: dict[str, Any] = _f("The record exactly as it failed validation.")


NESTED_CLASSES: dict[str, dict[str, type[_Record]]] = {
    "ArticleRecord": {"sections": Section, "images": Image, "media": Media},
    "Rejected": {"errors": SchemaError},
}

RECORD_CLASSES: dict[str, type[_Record]] = {
    "articles": ArticleRecord,
    "tombstones": Tombstone,
    "rejected": Rejected,
    "sightings": Sighting,
}


def field_docs(cls: type) -> dict[str, str]:
    """{field name: one-line documentation} of a record dataclass, in field order."""
    return {f.name: f.metadata["doc"] for f in dataclasses.fields(cls)}


def utc_timestamp(dt: datetime) -> str:
    """The contract's UTC form `YYYY-MM-DDTHH:MM:SSZ` of an aware datetime (fetched_at, first_seen, …)."""
    if dt.tzinfo is None:
        raise ValueError("a naive datetime has no defined UTC instant")
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def content_hash_input(record: Mapping[str, Any] | ArticleRecord) -> dict[str, Any]:
    """The exact content `content_hash` covers; missing values count as null / empty lists."""
    data: dict[str, Any] = {name: _get(record, name) for name in HASHED_FIELDS}
    data["images"] = [
        {name: _get(image, name) for name in HASHED_IMAGE_FIELDS} for image in data["images"] or []
    ]
    data["authors"] = list(data["authors"] or [])
    data["translators"] = list(data["translators"] or [])
    media = _get(record, "media")
    if media:
        data["media"] = [{name: _get(m, name) for name in HASHED_MEDIA_FIELDS} for m in media]
    return data


def content_hash(record: Mapping[str, Any] | ArticleRecord) -> str:
    """sha256 hex over the canonical JSON of `content_hash_input(record)` (sorted keys, UTF-8, compact):
    title, kicker, lead, body_text, each image's url+caption+credit (in order), authors, translators,
    published_at, and each media file's url+type when there are any. Nothing that varies with the visit (sections, urls, times, chrome) is covered."""
    canonical = json.dumps(
        content_hash_input(record), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
