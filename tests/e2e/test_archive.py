"""The WARC archive of a real crawl, checked against what the replica's access log says it served.

One crawl of a small replica with a tiny WARC_MAX_SIZE, so files rotate several times, and a
refresh crawl into the same folder (conditional requests: 304s, archived as revisits). Then:
every served response has a WARC record with the payload sha1 the server logged; a CDXJ lookup
leads to a record whose payload is those bytes and decodes to the page the replica serves;
files, CDXJ indexes and the sha256 manifest agree; `warcio check` passes; every article
record's pointer resolves to its response and re-extracts to the same content; and pywb (in its
own virtualenv, see pywb_support) replays an archived article from the WARC files with its text.
Last, a crawl SIGKILLed mid-write and resumed leaves files that pass `warcio check` again.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import html
import json
import os
import re
import signal
import subprocess
import sys
import time
import unicodedata
import urllib.request
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.editions import Editions
from crawler.extract import build_record
from crawler.items import content_hash
from crawler.profile import PROFILES
from crawler.warc.archive import get_header, lookup, resolve
from crawler.warc.index import MANIFEST, read_manifest, sha256_file
from crawler.warc.middleware import PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED, payload_digest
from crawler.warc.writer import OPEN_SUFFIX, closed_files
from tests.e2e import pywb_support
from tests.support import (
    ROOT,
    ReplicaHandle,
    article_records,
    crawl_command,
    folded_records,
    replica,
    run_crawl,
)

pytestmark = pytest.mark.e2e

ARTICLES = 150
SEED = 3
WARC_MAX_SIZE = 300_000  # ~2.5 MB of WARC for this site: several rotations
WARCIO = Path(sys.executable).with_name("warcio")
KILL_WARC_MAX_SIZE = 100_000
EMPTY_SHA1 = hashlib.sha1(b"").hexdigest()


@dataclass
class Capture:
    """One response or revisit record, read straight from the WARC files with warcio."""

    url: str
    status: int
    rec_type: str
    profile: str | None
    sha1: str  # hex sha1 of the payload the record stands for (b"" for a 304)
    headers: list[tuple[str, str]]
    filename: str
    offset: int
    record_id: str
    consistent: bool  # a response's WARC-Payload-Digest is its payload's; a revisit has no payload
    date: str  # WARC-Date
    digest: str | None  # WARC-Payload-Digest
    refers_to: str | None  # a revisit's WARC-Refers-To


@dataclass
class Archive:
    rep: ReplicaHandle
    out: Path
    exit_codes: list[int]  # the first crawl's, the refresh's
    access: list[dict]  # the access log right after the crawls (later tests fetch pages too)
    records: list[dict]
    irregular: set[tuple[str, str]]  # (edition, path) the replica serves irregularly
    captures: list[Capture] = field(default_factory=list)

    @property
    def warc_dir(self) -> Path:
        return self.out / "warc"

    @property
    def files(self) -> list[Path]:
        return closed_files(self.warc_dir)

    def url(self, entry: dict) -> str:
        """The URL the crawler fetched for an access-log entry (its edition's replica host)."""
        return {"vi": self.rep.vi, "en": self.rep.en}[entry["edition"]] + entry["path"]

    def where(self, url: str) -> tuple[str, str]:
        """(edition, path) of a fetched URL, as the access log names it."""
        for edition, base in (("vi", self.rep.vi), ("en", self.rep.en)):
            if url.startswith(base + "/"):
                return edition, url[len(base) :]
        raise AssertionError(f"not a replica URL: {url}")


def b32_to_hex(digest: str) -> str:
    algo, _, value = digest.partition(":")
    assert algo == "sha1", digest
    return base64.b32decode(value).hex()


def read_captures(files: list[Path]) -> list[Capture]:
    out = []
    for path in files:
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for record in it:
                if record.rec_type not in ("response", "revisit"):
                    continue
                rh = record.rec_headers
                profile = rh.get_header("WARC-Profile")
                payload = record.raw_stream.read()
                if record.rec_type == "response":
                    sha1 = hashlib.sha1(payload).hexdigest()
                    consistent = payload_digest(payload) == rh.get_header("WARC-Payload-Digest")
                else:
                    consistent = payload == b""
                    if profile == PROFILE_NOT_MODIFIED:
                        sha1 = EMPTY_SHA1  # a 304 has no body
                    else:  # identical-payload-digest: stands for the payload of that digest
                        sha1 = b32_to_hex(rh.get_header("WARC-Payload-Digest") or "sha1:")
                # A revisit may also be written with no HTTP block: a 304's status is its profile.
                http = record.http_headers
                code = http.get_statuscode() if http else None
                status = int(code) if code else (304 if profile == PROFILE_NOT_MODIFIED else 0)
                out.append(
                    Capture(
                        url=rh.get_header("WARC-Target-URI"),
                        status=status,
                        rec_type=record.rec_type,
                        profile=profile,
                        sha1=sha1,
                        headers=list(http.headers) if http else [],
                        filename=path.name,
                        offset=it.get_record_offset(),
                        record_id=rh.get_header("WARC-Record-ID"),
                        consistent=consistent,
                        date=rh.get_header("WARC-Date"),
                        digest=rh.get_header("WARC-Payload-Digest"),
                        refers_to=rh.get_header("WARC-Refers-To"),
                    )
                )
    return out


def run_of(path: Path) -> str:
    """The run a WARC file belongs to: `isPartOf` of its warcinfo record."""
    with open(path, "rb") as fh:
        info = next(iter(ArchiveIterator(fh)))
        fields = info.content_stream().read().decode("utf-8")
    return next(
        line.split(":", 1)[1].strip()
        for line in fields.splitlines()
        if line.startswith("isPartOf:")
    )


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    folder = tmp_path_factory.mktemp("archive")
    with replica(folder / "replica", articles=ARTICLES, seed=SEED) as rep:
        out = folder / "out"
        settings = {"WARC_MAX_SIZE": WARC_MAX_SIZE}
        # The first crawl, then a refresh: every article is re-checked with a conditional request.
        codes = [run_crawl(rep, out, settings=settings, timeout=300).returncode for _ in range(2)]
        manifest = json.loads(rep.manifest.read_text(encoding="utf-8"))
        arc = Archive(
            rep=rep,
            out=out,
            exit_codes=codes,
            access=rep.access(),
            records=folded_records(out),  # `edition` as the latest view has it
            irregular={(e["edition"], e["path"]) for e in manifest["entries"]},
        )
        arc.captures = read_captures(arc.files)
        yield arc


def _fail_log(arc: Archive) -> str:
    return (arc.out / "crawl.log").read_text(errors="replace")[-3000:]


def test_crawls_finish_and_rotate(archive):
    assert archive.exit_codes[0] in (0, 3), _fail_log(archive)
    assert archive.exit_codes[1] in (0, 3), _fail_log(archive)
    assert archive.records, "no records written"
    assert not list(archive.warc_dir.glob("*.open")), "a WARC file left open"
    assert len(archive.files) >= 3, f"only {len(archive.files)} WARC files: rotation did not happen"


def test_every_served_response_is_archived_with_the_sha1_sent(archive):
    """Access log and WARC records match one to one on (URL, status, payload sha1).

    Nothing is legitimately unarchived in these crawls: no HTTP cache, no kill, and no download
    timeout (the slowest replica answer takes 1.2 s), so every request the replica answered reached
    the WARC middleware. 304s are revisits standing for an empty body; a repeated payload of the
    same URL is an identical-payload-digest revisit standing for the payload's sha1.
    """
    assert all(e["method"] == "GET" for e in archive.access)
    served = Counter((archive.url(e), e["status"], e["sha1"]) for e in archive.access)
    archived = Counter((c.url, c.status, c.sha1) for c in archive.captures)
    unarchived = served - archived
    unserved = archived - served
    assert not unarchived, (
        f"{sum(unarchived.values())} served, not archived: {list(unarchived)[:5]}"
    )
    assert not unserved, f"{sum(unserved.values())} archived, never served: {list(unserved)[:5]}"
    assert sum(served.values()) == len(archive.access) == len(archive.captures)
    assert sum(e["status"] == 304 for e in archive.access) >= 50, "the refresh sent few 304s"
    for c in archive.captures:
        assert c.consistent, f"payload digest wrong, or a revisit with a payload: {c}"
        if c.status == 304:
            assert c.rec_type == "revisit" and c.profile == PROFILE_NOT_MODIFIED, c
        elif c.rec_type == "revisit":
            assert c.profile == PROFILE_IDENTICAL, c
            assert any(
                o.rec_type == "response" and o.url == c.url and o.sha1 == c.sha1
                for o in archive.captures
            ), f"revisit without its original: {c}"


def test_every_304_revisit_refers_to_the_payload_archived_before(archive):
    """A 304 says "what you have is current": its revisit names the response archived before for
    the same URL (WARC-Refers-To, and that payload's digest), so replay has a body to show."""
    by_id = {c.record_id: c for c in archive.captures}
    dangling = []
    for c in archive.captures:
        if c.status != 304:
            continue
        original = by_id.get(c.refers_to or "")
        if original is None:
            dangling.append(c.url)
            continue
        assert original.rec_type == "response" and original.status == 200, c
        assert original.url == c.url and original.digest == c.digest, c
        assert original.date < c.date, c
    assert not dangling, f"{len(dangling)} 304 revisits refer to nothing: {dangling}"


def test_transfer_codings_are_recorded_as_served(archive):
    """Content-Encoding as sent is kept; a chunked body is flagged X-Archive-Orig-Transfer-Encoding."""

    def served(e):
        return (archive.url(e), e["status"], e["sha1"], e["content_encoding"], e["chunked"])

    def archived(c):
        te = get_header(c.headers, "X-Archive-Orig-Transfer-Encoding")
        return (c.url, c.status, c.sha1, get_header(c.headers, "Content-Encoding"), te == "chunked")

    assert Counter(map(served, archive.access)) == Counter(map(archived, archive.captures))
    assert any(e["chunked"] for e in archive.access), "the replica sent nothing chunked"
    assert any(e["content_encoding"] == "gzip" for e in archive.access)


def _plain_articles(arc: Archive) -> list[dict]:
    """Article records fetched with a 200 once (and 304s after), from a page served without
    irregularities, in the first crawl."""
    statuses: dict[tuple[str, str], list[int]] = {}
    for e in arc.access:
        statuses.setdefault((e["edition"], e["path"]), []).append(e["status"])
    out = []
    for r in arc.records:
        where = arc.where(r["url"])
        seen = [s for s in statuses[where] if s != 304]
        if r["type"] == "article" and where not in arc.irregular and seen == [200]:
            out.append(r)
    return out


def _charset(headers: list[tuple[str, str]]) -> str | None:
    for part in (get_header(headers, "Content-Type") or "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip().strip('"')
    return None


def test_cdxj_lookup_leads_to_the_bytes_served(archive):
    """For every article: the CDXJ capture of its URL is the record its pointer names, its payload
    has the sha1 of the bytes the replica logged for that request, and it decodes to the page."""
    served: dict[str, set[str]] = {}
    for e in archive.access:
        if e["status"] == 200:
            served.setdefault(archive.url(e), set()).add(e["sha1"])
    editions = Editions(archive.rep.vi, archive.rep.en)
    for r in archive.records:
        hits = [h for h in lookup(archive.warc_dir, r["url"]) if h.status == 200]
        assert hits, f"no 200 capture of {r['url']} through the CDXJ"
        hit = next((h for h in hits if h.record_id == r["warc_record_id"]), None)
        assert hit is not None, f"the CDXJ does not lead to {r['warc_record_id']} ({r['url']})"
        assert hit.filename == r["warc_filename"]
        assert hashlib.sha1(hit.payload).hexdigest() in served[r["url"]], r["url"]
        encoding = get_header(hit.headers, "Content-Encoding")
        assert hit.body == (gzip.decompress(hit.payload) if encoding == "gzip" else hit.payload)
        extracted, _, _ = build_record(hit.body, _charset(hit.headers), hit.url, editions)
        assert content_hash(extracted) == r["content_hash"], r["url"]


_ANCHOR = re.compile(rb"<a\b[^>]*>.*?</a>", re.S)


def _common_prefix(a: bytes, b: bytes) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def test_archived_page_is_the_page_the_replica_serves(archive):
    """The decoded archived body equals a fresh fetch of the page, except for the "most read" box,
    which the replica varies between visits: the two differ in one spot of a few links only."""
    editions = Editions(archive.rep.vi, archive.rep.en)
    plain = _plain_articles(archive)
    picks = [next(r for r in plain if r["edition"] == ed) for ed in ("vi", "en")]
    for r in picks:
        (hit,) = [h for h in lookup(archive.warc_dir, r["url"]) if h.status == 200]
        req = urllib.request.Request(r["url"], headers={"Accept-Encoding": "identity"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(req, timeout=30) as resp:
            fresh = resp.read()
        old = hit.body
        prefix, suffix = _common_prefix(old, fresh), _common_prefix(old[::-1], fresh[::-1])
        assert len(old) - prefix - suffix < 3000, f"archived page differs widely: {r['url']}"
        assert _ANCHOR.sub(b"", old) == _ANCHOR.sub(b"", fresh), r["url"]
        extracted, _, _ = build_record(fresh, _charset(hit.headers), r["url"], editions)
        assert content_hash(extracted) == r["content_hash"]


def test_files_have_cdxj_and_manifest_lines_that_match(archive):
    files = archive.files
    manifest = read_manifest(archive.warc_dir)
    lines = (archive.warc_dir / MANIFEST).read_text("ascii").splitlines()
    assert len(lines) == len(files), "one manifest line per closed file"
    assert manifest == {p.name: sha256_file(p) for p in files}
    by_file: dict[str, list[Capture]] = {}
    for c in archive.captures:
        by_file.setdefault(c.filename, []).append(c)
    for path in files:
        cdxj = path.with_name(path.name + ".cdxj")
        assert cdxj.exists(), f"no CDXJ for {path.name}"
        entries = [json.loads(line.split(" ", 2)[2]) for line in cdxj.read_text().splitlines()]
        indexed = {(e["warc-record-id"], int(e["offset"])) for e in entries}
        assert all(e["filename"] == path.name for e in entries)
        # Every response and revisit record is indexed at its own offset.
        assert {(c.record_id, c.offset) for c in by_file[path.name]} <= indexed
    # Rotation: in each run, every file but the last reached WARC_MAX_SIZE; no file grew past it
    # by more than the last write (a response and its request): its last record started below.
    runs: dict[str, list[Path]] = {}
    for path in files:
        runs.setdefault(run_of(path), []).append(path)
    assert len(runs) == 2, runs.keys()
    for run_files in runs.values():
        for path in run_files[:-1]:
            assert path.stat().st_size >= WARC_MAX_SIZE, path.name
    for path in files:
        last = max(c.offset for c in by_file[path.name])
        assert last < WARC_MAX_SIZE, path.name
        with open(path, "rb") as fh:
            first = next(iter(ArchiveIterator(fh)))
        assert first.rec_type == "warcinfo"
        assert first.rec_headers.get_header("WARC-Filename") == path.name


def test_warcio_check_passes_on_every_file(archive):
    files = archive.files
    check = subprocess.run(
        [str(WARCIO), "check", "-v", *map(str, files)], capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
    # -v lists each file checked: none was left out.
    assert all(p.name in check.stdout for p in files), check.stdout[-2000:]


def test_every_record_pointer_resolves_to_its_response(archive):
    editions = Editions(archive.rep.vi, archive.rep.en)
    assert archive.records
    for r in archive.records:
        got = resolve(archive.warc_dir, r["warc_filename"], r["warc_record_id"])
        assert got is not None, (r["id"], r["warc_filename"], r["warc_record_id"])
        assert got.url == r["url"] and got.status == 200, r["id"]
        assert got.payload is not None and payload_digest(got.payload) == r["warc_payload_digest"]
        assert got.payload_digest == r["warc_payload_digest"]
        assert r["fetched_at"] == got.date[:19] + "Z", "fetched_at is the capture time"
        extracted, _, _ = build_record(got.body, _charset(got.headers), got.url, editions)
        assert content_hash(extracted) == r["content_hash"], r["id"]


def _visible_text(body: bytes, charset: str | None) -> str:
    text = html.unescape(body.decode(charset or "utf-8"))
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def pywb(archive, tmp_path_factory):
    """Starts pywb on the archive when a test first calls it (a missing pywb fails that test),
    with two collections: "archive" indexed by pywb itself, "crawler" by the crawler's CDXJ."""
    with contextlib.ExitStack() as stack:
        started: list[pywb_support.Wayback] = []

        def server() -> pywb_support.Wayback:
            if not started:
                root = tmp_path_factory.mktemp("pywb")
                pywb_support.add_collection(root, "archive", archive.files)
                pywb_support.add_collection_with_cdxj(root, "crawler", archive.files)
                started.append(stack.enter_context(pywb_support.wayback(root)))
            return started[0]

        yield server


def _replay_picks(archive: Archive) -> list[dict]:
    plain = _plain_articles(archive)
    # A Vietnamese title with diacritics, and an English article.
    return [
        next(r for r in plain if r["edition"] == "vi" and not r["title"].isascii()),
        next(r for r in plain if r["edition"] == "en"),
    ]


def _check_replay(wb: pywb_support.Wayback, stamp: str, r: dict, archived) -> None:
    for coll in ("archive", "crawler"):
        # id_: the archived response as it was (pywb undoes Content-Encoding).
        status, headers, body = wb.get(f"/{coll}/{stamp}id_/{r['url']}")
        assert status == 200, (coll, r["url"], stamp, status, headers, body[:300])
        assert headers.get("Memento-Datetime"), headers
        assert body == archived.body, f"{coll}: replayed bytes differ from the archive"
        assert r["title"] in _visible_text(body, _charset(archived.headers)), r["title"]
        # mp_: the page rewritten for replay still carries the article's text.
        status, _, body = wb.get(f"/{coll}/{stamp}mp_/{r['url']}")
        assert status == 200, (coll, r["url"], stamp, status)
        assert r["title"] in _visible_text(body, _charset(archived.headers)), r["title"]


def _stamp(warc_date: str) -> str:
    return re.sub(r"\D", "", warc_date)[:14]


def test_pywb_replays_an_archived_article(archive, pywb):
    """pywb serves archived articles from the WARC files on loopback, indexed by pywb itself and
    by the crawler's own CDXJ files: the bytes archived, with the article's title text."""
    wb = pywb()
    for r in _replay_picks(archive):
        got = resolve(archive.warc_dir, r["warc_filename"], r["warc_record_id"])
        _check_replay(wb, _stamp(got.date), r, got)


def test_pywb_replays_an_unchanged_article_at_its_refresh_capture(archive, pywb):
    """After a refresh, the newest capture of an unchanged article is its 304 revisit: replayed at
    that time (what pywb shows by default, the latest), it is the page archived before."""
    wb = pywb()
    for r in _replay_picks(archive):
        got = resolve(archive.warc_dir, r["warc_filename"], r["warc_record_id"])
        (revisit,) = [c for c in archive.captures if c.url == r["url"] and c.status == 304]
        assert revisit.refers_to == r["warc_record_id"]
        _check_replay(wb, _stamp(revisit.date), r, got)


# --- SIGKILL mid-write -------------------------------------------------------------------------
def _iso_now() -> str:
    """The access log's time format."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _last_member(path: Path) -> bytes:
    """The last complete gzip member (one record) of a WARC file."""
    data, start, pos = path.read_bytes(), 0, 0
    while pos < len(data):
        d = zlib.decompressobj(zlib.MAX_WBITS | 16)
        d.decompress(data[pos:])
        start, pos = pos, len(data) - len(d.unused_data)
    return data[start:]


def _start_crawl(rep: ReplicaHandle, out: Path) -> subprocess.Popen:
    """The English edition only (a third of the pages), rotating three times as often."""
    out.mkdir(parents=True, exist_ok=True)
    settings = {"WARC_MAX_SIZE": KILL_WARC_MAX_SIZE}
    with open(out / "crawl.log", "ab") as log:
        return subprocess.Popen(
            crawl_command(rep, out, "edition=en", settings=settings),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )


def test_sigkill_mid_write_then_resume_leaves_a_valid_archive(archive, tmp_path):
    """A crawl SIGKILLed while a WARC file is open, with a record torn in the middle as a kill
    mid-write leaves it: closed files pass `warcio check` right away; the same command resumes,
    cuts the torn record, closes the file, and the archive is valid and complete again. The only
    requests served but not archived are the killed process's last ones, in flight at the kill."""
    rep, out = archive.rep, tmp_path / "out"
    warc_dir = out / "warc"
    logged_before = len(rep.access())
    proc = _start_crawl(rep, out)
    deadline = time.monotonic() + 120
    leftover = None
    while leftover is None:
        assert proc.poll() is None, "the crawl ended before it could be killed mid-file"
        assert time.monotonic() < deadline, "the crawl never rotated twice"
        if warc_dir.exists() and len(closed_files(warc_dir)) >= 2:
            proc.send_signal(signal.SIGSTOP)  # stopped, it can neither write nor rotate
            opened = list(warc_dir.glob("*" + OPEN_SUFFIX))
            if opened and opened[0].stat().st_size > KILL_WARC_MAX_SIZE // 3:
                leftover = opened[0]
                break
            proc.send_signal(signal.SIGCONT)
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = _iso_now()
    kept = leftover.stat().st_size
    with open(leftover, "ab") as fh:  # half a record: what a kill inside write() leaves
        torn = _last_member(leftover)
        fh.write(torn[: len(torn) // 2])

    closed = closed_files(warc_dir)
    check = subprocess.run(
        [str(WARCIO), "check", *map(str, closed)], capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 0, "closed files invalid after the kill: " + check.stdout[-2000:]

    resumed_at = _iso_now()
    proc = _start_crawl(rep, out)
    assert proc.wait(timeout=300) in (0, 3), (out / "crawl.log").read_text()[-3000:]

    files = closed_files(warc_dir)
    assert not list(warc_dir.glob("*" + OPEN_SUFFIX)), "a WARC file left open"
    recovered = warc_dir / leftover.name.removesuffix(OPEN_SUFFIX)
    assert recovered in files and recovered.stat().st_size == kept, "only the torn record is cut"
    check = subprocess.run(
        [str(WARCIO), "check", *map(str, files)], capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
    assert read_manifest(warc_dir) == {p.name: sha256_file(p) for p in files}
    assert all(p.with_name(p.name + ".cdxj").exists() for p in files)

    # Access log against the archive: the killed process's in-flight requests are the only gap.
    log = rep.access()[logged_before:]
    served = Counter((archive.url(e), e["status"], e["sha1"]) for e in log)
    before_resume = Counter(
        (archive.url(e), e["status"], e["sha1"]) for e in log if e["time"] < resumed_at
    )
    archived = Counter((c.url, c.status, c.sha1) for c in read_captures(files))
    unserved = archived - served
    assert not unserved, f"archived, never served: {list(unserved)[:5]}"
    unarchived = served - archived
    in_flight = PROFILES["loopback"]["CONCURRENT_REQUESTS"]
    assert sum(unarchived.values()) <= in_flight, f"{unarchived} (killed at {killed_at})"
    assert not unarchived - before_resume, "a request of the resumed run was not archived"
    archived_urls = {url for url, _, _ in archived}
    never = {archive.url(e) for e in log} - archived_urls
    assert not never, f"served to the killed run, never archived after resuming: {never}"

    records = article_records(out)
    assert records and len({r["id"] for r in records}) == len(records), "an id written twice"
    assert {r["id"] for r in records} == {r["id"] for r in archive.records if r["edition"] == "en"}
    for r in records:
        got = resolve(warc_dir, r["warc_filename"], r["warc_record_id"])
        assert got is not None, (r["id"], r["warc_filename"])
        assert got.payload_digest == r["warc_payload_digest"], r["id"]
