"""The offline replica of Báo Long An: both editions, generated on request, deterministic per seed.

It is a site, not a fixture of the crawler: it never imports `crawler`, and its truth file comes from
its own data model (what it meant to publish), never from parsing its own HTML. Everything
`docs/site.md` marks unknown varies with the seed (chrome template per edition, class names,
where title/date/lead sit, meta tags / JSON-LD / canonical present or absent, English section slugs
and names, one extra Vietnamese section, album section slug, listing link style, pagination style,
page size, wrong-slug behaviour).

Command line
    python -m tests.replica --port-vi P1 --port-en P2 [--articles N] [--seed S] [--epoch K]
        [--today YYYY-MM-DD] [--truth PATH] [--access-log PATH] [--manifest PATH] [--break FIELD]...
        [--crawl-delay SECONDS] [--slugless resolve|strict] [--no-irregular] [--chrome-seed N]
        [--unlisted K] [--id-span N]
    Port 0 picks a free port. When ready it prints one JSON line
    {"vi": "http://127.0.0.1:P1", "en": "http://127.0.0.1:P2", "pid": ..., "seed": ..., ...}
    (the truth file, when asked for, is complete before that line). SIGTERM/SIGINT: clean exit 0.
    `--chrome-seed N` (any int) draws every page of both editions -- home, listings, articles,
    albums, static and 404 pages -- in a chrome generated from N (`generated.py`: vocabulary,
    nesting, where title/date/lead/byline sit, side boxes, widgets inside the body, listing,
    pagination and caption forms). The truth file is the same with or without it (only `_chrome`
    names the chrome); the ready line gains "chrome_seed" and the manifest's config gains
    "chrome_seed", "base_chrome" and "chrome_choices". Without it nothing changes.
    `--unlisted K` hides K live epoch-0 articles (drawn from the seed; never an irregular, retitled,
    cross-posted, edited or deleted one, nor one a translation's Source: line names) from every
    listing, the home pages, side boxes ("most read", "newest", related) and other articles' bodies
    (the body keeps its other draws, only the link goes): only an id probe reaches them. They still
    answer on their URLs and the truth file still lists them; the manifest gains
    "unlisted": {"article_ids", "ids"} and the ready line "unlisted". `--id-span N` spreads the
    base ids over N ids instead of 5,900-197,500 (manifest "id_span"), so a small replica has the
    dense id sequence of docs/site.md and its id gaps can be probed. Without them nothing changes.

Python API
    Replica(articles=200, seed=0, epoch=0, today="2025-06-30", breaks=(), slugless=None,
            irregular=True, crawl_delay=5.0, chrome_seed=None, unlisted=0, id_span=None)
        .truth_records() -> Iterator[dict]        every live article and album (contract truth shape)
        .write_truth(path) -> int
        .manifest(vi=None, en=None) -> dict       irregularities, redirects, gone ids, config, changes
        .respond(edition, method, path_qs, headers, attempt=1, rnd=None, base="") -> Response
              (status, headers, body bytes as sent, chunked, delay, irregular): the full HTTP answer
        .route(edition, path_qs, rnd=None) -> Page   the page alone (no irregularities / 304)
        .transfer_plan(edition, path_qs) -> {"gzip": bool, "chunked": bool}
        .site -> model.Site (positions, ids, articles, albums, sections, epoch tables)
        .chrome(edition) -> chrome.Chrome         the edition's chrome (generated.GeneratedChrome
              with chrome_seed; its `.choices` dict records every drawn choice)
        .render_article(ctx, article, rnd) / .render_listing(ctx, section, page, rnd) /
        .render_album(ctx, album, rnd) / .render_home(ctx, rnd) -> str, with ctx = .ctx(edition):
              one page without routing (benchmarks)
    serve_replica(folder, articles=200, seed=0, epoch=0, today="2025-06-30", extra=(), crawl_delay=0)
        context manager: runs `python -m tests.replica` in a subprocess with truth, access log and
        manifest under `folder`, yields a `Served(vi, en, pid, truth, access_log, manifest, proc)`,
        and stops it with SIGTERM on exit.

Time and epochs (`--today`, `--epoch K`)
    `--today` is "now": the newest epoch-0 article is published that day at 05:59; the R =
    min(max(60, 1.5% of N), N/3) articles before it are spread from 28 days before `--today` to
    the day before (the "recent" pool), the rest from 2015-01-05 to 31 days before `--today`
    (the "old" pool); ids and dates both grow with the position. Times of day fall in 05:30-22:30
    or 00:00-00:45, and one article sits at 00:30 on the first of a month. A couple of articles per
    1,000 (at least one) have no date anywhere (published_* null) and as many have no lead.
    Epoch k (cumulative, epoch K applies 1..K) makes exactly:
      * NEW 12 articles (9 vi, 3 en; the j-th of the epoch is English when j % 4 == 3), dated
        `--today` from 06:00 at 4-minute steps, ids above every older id, on top of the listings;
      * EDIT 6 articles: 4 published within the 30 days before `--today` (kinds title, body, caption,
        title) and 2 older (body, caption). A title edit changes the slug: the old URL answers 301
        to the new one (and bodies that linked it keep the old URL). Edits bump ETag/Last-Modified;
      * DELETE 4 articles: 2 recent, 2 old; they answer 404 and leave the listings.
    Edited/deleted articles are chosen among epoch-0 articles, never the irregular ones, never
    twice. Albums do not change with epochs.

Irregularities (deterministic per (edition, path, attempt); listed in the manifest "entries")
    status    500/503 with `Retry-After: 1` on the first attempt(s), 200 after (3 articles, 1 listing
              page 2, 1 album)
    slow      0.8-1.2 s before answering (2 articles, 1 listing page)
    nfd       the whole page in NFD (3 articles, 1 listing, 1 album)
    charset_lie  UTF-8 bytes, header `text/html; charset=ISO-8859-1`, meta utf-8 (1 vi article with đ)
    cp1258    header and meta windows-1258, bytes in cp1258 with combining tone marks (1 vi article)
    redirect  301 from each previous slug of a retitled article (1.5% pre-crawl + epoch title edits)
    gone      404 for ghosts (1 base id in 100, deleted before epoch 0) and epoch deletions, each
              with the body links that still point at it
    gzip (most text responses when Accept-Encoding allows) and chunked transfer (about 1 in 6 text
    responses) follow `Replica.transfer_plan`. `--no-irregular` switches everything off but gzip.
"""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .pages import Replica, Response

