"""Rebuild OUTPUT_DIR's state store from what the archive holds: the record files, the run
reports and the WARC files (`scrapy rebuild_state`).

What comes back: runs (from the reports; a run without a final report, or stopped resumably,
is left unfinished so the same command resumes it), every written line with its file and offset,
per id its newest version (hash, dates, sections, editions, WARC pointer, validators from the
archived response headers) or its tombstone, and the page requisites already archived.
Sightings lines (records/sightings/) are folded into what each written record was seen as, so the
latest view and the next run see the sections, URLs and editions they add.
What does not: the `ids=` probe log (a backfill probes again), the sightings not yet written and the
pending records of an unfinished run (its resumed run fetches those items again) and when unchanged
items were last re-checked (each counts as checked when its newest version was fetched).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from crawler.editions import Editions
from crawler.records.merge import KINDS, add_sightings, covered
from crawler.records.row import folded_columns
from crawler.records.sightings import as_new
from crawler.run import RESUMABLE_REASONS  # a report with one: the run stopped to be resumed
from crawler.state import StateStore
from crawler.statecheck import STATE_FILE, record_run_ids
from crawler.warc.index import cdxj_path
from crawler.warc.writer import OPEN_SUFFIX, closed_files

logger = logging.getLogger(__name__)

HTML_MIMES = ("text/html", "application/xhtml+xml", "warc/revisit")


def _iso(value: str | None) -> str | None:
    """Any ISO 8601 time as the state store writes it (UTC, seconds, `Z`)."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _run_started(run_id: str) -> str | None:
    # Run ids begin with their start time: 20250630T160000Z-ab12cd.
    try:
        dt = datetime.strptime(run_id.split("-", 1)[0], "%Y%m%dT%H%M%SZ")
    except ValueError:
        return None
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(offset, record) per complete line; a torn last line is left for the resumed run to cut."""
    offset = 0
    with open(path, "rb") as fh:
        for line in fh:
            try:
                record = json.loads(line) if line.endswith(b"\n") else None
            except ValueError:
                record = None
            if isinstance(record, dict):
                yield offset, record
            offset += len(line)


def _warcinfo(path: Path) -> dict[str, str]:
    """Fields of a WARC file's first record (its warcinfo)."""
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "warcinfo":
                    return {}
                text = record.content_stream().read().decode("utf-8", "replace")
                return dict(line.split(": ", 1) for line in text.split("\r\n") if ": " in line)
    except Exception as error:  # a damaged file still leaves the rest to rebuild from
        logger.warning("no warcinfo read from %s: %r", path.name, error)
    return {}


def _cdxj_entries(warc_dir: Path) -> Iterator[dict[str, Any]]:
    for path in closed_files(warc_dir) if warc_dir.is_dir() else []:
        index = cdxj_path(path)
        if not index.exists():
            continue
        with open(index, encoding="utf-8") as fh:
            for line in fh:
                _key, ts, data = line.rstrip("\n").split(" ", 2)
                entry = json.loads(data)
                entry["_ts"] = ts
                yield entry


