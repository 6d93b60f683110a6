"""WarcMiddleware: every HTTP exchange into the WARC files, before Scrapy changes the response.

Priority 950 puts it nearest the downloader, above HttpCacheMiddleware (900), HttpCompression (590),
Redirect (600) and Retry (550): its process_response runs first, so it sees the body still
content-encoded and every 3xx/4xx/5xx before it is followed, retried or filtered, plus robots.txt
(fetched through the same middleware chain).

What is stored, and what is reconstructed (also written into each file's warcinfo record):
- response: status and headers as Scrapy received them, payload = entity body before content
  decoding. Twisted's HTTP/1.1 client keeps connection headers (Transfer-Encoding, Connection,
  Keep-Alive) away from Scrapy and de-chunks the body; Scrapy re-adds Content-Length from the
  parsed length. So payloads are stored de-chunked and without a Transfer-Encoding header, with
  `X-Archive-Orig-Transfer-Encoding: chunked` added where the body came chunked (see
  was_dechunked); a Transfer-Encoding header that another download handler passes through is
  renamed to that too, because the stored body is never chunk-framed.
- request: rebuilt from the Request after every middleware's process_request (the headers Scrapy
  hands to the HTTP client) plus the Host header Twisted adds; not captured from the wire.
- revisit records only for a 304 (server-not-modified) or a payload digest already archived for
  the same URL (identical-payload-digest); anything else is a full response record.

The pointer of the record written for a response reaches the callback through request.meta
(response.meta is request.meta): warc_filename, warc_record_id, warc_payload_digest.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import socket
import sqlite3
import subprocess
from datetime import UTC, datetime
from http import HTTPStatus
from importlib import metadata
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import Request, signals
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.misc import load_object
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date

from crawler import __version__ as CRAWLER_VERSION
from crawler.run import get_run, is_write_failure, opens_run, run_closing, stop_for_write_failure
from crawler.warc import integrity
from crawler.warc.index import DigestIndex, Original
from crawler.warc.writer import WarcFileWriter

logger = logging.getLogger(__name__)

DEFAULT_MAX_SIZE = 1_000_000_000  # 1 GB, the usual IIPC/Heritrix rotation size
META_FILENAME = "warc_filename"
META_RECORD_ID = "warc_record_id"
META_PAYLOAD_DIGEST = "warc_payload_digest"
META_DATE = "warc_date"  # WARC-Date: the record's fetched_at, so re-extraction reproduces it

PROFILE_IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"

# Settings copied into every warcinfo record: what shaped the crawl.
WARCINFO_SETTINGS = (
    "USER_AGENT",
    "ROBOTSTXT_OBEY",
    "DOWNLOAD_DELAY",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "AUTOTHROTTLE_ENABLED",
    "CRAWL_PROFILE",
    # What a profile changes (crawler.profile): the values in force, not settings.py's.
    "CONCURRENT_REQUESTS",
    "HONOUR_CRAWL_DELAY",
    "RETRY_TIMES",
    "RETRY_BACKOFF_BASE",
    "RETRY_BACKOFF_MAX",
    "RETRY_AFTER_MAX",
    "DOWNLOAD_TIMEOUT",
    "EDITION_URL_VI",
    "EDITION_URL_EN",
    "WARC_MAX_SIZE",
    # What decides which requests a run makes: a replay (crawler.reextract) must decide alike.
    "FETCH_REQUISITES",
    "RECHECK_WINDOW_DAYS",
    "RECHECK_BUDGET",
    "INCREMENTAL_OVERLAP_PAGES",
    "MAX_IMAGES_PER_PAGE",
    "MEDIA_MAX_BYTES",
    "EXTRA_DISCOVERY",
    "INCREMENTAL_SITEMAPS",
    # What shapes the records: a replay must cut bodies alike.
    "MAX_BODY_CHARS",
)


WARC_1_1_SPEC = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
ROBOTS_OBEYED = (
    "robots.txt obeyed per RFC 9309 (crawler.politeness.RobotsMiddleware): 4xx = allowed, 5xx or"
    " timeout = back off and retry, then stop as site unavailable; Crawl-delay {crawl_delay}; its"
    " robots.txt fetches are archived like any response"
)
# What the records are and are not, for whoever reads these files in twenty years.
CAPTURE_NOTES = {
    "request-records": (
        "reconstructed from Scrapy's Request after all downloader middlewares (method, path,"
        " headers as handed to the HTTP client, plus the Host header Twisted adds); not captured"
        " from the wire"
    ),
    "response-records": (
        "status, headers and body as Scrapy's downloader delivered them, before decompression,"
        " redirects and retries; payload = entity body with its Content-Encoding; the reason"
        " phrase is the standard one for the code (Scrapy drops the server's); header names as"
        " normalized by Twisted/Scrapy"
    ),
    "transfer-encoding": (
        "Twisted's HTTP/1.1 client de-chunks bodies and withholds Transfer-Encoding, Connection and"
        " Keep-Alive from Scrapy; payloads are stored de-chunked, without chunk framing and without"
        " a Transfer-Encoding header. 'X-Archive-Orig-Transfer-Encoding: chunked' is added where"
        " the body came chunked (inferred: no Content-Length, and the body did not end by"
        " connection close); a Transfer-Encoding header that does reach Scrapy is stored under"
        " that name too. Content-Length is the one Scrapy reports (the server's; absent for"
        " chunked or close-delimited bodies; 0 for 204/304/HEAD)"
    ),
    "revisit-policy": (
        "revisit only for a 304 (server-not-modified) or a payload digest already archived for the"
        " same URL in this folder (identical-payload-digest, non-empty GET bodies); otherwise a"
        " full response record. A server-not-modified revisit that refers to an archived"
        " original has no HTTP block (the 304's headers are not kept), so replay shows the"
        " original"
    ),
    "capture-time": "WARC-Date is the real clock when the response reached Scrapy, not REFERENCE_NOW",
}


def payload_digest(payload: bytes) -> str:
    """sha1 in base32, the form warcio writes and checks."""
    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode("ascii")


class RawHeaders(StatusAndHeaders):
    """Headers written back byte for byte.

    warcio percent-encodes non-ASCII header values; decoding as latin-1 and encoding back the same
    way keeps the bytes the server sent (a Vietnamese filename in Content-Disposition, say).
    """

    def compute_headers_buffer(self, header_filter: Any = None) -> None:
        self.headers_buff = self.to_str(header_filter).encode("latin-1") + b"\r\n"


def _pairs(headers: Any) -> list[tuple[str, str]]:
    out = []
    for name, values in headers.items():
        key = name.decode("latin-1")
        for value in values:
            out.append((key, value.decode("latin-1")))
    return out


def response_headers(response: Response, dechunked: bool = False) -> RawHeaders:
    protocol = response.protocol or ""
    if not protocol.startswith("HTTP/"):
        protocol = "HTTP/2" if protocol == "h2" else "HTTP/1.1"
    try:
        # Scrapy does not keep the server's reason phrase; the standard one stands in.
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = ""
    pairs = [
        ("X-Archive-Orig-Transfer-Encoding", v) if k.lower() == "transfer-encoding" else (k, v)
        for k, v in _pairs(response.headers)
    ]
    if dechunked:
        pairs.append(("X-Archive-Orig-Transfer-Encoding", "chunked"))
    return RawHeaders(f"{response.status} {phrase}".rstrip(), pairs, protocol=protocol)


def was_dechunked(request: Request, response: Response) -> bool:
    """Whether Scrapy's HTTP/1.1 handler received this body chunked (it never says so directly).

    Twisted hides Transfer-Encoding and Content-Length from Scrapy, which re-adds Content-Length
    when the server sent one. A body without it either came chunked or ran until the connection
    closed, and the latter is flagged "partial" (Twisted's PotentialDataLoss). So: no
    Content-Length, a status and method that carry a body, and not "partial" => chunked.
    """
    if b"Content-Length" in response.headers or b"Transfer-Encoding" in response.headers:
        return False
    if request.method == "HEAD" or response.status in (204, 304) or response.status < 200:
        return False
    return "partial" not in response.flags


def request_headers(request: Request, protocol: str) -> RawHeaders:
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pairs = []
    if b"Host" not in request.headers:
        # What Twisted sends: the host, and the port only when it is not the scheme's default.
        default = {"http": 80, "https": 443}.get(parts.scheme)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        if parts.port and parts.port != default:
            host += f":{parts.port}"
        pairs.append(("Host", host))
    pairs += _pairs(request.headers)
    if request.body and b"Content-Length" not in request.headers:
        pairs.append(("Content-Length", str(len(request.body))))
    # warcio keeps a request line's first word (the method) in `protocol`.
    return RawHeaders(f"{request.method} {target} {protocol}", pairs, is_http_request=True)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def git_commit() -> str:
    """The crawler's commit, 'unknown' outside a git checkout; '+modified' for a dirty tree."""
    where = Path(__file__).resolve().parent
    # check=False: outside a checkout git fails, and that is 'unknown', not an error.
    run = {"cwd": where, "capture_output": True, "text": True, "timeout": 10}
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], check=False, **run)
        if head.returncode != 0:
            return "unknown"
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], check=False, **run
        )
        return head.stdout.strip() + ("+modified" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _is_http11(handler: Any) -> bool:
    if not handler:
        return False
    try:
        cls = load_object(handler) if isinstance(handler, str) else handler
    except (ImportError, NameError, ValueError):
        return False
    return isinstance(cls, type) and issubclass(cls, HTTP11DownloadHandler)


class WarcMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED", True):
            raise NotConfigured("WARC_ENABLED is off")
        if not opens_run(settings):  # `scrapy shell`, `fetch`, `parse`: nothing is archived
            raise NotConfigured("no run outside `scrapy crawl`")
        self.crawler = crawler
        self.run = get_run(crawler)  # the run id is read later: the run is opened after us
        self.max_size = settings.getint("WARC_MAX_SIZE", DEFAULT_MAX_SIZE)
        self.prefix = settings.get("WARC_PREFIX") or "baolongan"
        self.fsync_each_record = settings.getbool("WARC_FSYNC_EACH_RECORD", True)
        self.writer: WarcFileWriter | None = None
        self.index: DigestIndex | None = None
        self._warcinfo: list[tuple[str, str]] | None = None
        self._closing: Any = None
        # was_dechunked() knows the HTTP/1.1 handler's behaviour only; other handlers get no guess.
        handlers = settings.getwithbase("DOWNLOAD_HANDLERS")
        self._http11 = {scheme: _is_http11(handlers.get(scheme)) for scheme in ("http", "https")}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.run_closing, signal=run_closing)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcMiddleware:
        return cls(crawler)

    # --- lifecycle -----------------------------------------------------------------------------
    def spider_opened(self, spider: Any) -> None:
        self._start()

    def _start(self) -> None:
        if self.writer is not None:
            return
        directory = self.run.output_dir / "warc"
        directory.mkdir(parents=True, exist_ok=True)
        self.index = DigestIndex(directory / "digests.sqlite3")
        self.writer = WarcFileWriter(
            directory,
            warcinfo=self.warcinfo,
            prefix=self.prefix,
            max_size=self.max_size,
            fsync_each_record=self.fsync_each_record,
            stats=self.crawler.stats,
        )
        self.writer.recover(self.index)

    def run_closing(self, reason: str) -> None:
        if self.writer is not None:
            integrity.check(self.crawler, self.writer.dir, self.writer)

    def spider_closed(self, spider: Any, reason: str) -> None:
        try:
            if self.writer is not None:
                self.writer.close()
            if self.index is not None:
                self.index.close()
        except (OSError, sqlite3.Error) as error:
            # An unwritable folder: the next start closes what is left open (writer.recover).
            logger.error("the WARC files could not be closed cleanly: %s", error)

    def warcinfo(self) -> list[tuple[str, str]]:
        if self._warcinfo is None:
            self._warcinfo = self._build_warcinfo()
        return self._warcinfo

    def _build_warcinfo(self) -> list[tuple[str, str]]:
        s = self.crawler.settings
        obey = s.getbool("ROBOTSTXT_OBEY")
        software = (
            f"baolongan-crawler/{CRAWLER_VERSION} Scrapy/{scrapy.__version__}"
            f" warcio/{_version('warcio')} cdxj-indexer/{_version('cdxj-indexer')}"
        )
        fields = [
            ("software", software),
            ("format", "WARC File Format 1.1"),
            ("conformsTo", WARC_1_1_SPEC),
            ("isPartOf", self.run.run_id or "unknown"),
            # What a replay (crawler.reextract) needs to rebuild this run's records alike.
            ("run-signature", self.run.signature),
            ("run-mode", self.run.mode),
            ("reference-now", self.run.now().isoformat()),
            ("hostname", socket.gethostname()),
            ("crawler-version", CRAWLER_VERSION),
            ("crawler-git-commit", git_commit()),
            ("http-header-user-agent", s.get("USER_AGENT")),
            ("robots", "obey" if obey else "ignore"),
            # The policy in force: the loopback profile turns HONOUR_CRAWL_DELAY off.
            (
                "robots-policy",
                ROBOTS_OBEYED.format(
                    crawl_delay="honoured"
                    if s.getbool("HONOUR_CRAWL_DELAY", True)
                    else "ignored (HONOUR_CRAWL_DELAY off)"
                )
                if obey
                else "robots.txt not consulted",
            ),
        ]
        fields += [(f"setting-{name}", str(s.get(name))) for name in WARCINFO_SETTINGS]
        fields += list(CAPTURE_NOTES.items())
        fsync = "yes" if self.fsync_each_record else "no"
        fields.append(
            (
                "durability",
                "one gzip member per record, appended with a single write();"
                f" fsync per record: {fsync}; fsync before the .open file is renamed",
            )
        )
        return fields

    # --- archiving -----------------------------------------------------------------------------
    def process_request(self, request: Request) -> None:
        # A redirect or retry copies the meta of the request before it; its pointer named the
        # 3xx/5xx. Cleared here, a pointer only ever describes the response to this request.
        for key in (META_FILENAME, META_RECORD_ID, META_PAYLOAD_DIGEST, META_DATE):
            request.meta.pop(key, None)

    async def process_response(self, request: Request, response: Response) -> Response:
        if "cached" in response.flags:  # from HttpCacheMiddleware: not fetched now
            return response
        self._start()
        try:
            pointer = await self.archive(request, response)
        # sqlite3: the digest index can be the first write to fail, after the WARC write landed.
        except (OSError, sqlite3.Error) as error:
            self.crawler.stats.inc_value("warc/errors")
            if is_write_failure(error):
                # OUTPUT_DIR takes no more writes: the run stops (resumably) and the response is
                # dropped unarchived; the resumed run fetches the page again.
                stop_for_write_failure(self.crawler, error)
                raise IgnoreRequest(f"not archived: {error}") from None
            logger.exception("WARC write failed for %s; closing the crawl", response.url)
            # Crawling on without an archive would produce records with no pointers.
            if self._closing is None and self.crawler.engine is not None:
                self._closing = deferred_from_coro(
                    self.crawler.engine.close_spider_async(reason="warc_write_failed")
                )
            raise
        request.meta.update(pointer)
        return response

    async def archive(self, request: Request, response: Response) -> dict[str, str | None]:
        assert self.writer is not None and self.index is not None
        url = response.url
        payload = response.body
        digest = payload_digest(payload)
        now = datetime.now(UTC)
        date = datetime_to_iso_date(now.replace(tzinfo=None), use_micros=True)
        http_headers = response_headers(
            response,
            self._http11.get(urlsplit(url).scheme, False) and was_dechunked(request, response),
        )
        warc_headers = _response_warc_headers(response, date)
        original = None
        if response.status == 304:
            original = self.index.latest(url)
            record = self._revisit(url, PROFILE_NOT_MODIFIED, original, http_headers, warc_headers)
        elif request.method == "GET" and payload and (original := self.index.find(url, digest)):
            record = self._revisit(url, PROFILE_IDENTICAL, original, http_headers, warc_headers)
        else:
            warc_headers["WARC-Payload-Digest"] = digest
            record = self.writer.builder.create_warc_record(
                url,
                "response",
                payload=BytesIO(payload),
                length=len(payload),
                http_headers=http_headers,
                warc_headers_dict=warc_headers,
            )
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        req_record = self.writer.builder.create_warc_record(
            url,
            "request",
            payload=BytesIO(request.body),
            length=len(request.body),
            http_headers=request_headers(request, http_headers.protocol),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id},
        )
        # gzip, write and fsync on the writer's thread; awaited, so the record is on disk before
        # the callback sees its pointer (crawler/warc/writer.py).
        written = await maybe_deferred_to_future(self.writer.write_later([record, req_record]))

        if record.rec_type == "revisit":
            self.crawler.stats.inc_value("warc/revisits")
            if original is not None:
                self.index.seen(url, original.digest, date)
            kept_digest = original.digest if original is not None else None
        else:
            self.crawler.stats.inc_value("warc/responses")
            self.index.add(
                Original(url, digest, record_id, written.filename, written.offsets[0], date)
            )
            kept_digest = digest
        return {
            META_FILENAME: written.filename,
            META_RECORD_ID: record_id,
            META_PAYLOAD_DIGEST: kept_digest,
            META_DATE: date,
        }

    def _revisit(
        self,
        url: str,
        profile: str,
        original: Original | None,
        http_headers: RawHeaders,
        warc_headers: dict[str, str],
    ) -> Any:
        headers = dict(warc_headers)
        headers["WARC-Profile"] = profile
        if original is not None:
            # The payload this revisit stands for: where to find it, and its digest.
            headers["WARC-Refers-To"] = original.record_id
            headers["WARC-Refers-To-Target-URI"] = original.url
            headers["WARC-Refers-To-Date"] = original.date
            headers["WARC-Payload-Digest"] = original.digest
        if profile == PROFILE_NOT_MODIFIED and original is not None:
            # No HTTP block: replay tools (pywb) then serve the original's status, headers and
            # payload. With the 304's own headers, the newest capture of every unchanged page
            # replays as an empty "304 Not Modified". The 304's headers are not kept.
            http_headers = None
        # Built directly rather than with create_revisit_record: a 304 for a URL never archived
        # here has nothing to refer to, and warcio's helper insists on a digest.
        return self.writer.builder.create_warc_record(
            url, "revisit", http_headers=http_headers, warc_headers_dict=headers
        )


def _response_warc_headers(response: Response, date: str) -> dict[str, str]:
    """WARC-Date, the server's address, and WARC-Truncated when the body did not arrive whole."""
    warc_headers = {"WARC-Date": date}
    if response.ip_address is not None:
        warc_headers["WARC-IP-Address"] = str(response.ip_address)
    if "dataloss" in response.flags:  # DOWNLOAD_FAIL_ON_DATALOSS off and the body was cut
        warc_headers["WARC-Truncated"] = "disconnect"
    elif "download_stopped" in response.flags:  # a StopDownload from a signal handler
        warc_headers["WARC-Truncated"] = "unspecified"
    return warc_headers