__all__ = ["Replica", "Response", "Served", "serve_replica"]

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Served:
    vi: str
    en: str
    pid: int
    truth: Path
    access_log: Path
    manifest: Path
    proc: subprocess.Popen

    def truth_records(self) -> list[dict]:
        with open(self.truth, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def access(self) -> list[dict]:
        if not self.access_log.exists():
            return []
        with open(self.access_log, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def manifest_data(self) -> dict:
        return json.loads(self.manifest.read_text(encoding="utf-8"))


@contextlib.contextmanager
def serve_replica(
    folder: str | Path,
    articles: int = 200,
    seed: int = 0,
    epoch: int = 0,
    today: str = "2025-06-30",
    extra: tuple[str, ...] | list[str] = (),
    crawl_delay: float = 0,
) -> Iterator[Served]:
    """Run the replica server in a subprocess on free loopback ports for the duration of the block."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    truth, log, manifest = folder / "truth.jsonl", folder / "access.jsonl", folder / "manifest.json"
    cmd = [
        sys.executable, "-m", "tests.replica", "--port-vi", "0", "--port-en", "0",
        "--articles", str(articles), "--seed", str(seed), "--epoch", str(epoch), "--today", today,
        "--truth", str(truth), "--access-log", str(log), "--manifest", str(manifest),
        "--crawl-delay", str(crawl_delay), *extra,
    ]  # fmt: skip
    err = open(folder / "replica.err", "wb")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        line = proc.stdout.readline()
        if not line:
            proc.wait(timeout=10)
            raise RuntimeError(f"replica did not start: {(folder / 'replica.err').read_text()}")
        ready = json.loads(line)
        yield Served(ready["vi"], ready["en"], ready["pid"], truth, log, manifest, proc)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        err.close()
        if proc.stdout:
            proc.stdout.close()
