"""WARC files on disk: IIPC names, rotation, crash-safe appends, closing, and crash recovery.

A file is written as `<name>.warc.gz.open` and renamed to `<name>.warc.gz` when closed, so a
finished name is always a finished file. Every record is its own gzip member, serialized in
memory and appended with one write(): a SIGKILL leaves at most one torn member at the end of an
`.open` file, which `recover()` cuts off on the next start before closing the file properly.

Closing = fsync, rename, fsync the folder, then (on a worker thread, so a 1 GB file's sha256 and
CDXJ do not stall the crawl) a manifest line and the CDXJ index. A crash between the rename and
those two is repaired on the next start by `recover()` too.

In a crawl, `write_later()` does the gzip, the write and the fsync on the writer's own thread
(zlib, write and fsync release the GIL, so they run beside the reactor instead of stalling it):
one thread, so records land in the order they were handed over; the caller awaits the result, so
a record is on disk before its callback runs, as with `write()`.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from twisted.internet import defer
from twisted.python.failure import Failure
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import crashpoints
from crawler.warc.index import (
    DigestIndex,
    append_manifest,
    cdxj_path,
    read_manifest,
    sha256_file,
    write_cdxj,
)

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"
GZIP_LEVEL = 6
WARC_VERSION = "WARC/1.1"
FILENAME_RE = re.compile(
    r"^(?P<prefix>.+?)-(?P<ts>\d{17})-(?P<serial>\d{5,})-(?P<host>[^/]+)\.warc\.gz$"
)


def file_order(name: str) -> tuple:
    """Sort key: creation time, then serial (names of other shapes last, by name)."""
    m = FILENAME_RE.match(name.removesuffix(OPEN_SUFFIX))
    if not m:
        return ("~", 0, name)
    return (m["ts"], int(m["serial"]), name)


def closed_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.warc.gz"), key=lambda p: file_order(p.name))


def _hostname() -> str:
    # The host is the last name part; keep it to characters that need no quoting anywhere.
    return re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname()) or "localhost"


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Written:
    """Where one write() put its records: the file's final name and each record's offset/length."""

    filename: str
    offsets: list[int]
    lengths: list[int]


class WarcFileWriter:
    def __init__(
        self,
        directory: Path,
        *,
        warcinfo: Callable[[], list[tuple[str, str]]],
        prefix: str = "baolongan",
        max_size: int = 1_000_000_000,
        fsync_each_record: bool = False,
        stats: Any = None,
    ) -> None:
        self.dir = directory
        self.prefix = prefix
        self.max_size = max_size
        self.fsync_each_record = fsync_each_record
        self.warcinfo = warcinfo
        self.stats = stats
        self.hostname = _hostname()
        # Records are built uncompressed and gzipped here: warcio's own gzip runs at level 9,
        # ~10x slower than level 6 on uncompressed HTML (40 vs 4 ms for a 78 KB page, measured)
        # for 1-2% smaller files, and this runs on the reactor thread.
        self.builder = WARCWriter(None, gzip=False, warc_version=WARC_VERSION)
        # serialize() has its own: records are built on the reactor while the appender serializes.
        self._serializer = WARCWriter(None, gzip=False, warc_version=WARC_VERSION)
        self._appender: ThreadPoolExecutor | None = None  # write_later()'s one thread
        self._fd: int | None = None
        self._name: str | None = None  # final name of the open file
        self._size = 0
        self._serial: int | None = None
        self._finisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warc-close")
        self._finishing: list[Future] = []
        # Files this writer opened that vanished while open (deleted by someone else): records
        # already pointing into them are reported (crawler.warc.integrity), never listed.
        self.lost: list[str] = []

    # --- records -----------------------------------------------------------------------------
    def serialize(self, record: ArcWarcRecord) -> bytes:
        """One record as one complete gzip member."""
        buf = BytesIO()
        self._serializer.out = buf
        self._serializer.write_record(record)
        gz = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        return gz.compress(buf.getbuffer()) + gz.flush()

    def write(self, records: Iterable[ArcWarcRecord]) -> Written:
        """Append records (e.g. a response and its request) to the current file with one write()."""
        blobs = [self.serialize(r) for r in records]
        self.check_current()
        if self._fd is None:
            self._open()
        name, offsets = self._append(blobs)
        if self._size >= self.max_size:
            self._close_current()
        return Written(name, offsets, [len(b) for b in blobs])

    def write_later(self, records: Iterable[ArcWarcRecord]) -> defer.Deferred:
        """write() on the writer's own thread; the Deferred fires on the reactor with Written (or
        the write's error). Every write of a crawl goes through here, so the file state is only
        ever touched by that thread until close()."""
        if self._appender is None:
            self._appender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warc-append")
        # Imported here: importing the reactor at module level would install Twisted's default
        # one before Scrapy installs the asyncio reactor.
        from twisted.internet import reactor

        d: defer.Deferred = defer.Deferred()

        def fire(result: Any) -> None:
            if isinstance(result, Failure):
                d.errback(result)
            else:
                d.callback(result)

        def done(future: Future) -> None:
            error = future.exception()
            reactor.callFromThread(fire, Failure(error) if error else future.result())

        self._appender.submit(self.write, list(records)).add_done_callback(done)
        return d

    def _append(self, blobs: list[bytes]) -> tuple[str, list[int]]:
        assert self._fd is not None and self._name is not None
        start = self._size
        data = b"".join(blobs)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view) :]
            if self.fsync_each_record:
                os.fsync(self._fd)
        except OSError:
            # Disk full or similar: take the partial member back out, so the file stays valid
            # and the next record does not land after garbage.
            os.ftruncate(self._fd, start)
            raise
        offsets, pos = [], start
        for blob in blobs:
            offsets.append(pos)
            pos += len(blob)
        self._size = pos
        self._inc("warc/records", len(blobs))
        self._inc("warc/bytes", len(data))
        return self._name, offsets

    def _inc(self, key: str, n: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, n)

    # --- files -------------------------------------------------------------------------------
    def _next_serial(self) -> int:
        if self._serial is None:
            serials = [
                int(m["serial"])
                for p in self.dir.iterdir()
                if (m := FILENAME_RE.match(p.name.removesuffix(OPEN_SUFFIX)))
                and m["prefix"] == self.prefix
            ]
            self._serial = max(serials, default=-1) + 1
        serial = self._serial
        self._serial += 1
        return serial

    def _open(self) -> None:
        now = datetime.now(UTC)
        stamp = now.strftime("%Y%m%d%H%M%S") + f"{now.microsecond // 1000:03d}"
        name = f"{self.prefix}-{stamp}-{self._next_serial():05d}-{self.hostname}.warc.gz"
        path = self.dir / (name + OPEN_SUFFIX)
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
        self._name, self._size = name, 0
        self._inc("warc/files")
        self._append([self.serialize(self._warcinfo_record(name))])
        logger.info("WARC file opened: %s", path)

    def _warcinfo_record(self, filename: str) -> ArcWarcRecord:
        # warcio's create_warcinfo_record takes a dict; warc-fields may repeat names and
        # should keep our order, so the block is built here.
        block = "".join(f"{k}: {v}\r\n" for k, v in self.warcinfo() if v not in (None, ""))
        payload = block.encode("utf-8")
        headers = StatusAndHeaders("", [], protocol=WARC_VERSION)
        headers.add_header("WARC-Type", "warcinfo")
        headers.add_header("WARC-Record-ID", self.builder._make_warc_id())
        headers.add_header("WARC-Filename", filename)
        headers.add_header("WARC-Date", self.builder.curr_warc_date())
        return self.builder.create_warc_record(
            "", "warcinfo", warc_headers=headers, payload=BytesIO(payload), length=len(payload)
        )

    def check_current(self) -> None:
        """Give up the open file if it was deleted under us: writing on into an unlinked file
        would lose every record silently. The next write opens a new file."""
        if self._fd is None or self._name is None:
            return
        if os.fstat(self._fd).st_nlink and (self.dir / (self._name + OPEN_SUFFIX)).exists():
            return
        name = self._name
        os.close(self._fd)
        self._fd = self._name = None
        self.lost.append(name)
        self._inc("warc/lost_files")
        logger.error("WARC file %s was deleted while open: its records are lost", name)

    def _close_current(self) -> None:
        self.check_current()
        if self._fd is None or self._name is None:
            return
        fd, name = self._fd, self._name
        self._fd = self._name = None
        # fsync before the rename: a closed name must never point at bytes still in flight.
        os.fsync(fd)
        os.close(fd)
        crashpoints.reached("warc_rotation", self.dir.parent)
        final = self.dir / name
        os.replace(self.dir / (name + OPEN_SUFFIX), final)
        _fsync_dir(self.dir)
        self._finishing.append(self._finisher.submit(finish_file, final))

    def close(self) -> None:
        """Close the current file and wait for every manifest line and CDXJ index."""
        if self._appender is not None:
            self._appender.shutdown(wait=True)  # the writes handed over land first
            self._appender = None
        try:
            self._close_current()  # fails in an unwritable folder: recover() closes it later
        finally:
            self._finisher.shutdown(wait=True)
            for fut in self._finishing:
                if exc := fut.exception():  # repaired by recover() on the next start
                    logger.error("finishing a WARC file failed: %r", exc)
            self._finishing.clear()

    # --- recovery ------------------------------------------------------------------------------
    def recover(self, index: DigestIndex | None = None) -> list[str]:
        """Close what a killed run left open and finish files closed without manifest or CDXJ.

        Runs before this run writes anything (the run lock keeps other runs out of the folder).
        Returns the names of the recovered `.open` files.
        """
        recovered = []
        for tmp in self.dir.glob("*.cdxj.tmp"):
            tmp.unlink()
        for path in sorted(self.dir.glob("*.warc.gz" + OPEN_SUFFIX)):
            name = path.name.removesuffix(OPEN_SUFFIX)
            size = path.stat().st_size
            good = valid_prefix(path)
            if index is not None:
                index.forget_from(name, good)
            if good == 0:
                logger.warning("removing %s: no complete record", path.name)
                path.unlink()
                continue
            with open(path, "rb+") as fh:
                fh.truncate(good)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(path, self.dir / name)
            _fsync_dir(self.dir)
            logger.warning("recovered %s from a killed run: kept %d of %d bytes", name, good, size)
            recovered.append(name)
            self._inc("warc/recovered_files")
        in_manifest = read_manifest(self.dir)
        for path in closed_files(self.dir):
            if path.name not in in_manifest or not cdxj_path(path).exists():
                finish_file(path, manifest=path.name not in in_manifest)
        return recovered


def finish_file(path: Path, manifest: bool = True) -> None:
    """The after-close steps: a sha256 manifest line, then the CDXJ index."""
    if manifest:
        append_manifest(path.parent, path.name, sha256_file(path))
    write_cdxj(path)
    logger.info("WARC file closed: %s", path.name)


def gzip_member_ends(path: Path) -> list[int]:
    """End offsets of the complete gzip members at the start of the file (CRC and size checked)."""
    ends: list[int] = []
    pos = 0  # file offset of the first byte of `pending`
    pending = b""
    d = zlib.decompressobj(zlib.MAX_WBITS | 16)
    with open(path, "rb") as fh:
        while True:
            if not pending:
                pending = fh.read(1 << 20)
                if not pending:
                    return ends
            try:
                # Output is discarded; max_length keeps memory flat on very compressible data.
                d.decompress(pending, 1 << 20)
                while d.unconsumed_tail and not d.eof:
                    d.decompress(d.unconsumed_tail, 1 << 20)
            except zlib.error:
                return ends
            if d.eof:
                rest = d.unused_data
                pos += len(pending) - len(rest)
                ends.append(pos)
                pending = rest
                d = zlib.decompressobj(zlib.MAX_WBITS | 16)
            else:
                pos += len(pending)
                pending = b""


def valid_prefix(path: Path) -> int:
    """Length of the longest prefix made of complete records whose digests check out.

    Two passes: gzip member boundaries (a torn member fails its CRC/length trailer), then warcio
    over the records in those members, tracking offsets, so a member that is whole but is not a
    whole WARC record is cut too.
    """
    ends = gzip_member_ends(path)
    if not ends:
        return 0
    limit, boundaries = ends[-1], set(ends)
    good = 0
    with open(path, "rb") as fh:
        it = ArchiveIterator(_Limited(fh, limit), check_digests=True)
        try:
            for record in it:
                it.read_to_end(record)
                if record.digest_checker.passed is False:
                    break
                end = it.get_record_offset() + it.get_record_length()
                if end not in boundaries:
                    break
                good = end
        except Exception as exc:  # any parse error ends the valid prefix
            logger.warning("%s: records end at %d (%r)", path.name, good, exc)
    return good


class _Limited:
    """A read-only view of the first `limit` bytes of a file (warcio needs read and tell)."""

    def __init__(self, fh: Any, limit: int) -> None:
        self.fh, self.limit = fh, limit

    def read(self, size: int = -1) -> bytes:
        left = self.limit - self.fh.tell()
        if left <= 0:
            return b""
        return self.fh.read(left if size is None or size < 0 else min(size, left))

    def tell(self) -> int:
        return self.fh.tell()