def _validators(warc_dir: Path, filename: str, offset: int) -> tuple[str | None, str | None]:
    """ETag and Last-Modified of the archived response a record points at."""
    try:
        with open(warc_dir / filename, "rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)))
            headers = record.http_headers
            if headers is None:
                return None, None
            return headers.get_header("ETag"), headers.get_header("Last-Modified")
    except (OSError, StopIteration, ValueError):
        return None, None


def _reports(output_dir: Path) -> dict[str, dict[str, Any]]:
    reports: dict[str, dict[str, Any]] = {}
    for path in sorted((output_dir / "reports").glob("*.json")):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if isinstance(report, dict) and report.get("run_id"):
            reports[report["run_id"]] = report
    return reports


def _warc_infos(warc_dir: Path) -> tuple[dict[str, dict[str, str]], dict[str, Editions]]:
    """Per run id its warcinfo fields; per WARC file where its run fetched the portal."""
    infos: dict[str, dict[str, str]] = {}
    fetched_from: dict[str, Editions] = {}
    if warc_dir.is_dir():
        for path in sorted(warc_dir.glob("*.warc.gz")) + sorted(
            warc_dir.glob("*.warc.gz" + OPEN_SUFFIX)
        ):
            info = _warcinfo(path)
            if info.get("isPartOf"):
                infos.setdefault(info["isPartOf"], info)
            with contextlib.suppress(KeyError, ValueError):  # an older file: the settings'
                fetched_from[path.name.removesuffix(OPEN_SUFFIX)] = Editions(
                    info["setting-EDITION_URL_VI"], info["setting-EDITION_URL_EN"]
                )
    return infos, fetched_from


def _runs(store: StateStore, run_ids: set[str], reports: dict, infos: dict, counts: dict) -> None:
    for run_id in sorted(run_ids):
        report, info = reports.get(run_id, {}), infos.get(run_id, {})
        signature = report.get("signature") or info.get("run-signature")
        mode = report.get("mode") or info.get("run-mode") or "full"
        finished = bool(report) and report.get("finish_reason") not in RESUMABLE_REASONS
        if not finished and not signature:
            finished = True  # nothing to match a resumed run with: close it as failed
        store.start_run(run_id, signature, _run_started(run_id), mode)
        if finished:
            status = report.get("status") or "crawl_failed"
            done = _iso(report.get("finished_at")) or _run_started(run_id)
            store.finish_run(run_id, done, status)
        else:
            counts["unfinished_runs"] += 1
        counts["runs"] += 1


class _Lines:
    """Every line of the record files, marked written; per id its newest version and tombstone,
    and per (run, id) what its record and the run's sightings lines add up to."""

    def __init__(self) -> None:
        self.newest: dict[str, dict[str, Any]] = {}
        self.gone: dict[str, dict[str, Any]] = {}
        self.sighted: dict[tuple[str, str], tuple[dict[str, list], int]] = {}

    def read(self, store: StateStore, output_dir: Path, run_id: str) -> int:
        records_dir = output_dir / "records"
        files = [("articles", p) for p in sorted(records_dir.glob(f"articles/{run_id}/*.jsonl"))]
        files += [
            (stream, records_dir / stream / f"{run_id}.jsonl")
            for stream in ("tombstones", "rejected", "sightings")
        ]
        lines = 0
        for stream, path in files:
            if not path.exists():
                continue
            rel = str(path.relative_to(output_dir))
            for offset, record in _lines(path):
                item_id = record.get("id")
                if not isinstance(item_id, str):
                    continue
                if stream == "sightings":
                    self._sighting(run_id, record)
                    continue
                version = (record.get("version") or 0) if stream == "articles" else 0
                store.mark_written(run_id, stream, item_id, version, rel, offset)
                lines += 1
                if stream == "articles":
                    self._article(run_id, record)
                elif stream == "tombstones":
                    self._tombstone(run_id, record)
        return lines

    def _article(self, run_id: str, record: dict[str, Any]) -> None:
        old = self.newest.get(record["id"])
        version = record.get("version") or 0
        if old is None or (version, run_id) >= (old["version"], old["run_id"]):
            self.newest[record["id"]] = record
        self.sighted[(run_id, record["id"])] = (covered(record), 0)

    def _tombstone(self, run_id: str, record: dict[str, Any]) -> None:
        old = self.gone.get(record["id"])
        key = (record.get("run_id") or run_id, record.get("detected_at") or "")
        if old is None or key >= (old["run_id"], old["detected_at"] or ""):
            self.gone[record["id"]] = {**record, "run_id": key[0]}

    def _sighting(self, run_id: str, line: dict[str, Any]) -> None:
        had = self.sighted.get((run_id, line["id"]))
        if had is not None and line.get("kind") in KINDS:
            self.sighted[(run_id, line["id"])] = (add_sightings(had[0], as_new([line])), had[1] + 1)

    def seen_as(self, record: dict[str, Any]) -> dict[str, Any]:
        """The row's seen columns of a newest version: its record's, or with its run's sightings."""
        had = self.sighted.get((record.get("run_id") or "", record["id"]))
        if had is not None and had[1]:
            return folded_columns(had[0])
        return {
            "edition": record.get("edition"),
            "sections": json.dumps(record.get("sections") or [], ensure_ascii=False),
            "editions_seen": json.dumps(record.get("editions_seen") or []),
        }


def _item_row(
    record: dict[str, Any], where: dict | None, warc_dir: Path, mapping: Editions
) -> dict[str, Any]:
    etag, modified = (
        _validators(warc_dir, where["filename"], int(where["offset"])) if where else (None, None)
    )
    return {
        "id": record["id"],
        "type": record.get("type"),
        "status": "live",
        "version": record.get("version"),
        "content_hash": record.get("content_hash"),
        "first_seen": record.get("first_seen"),
        "last_seen": record.get("last_seen"),
        "last_checked": record.get("last_seen"),
        "published_at": record.get("published_at"),
        # Production form, mapped as the run that fetched it was configured.
        "url": mapping.to_production(record["url"]) if record.get("url") else None,
        "canonical_url": record.get("canonical_url"),
        "etag": etag,
        "last_modified": modified,
        "warc_filename": record.get("warc_filename"),
        "warc_record_id": record.get("warc_record_id"),
        "warc_payload_digest": record.get("warc_payload_digest"),
        "last_run": record.get("run_id"),
    }


def _requisites(store: StateStore, pointers: dict, fetched_from: dict, editions: Editions) -> int:
    requisites = 0
    for entry in pointers.values():
        url = entry.get("url") or ""
        if entry.get("mime") in HTML_MIMES or url.endswith("/robots.txt"):
            continue
        ts = entry["_ts"]
        first = _iso(f"{ts[:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:14]}Z")
        status = int(entry["status"]) if str(entry.get("status", "")).isdigit() else 0
        mapping = fetched_from.get(entry.get("filename") or "", editions)
        store.record_requisite(mapping.to_production(url), status, first)
        requisites += 1
    return requisites


def _items(
    store: StateStore, seen: _Lines, warc_dir: Path, pointers: dict, fetched_from: dict, editions
) -> int:
    gone = 0
    for item_id, record in seen.newest.items():
        mapping = fetched_from.get(record.get("warc_filename") or "", editions)
        where = pointers.get(record.get("warc_record_id"))
        row = {**_item_row(record, where, warc_dir, mapping), **seen.seen_as(record)}
        tomb = seen.gone.get(item_id)
        if tomb and (tomb["run_id"], tomb.get("detected_at") or "") >= (
            record.get("run_id") or "",
            record.get("last_seen") or "",
        ):
            row.update(status="gone", last_checked=tomb.get("detected_at"))
            gone += 1
        store.upsert_item(row)
    for (run_id, item_id), (done, lines) in seen.sighted.items():
        store.put_sighted(run_id, item_id, done, lines)
    return gone


def rebuild_state(output_dir: Path, editions: Editions) -> dict[str, int]:
    """Write a new state store beside the old one and move it into place; the old files are
    kept as `state.sqlite3.broken-<time>`. The caller holds OUTPUT_DIR's lock."""
    warc_dir = output_dir / "warc"
    target = output_dir / STATE_FILE
    temp = output_dir / (STATE_FILE + ".rebuild")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{temp}{suffix}").unlink(missing_ok=True)
    reports = _reports(output_dir)
    infos, fetched_from = _warc_infos(warc_dir)
    run_ids = record_run_ids(output_dir) | set(reports)

    counts = {"runs": 0, "unfinished_runs": 0, "lines": 0, "items": 0, "gone": 0}
    store = StateStore(temp)
    try:
        with store.transaction():
            _runs(store, run_ids, reports, infos, counts)
            seen = _Lines()
            for run_id in sorted(run_ids):
                counts["lines"] += seen.read(store, output_dir, run_id)
            pointers = {e.get("warc-record-id"): e for e in _cdxj_entries(warc_dir)}
            counts["gone"] = _items(store, seen, warc_dir, pointers, fetched_from, editions)
            counts["items"] = len(seen.newest)
            counts["requisites"] = _requisites(store, pointers, fetched_from, editions)
    finally:
        store.close()

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for suffix in ("", "-wal", "-shm"):
        old = Path(f"{target}{suffix}")
        if old.exists():
            os.replace(old, f"{target}.broken-{stamp}{suffix}")
    os.replace(temp, target)
    fd = os.open(output_dir, os.O_RDONLY)
    try:
        os.fsync(fd)  # the rename is durable before the command says it is done
    finally:
        os.close(fd)
    return counts
