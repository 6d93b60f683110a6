"""Replay: serve a crawl from the WARC files instead of the network, for offline re-extraction.

`python -m crawler.reextract` runs the ordinary spider and pipelines once per archived run, with this
download handler in place of HTTP: every request is answered with the response archived for that
URL in that run (in capture order, so a 503 is followed by the 200 that the retry got). The same
code that made the records thus rebuilds them from the archive alone — no network, no state store.

Why a download handler and not a WARC-reading script: sections, urls_seen, editions, versions and
tombstones come from the spider's routing and the pipelines' merging; replaying responses through
them reuses that logic instead of re-implementing it.
"""

from __future__ import annotations

import logging
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

from scrapy import Request
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from w3lib.url import canonicalize_url
from warcio.archiveiterator import ArchiveIterator

from crawler import editions as urls
from crawler.context import crawl_context
from crawler.warc.archive import read_record
from crawler.warc.writer import closed_files

logger = logging.getLogger(__name__)

# Headers the archive adds or that describe the transfer, not the entity Scrapy should see.
_DROP = {"x-archive-orig-transfer-encoding", "transfer-encoding"}


@dataclass(frozen=True)
class Capture:
    filename: str
    offset: int


def warcinfo_of(path: Path) -> dict[str, str]:
    """The fields of a WARC file's warcinfo record (its first record)."""
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "warcinfo":
                break
            text = record.content_stream().read().decode("utf-8", "replace")
            return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)
    return {}


def archived_runs(warc_dir: Path) -> list[tuple[str, dict[str, str]]]:
    """(run id, warcinfo) of every run in the folder, in the order the runs began."""
    runs: dict[str, dict[str, str]] = {}
    for path in closed_files(warc_dir):
        info = warcinfo_of(path)
        run_id = info.get("isPartOf")
        if run_id and run_id not in runs:
            runs[run_id] = info
    return list(runs.items())


class ReplayIndex:
    """Where each URL's captures of one run are, in capture order."""

    def __init__(self, warc_dir: Path, run_id: str) -> None:
        self.warc_dir = warc_dir
        self.by_url: dict[str, deque[Capture]] = defaultdict(deque)
        self.by_item: dict[str, str] = {}
        for path in closed_files(warc_dir):
            if warcinfo_of(path).get("isPartOf") != run_id:
                continue
            with open(path, "rb") as fh:
                it = ArchiveIterator(fh)
                for record in it:
                    if record.rec_type not in ("response", "revisit"):
                        continue
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    key = canonicalize_url(url)
                    self.by_url[key].append(Capture(path.name, it.get_record_offset()))
                    self.by_item.setdefault(_item_key(url), url)
        if not self.by_url:
            raise NotConfigured(f"no archived responses of run {run_id} in {warc_dir}")

    def archived_url(self, url: str) -> str:
        """The URL the live run fetched this item through, when it reached it by another link:
        link discovery order varies between runs, the archive has one URL per item."""
        if canonicalize_url(url) in self.by_url:
            return url
        return self.by_item.get(_item_key(url), url)

    def next_capture(self, url: str) -> Capture | None:
        queue = self.by_url.get(canonicalize_url(url))
        if not queue:
            return None
        # The last capture answers any further request (a duplicate the live run did not make).
        return queue.popleft() if len(queue) > 1 else queue[0]


def _item_key(url: str) -> str:
    """The item a URL names (crawler/editions.py), else the URL itself."""
    return urls.item_id(url) or canonicalize_url(url)


class ReplayDownloadHandler(BaseDownloadHandler):
    """DOWNLOAD_HANDLERS entry for http and https while REPLAY_WARC_DIR is set."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.index = replay_index(crawler)

    async def download_request(self, request: Request) -> Response:
        stats = self.crawler.stats
        capture = self.index.next_capture(request.url)
        if capture is None:
            stats.inc_value("replay/missing")
            logger.warning("replay: %s was not archived in this run", request.url)
            return Response(request.url, status=404, request=request, flags=["replay-missing"])
        archived = read_record(self.index.warc_dir, capture.filename, capture.offset)
        headers = Headers([(k, v) for k, v in archived.headers if k.lower() not in _DROP])
        body = archived.payload or b""
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        # The pointer a live crawl's WarcMiddleware would have set, so records keep theirs.
        request.meta.update(
            warc_filename=archived.filename,
            warc_record_id=archived.record_id,
            warc_payload_digest=archived.payload_digest,
            warc_date=archived.date,
        )
        stats.inc_value("replay/responses")
        return cls(
            url=request.url,
            status=archived.status,
            headers=headers,
            body=body,
            request=request,
            flags=["replay"],
        )


def replay_index(crawler: Crawler) -> ReplayIndex:
    """One index per crawl, shared by the handler and the spider."""
    settings = crawler.settings
    return crawl_context(crawler).component(
        ReplayIndex,
        lambda: ReplayIndex(Path(settings["REPLAY_WARC_DIR"]), settings["REPLAY_RUN_ID"]),
    )
