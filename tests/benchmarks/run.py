"""The benchmark suite: throughput, refresh cost, memory, politeness and the time to archive the
real site, measured side by side in one run against the replica; prints figures and ratios and
writes tests/benchmarks/RESULTS.md.

    python -m tests.benchmarks.run            # make bench: 10,000 / 50,000 articles (~40 min on 2 idle cores)
    python -m tests.benchmarks.run --quick    # make bench-quick: small sizes, a few minutes

Every request is counted from the replica's access log; CPU seconds and peak RSS of each crawl
are those of that one process (wait4), the replica's CPU is metered separately. A script, not a
test: figures are printed and recorded, never asserted (house style); goals are marked met or
missed in RESULTS.md.

Runs (each against a fresh replica process, `--no-irregular`: no 5xx, slow pages or charset
tricks, so that both sides of a comparison get the same answers):
  1  throughput  full crawl of T articles, page requisites on, under tests.benchmarks.timed_crawl
                 (per-component CPU), then the bare Scrapy spider (tests.benchmarks.bare_spider) on
                 the same requests in the same order; build_record timed again offline on the
                 bodies the crawl stored in its WARC files
  2+3 sizes      for each size N: a full crawl (page requisites off, so that 50,000 articles fit
                 the time budget: peak RSS), a refresh against the same site, a refresh after one
                 replica epoch (12 new articles, 6 edits, 4 deletions); at one size also a full crawl
                 with WARC off (the WARC's cost). The throughput crawl is refreshed too (requisites on).
  4  politeness  a crawl at default settings (no loopback profile), stopped after a few minutes
  5  estimate    the real site at the measured polite rate
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.benchmarks import harness as h
from tests.support import ROOT, read_jsonl

HERE = Path(__file__).resolve().parent
RESULTS_MD = HERE / "RESULTS.md"
RESULTS_DIR = HERE / "results"

FULL = {
    "mode": "full",
    "throughput": 10_000,
    "sizes": [1_000, 10_000, 50_000],
    "warc_pair": 10_000,
    "polite_seconds": 150,
    "polite_articles": 1_000,
    "offline_pages": 2_000,
    "items_probe_pages": 8_000,
}
QUICK = {
    "mode": "quick",
    "throughput": 1_000,
    "sizes": [300, 1_000, 2_000],
    "warc_pair": 1_000,
    "polite_seconds": 60,
    "polite_articles": 300,
    "offline_pages": 500,
    "items_probe_pages": 2_000,
}
SEED = 1
NEW_PER_EPOCH = 12  # tests.replica: each epoch adds 12 articles, edits 6, deletes 4

# Real site (docs/site.md): article ids from ~5,900 (2015) to ~197,500 (mid-2025).
REAL_ARTICLE_IDS = 200_000
REAL_LISTING_PAGE_SIZE = 15
REAL_IMAGES_PER_ARTICLE = (2.0, 3.0)


def log(msg: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {msg}", flush=True)


# --------------------------------------------------------------------------------------------
# Reading a crawl's output


def report_of(output_dir: Path) -> dict[str, Any]:
    reports = sorted((output_dir / "reports").glob("*.json"))
    if not reports:
        return {}
    return json.loads(reports[-1].read_text(encoding="utf-8"))


def tombstones_of(output_dir: Path, run_id: str | None) -> int:
    if not run_id:
        return 0
    return len(read_jsonl(output_dir / "records" / "tombstones" / f"{run_id}.jsonl"))


def _written(rep: dict[str, Any]) -> int | None:
    w = rep.get("records_written")
    if not isinstance(w, dict):
        return rep.get("record_count")
    return int(w.get("article", 0)) + int(w.get("album", 0))


def crawl_figures(
    m: h.Measured, entries: list[dict], output_dir: Path | None, log_path: Path
) -> dict[str, Any]:
    rep = report_of(output_dir) if output_dir else {}
    kinds = h.count_kinds(entries)
    out = {
        "wall_s": round(m.wall, 2),
        "cpu_s": round(m.cpu, 2),
        "cpu_user_s": round(m.cpu_user, 2),
        "cpu_sys_s": round(m.cpu_sys, 2),
        "peak_rss_mb": round(m.peak_rss / 2**20, 1),
        "returncode": m.returncode,
        "replica_cpu_s": round(m.server_cpu, 2),
        "requests": len(entries),
        "kinds": dict(kinds),
        "statuses": {str(k): v for k, v in sorted(h.statuses(entries).items())},
        "status": rep.get("status"),
        # records written by this run (new and changed items); record_count also counts the
        # items a refresh found unchanged
        "records": _written(rep),
        "items_seen": rep.get("record_count"),
        "run_id": rep.get("run_id"),
        "mode": rep.get("mode"),
    }
    if output_dir is not None:
        out["tombstones"] = tombstones_of(output_dir, rep.get("run_id"))
    return out


# --------------------------------------------------------------------------------------------
# 1. Throughput


def loopback_concurrency() -> dict[str, Any]:
    """What the bare spider mirrors: the loopback profile's concurrency, the crawler's
    CONCURRENT_ITEMS and STATS_CLASS (both change Scrapy's own cost per response) and the 1 ms
    slot-delay floor it puts on every downloader slot."""
    from crawler import settings as project
    from crawler.politeness.hosts import MIN_SLOT_DELAY
    from crawler.profile import PROFILES

    lb = PROFILES["loopback"]
    return {
        "concurrency": int(lb.get("CONCURRENT_REQUESTS", 16)),
        "per_host": int(lb.get("CONCURRENT_REQUESTS_PER_DOMAIN", 8)),
        "items": int(getattr(project, "CONCURRENT_ITEMS", 100)),
        "stats": str(getattr(project, "STATS_CLASS", "")),
        "delay": max(float(lb.get("DOWNLOAD_DELAY", 0)), MIN_SLOT_DELAY),
    }


def bare_command(urls: Path, conc: dict[str, Any], items: int | None = None) -> list[str]:
    return [
        sys.executable, "-m", "tests.benchmarks.bare_spider", str(urls),
        "--delay", str(conc["delay"]), "--concurrency", str(conc["concurrency"]),
        "--per-host", str(conc["per_host"]), "--items", str(items or conc["items"]),
        "--stats-class", conc.get("stats", ""),
    ]  # fmt: skip


def offline_build_record(output_dir: Path, vi: str, en: str, limit: int) -> dict[str, Any]:
    """crawler.extract.build_record on article/album bodies as stored in the crawl's WARCs."""
    from warcio.archiveiterator import ArchiveIterator

    from crawler.editions import Editions
    from crawler.extract import build_record

    editions = Editions(vi_base=vi, en_base=en)
    pages: list[tuple[bytes, str | None, str]] = []
    for path in sorted((output_dir / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type != "response":
                    continue
                url = rec.rec_headers.get_header("WARC-Target-URI") or ""
                bare = url.split("?", 1)[0]
                if not (h.ARTICLE_RE.search(bare) or h.ALBUM_RE.search(bare)):
                    continue
                if rec.http_headers is None or rec.http_headers.get_statuscode() != "200":
                    continue
                ctype = rec.http_headers.get_header("Content-Type") or ""
                charset = None
                for part in ctype.split(";")[1:]:
                    k, _, v = part.strip().partition("=")
                    if k.lower() == "charset" and v:
                        charset = v.strip().strip('"')
                pages.append((rec.content_stream().read(), charset, url))
                if len(pages) >= limit:
                    break
        if len(pages) >= limit:
            break
    if not pages:
        return {"pages": 0}
    build_record(*pages[0], editions)  # warm-up: imports, caches
    t0, w0 = time.process_time(), time.perf_counter()
    for body, charset, url in pages:
        build_record(body, charset, url, editions)
    cpu, wall = time.process_time() - t0, time.perf_counter() - w0
    return {
        "pages": len(pages),
        "mean_kib": round(sum(len(p[0]) for p in pages) / len(pages) / 1024, 1),
        "cpu_ms_per_page": round(1000 * cpu / len(pages), 3),
        "wall_ms_per_page": round(1000 * wall / len(pages), 3),
        "pages_per_cpu_s": round(len(pages) / cpu, 1),
    }


def throughput(plan: dict, work: Path) -> dict[str, Any]:
    n = plan["throughput"]
    conc = loopback_concurrency()
    res: dict[str, Any] = {"articles": n, "concurrency": conc}
    out = work / "throughput" / "ours"
    timings = work / "throughput" / "timings.json"
    with h.serve(work / "throughput" / "replica-ours", n, seed=SEED) as srv:
        log(f"1. throughput: full crawl of {n:,} articles (requisites on, WARC on, timed)")
        m = h.run_measured(h.crawl_command(srv, out, timed=timings), out / "crawl.log", srv)
        entries = srv.access()
        res["ours"] = crawl_figures(m, entries, out, out / "crawl.log")
        res["ours"]["rss_samples"] = m.rss_samples[:: max(1, len(m.rss_samples) // 200)]
        res["bases"] = {"vi": srv.vi, "en": srv.en}
        log(_brief("ours", res["ours"]))
        # A refresh of the same archive with requisites on (section 2 runs them off).
        res["refresh"] = refresh_pair(srv, out, work / "throughput", n, settings={})
    t = json.loads(timings.read_text(encoding="utf-8")) if timings.exists() else {}
    res["timings"] = t
    urls = work / "throughput" / "urls.txt"
    with h.serve(work / "throughput" / "replica-bare", n, seed=SEED) as srv:
        h.write_urls(entries, srv, urls)
        log(f"1. throughput: bare Scrapy spider on the same {len(entries):,} requests")
        mb = h.run_measured(bare_command(urls, conc), work / "throughput" / "bare.log", srv)
        res["bare"] = crawl_figures(mb, srv.access(), None, work / "throughput" / "bare.log")
        res["bare"]["records"] = res["ours"]["records"]
        log(_brief("bare", res["bare"]))
    probe = min(plan["items_probe_pages"], len(entries))
    if conc["items"] != 1 and probe:
        # Scrapy's per-response cost with CONCURRENT_ITEMS as configured and at 1, on the same
        # first `probe` requests (each against a fresh replica).
        res["items_probe"] = {}
        for items in (conc["items"], 1):
            sub = work / "throughput" / f"urls-items{items}.txt"
            with h.serve(work / "throughput" / f"replica-items{items}", n, seed=SEED) as srv:
                h.write_urls(entries[:probe], srv, sub)
                log(
                    f"1. throughput: bare spider, CONCURRENT_ITEMS={items}, first {probe:,} requests"
                )
                logf = work / "throughput" / f"bare-items{items}.log"
                mi = h.run_measured(bare_command(sub, conc, items=items), logf, srv)
                res["items_probe"][str(items)] = crawl_figures(mi, srv.access(), None, logf)
                log(_brief(f"bare items={items}", res["items_probe"][str(items)]))
    log(f"1. throughput: build_record offline on up to {plan['offline_pages']:,} stored bodies")
    res["offline_extract"] = offline_build_record(
        out, res["bases"]["vi"], res["bases"]["en"], plan["offline_pages"]
    )
    res["warc_bytes"] = sum(p.stat().st_size for p in (out / "warc").glob("*.warc.gz"))
    return res


def _brief(name: str, f: dict[str, Any]) -> str:
    return (
        f"   {name}: {f['requests']:,} requests, {f.get('records') or 0:,} records, "
        f"{f['wall_s']:.1f} s wall, {f['cpu_s']:.1f} CPU s, peak RSS {f['peak_rss_mb']:.0f} MB, "
        f"replica {f['replica_cpu_s']:.1f} CPU s, exit {f['returncode']}"
    )


# --------------------------------------------------------------------------------------------
# 2 + 3. Sizes: full crawl (memory), refreshes (requests)


NO_REQUISITES = {"FETCH_REQUISITES": "False"}


def refresh_pair(
    srv: h.Server, out: Path, folder: Path, n: int, settings: dict[str, str]
) -> dict[str, Any]:
    """Refresh `out` against the running epoch-0 site, then against the site at epoch 1."""
    res: dict[str, Any] = {}
    start = srv.log_lines()
    log(f"   refresh of the unchanged {n:,}-article site")
    m = h.run_measured(h.crawl_command(srv, out, settings=settings), out / "crawl.log", srv)
    res["unchanged"] = crawl_figures(m, srv.access(start), out, out / "crawl.log")
    log(_brief("refresh", res["unchanged"]) + f", kinds {res['unchanged']['kinds']}")
    with h.serve(folder / "replica-epoch1", n, seed=SEED, epoch=1) as srv1:
        log(f"   refresh after epoch 1 ({NEW_PER_EPOCH} new articles, 6 edits, 4 deletions)")
        m = h.run_measured(h.crawl_command(srv1, out, settings=settings), out / "crawl.log", srv1)
        res["epoch1"] = crawl_figures(m, srv1.access(), out, out / "crawl.log")
    log(_brief("refresh", res["epoch1"]) + f", kinds {res['epoch1']['kinds']}")
    return res


def sizes(plan: dict, work: Path, res: dict[str, Any], save: Any) -> dict[str, Any]:
    """Fills `res` size by size, calling `save()` after each."""
    for n in plan["sizes"]:
        folder = work / f"size-{n}"
        out = folder / "archive"
        row: dict[str, Any] = {"articles": n}
        with h.serve(folder / "replica", n, seed=SEED) as srv:
            log(f"2+3. full crawl of {n:,} articles (requisites off, WARC on)")
            m = h.run_measured(
                h.crawl_command(srv, out, settings=NO_REQUISITES), out / "crawl.log", srv
            )
            row["full"] = crawl_figures(m, srv.access(), out, out / "crawl.log")
            row["full"]["rss_samples"] = m.rss_samples[:: max(1, len(m.rss_samples) // 200)]
            row["warc_bytes"] = sum(p.stat().st_size for p in (out / "warc").glob("*.warc.gz"))
            log(_brief("full", row["full"]))
            row["refresh"] = refresh_pair(srv, out, folder, n, NO_REQUISITES)
        if n == plan["warc_pair"]:
            with h.serve(folder / "replica-nowarc", n, seed=SEED) as srv:
                log(f"2+3. full crawl of {n:,} articles with WARC_ENABLED=False")
                out2 = folder / "archive-nowarc"
                m = h.run_measured(
                    h.crawl_command(srv, out2, settings={**NO_REQUISITES, "WARC_ENABLED": "False"}),
                    out2 / "crawl.log",
                    srv,
                )
                row["nowarc"] = crawl_figures(m, srv.access(), out2, out2 / "crawl.log")
                log(_brief("no WARC", row["nowarc"]))
        res[str(n)] = row
        save()
    return res


# --------------------------------------------------------------------------------------------
# 4. Politeness


def politeness(plan: dict, work: Path) -> dict[str, Any]:
    folder = work / "polite"
    out = folder / "archive"
    secs = plan["polite_seconds"]
    with h.serve(folder / "replica", plan["polite_articles"], seed=SEED, crawl_delay=0) as srv:
        log(f"4. politeness: default settings (no loopback profile), stopped after {secs} s")
        m = h.run_measured(
            h.crawl_command(srv, out, profile=None), out / "crawl.log", srv, stop_after=secs
        )
        entries = srv.access()
    times = [h.parse_time(e["time"]) for e in entries]
    res: dict[str, Any] = {
        "seconds": secs,
        "crawl": crawl_figures(m, entries, out, out / "crawl.log"),
        "robots_crawl_delay": 0,
    }
    if len(times) >= 2:
        span = max(times) - min(times)
        res["span_s"] = round(span, 1)
        res["requests"] = len(times)
        res["per_minute"] = round(60 * (len(times) - 1) / span, 1) if span else None
        res["max_in_any_minute"] = h.longest_burst(times, 60.0)
        res["longest_burst_1s"] = h.longest_burst(times)
        per_edition = {}
        for ed in ("vi", "en"):
            ts = [t for t, e in zip(times, entries, strict=True) if e["edition"] == ed]
            per_edition[ed] = {"requests": len(ts), "longest_burst_1s": h.longest_burst(ts)}
        res["per_edition_port"] = per_edition
        gaps = sorted(b - a for a, b in zip(sorted(times), sorted(times)[1:], strict=False))
        res["gap_min_s"] = round(gaps[0], 3)
        res["gap_median_s"] = round(gaps[len(gaps) // 2], 3)
        # Concurrency seen by the server: requests whose [start, start+~0] overlap is unknown from
        # the log (it has one time per request), so the 1 s burst is the figure of record.
        res["cpu_ms_per_request"] = round(1000 * m.cpu / len(times), 1)
    from crawler import settings as project

    res["settings"] = {
        "DOWNLOAD_DELAY": project.DOWNLOAD_DELAY,
        "CONCURRENT_REQUESTS_PER_DOMAIN": project.CONCURRENT_REQUESTS_PER_DOMAIN,
        "AUTOTHROTTLE_ENABLED": project.AUTOTHROTTLE_ENABLED,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": project.AUTOTHROTTLE_TARGET_CONCURRENCY,
    }
    return res


# --------------------------------------------------------------------------------------------
# 5. Estimate


def estimate(results: dict[str, Any]) -> dict[str, Any]:
    pol = results.get("politeness") or {}
    tp = results.get("throughput") or {}
    rate = pol.get("per_minute")
    if not rate:
        return {}
    kinds = (tp.get("ours") or {}).get("kinds") or {}
    items = kinds.get("article", 0)
    listing_per_item = kinds.get("listing", 0) / items if items else 2 / REAL_LISTING_PAGE_SIZE
    req_per_item = kinds.get("requisite", 0) / items if items else 2.5
    articles = REAL_ARTICLE_IDS
    listings = round(articles * 2 / REAL_LISTING_PAGE_SIZE)
    lo_img, hi_img = REAL_IMAGES_PER_ARTICLE
    mid_img = (lo_img + hi_img) / 2
    requests = {
        "articles": articles,
        "listing_pages": listings,
        "images": round(articles * mid_img),
        "robots_home_css_js": 10,
    }
    total = sum(requests.values())
    one_host_days = total / rate / 60 / 24
    # Separate Scrapy download slots per host name: pages on baolongan.vn (~75 %) and
    # news.baolongan.vn (~25 %), images on www.baolongan.vn; each slot at the measured rate.
    en_share = 0.25
    pages = articles + listings
    images = articles * mid_img
    parallel = max(pages * (1 - en_share), images) / rate / 60 / 24
    return {
        "rate_per_minute": rate,
        "requests": requests,
        "total_requests": total,
        "days_one_host": round(one_host_days, 1),
        "days_low_images": round((total - articles * (mid_img - lo_img)) / rate / 1440, 1),
        "days_high_images": round((total + articles * (hi_img - mid_img)) / rate / 1440, 1),
        "days_parallel_hosts": round(parallel, 1),
        "images_parallel": round(images),
        "replica_listing_pages_per_item": round(listing_per_item, 3),
        "replica_requisites_per_item": round(req_per_item, 2),
        "crawler_cpu_ms_per_request_polite": pol.get("cpu_ms_per_request"),
    }


# --------------------------------------------------------------------------------------------
# Figures and goals


def per_k(cpu: float, pages: int) -> float:
    return 1000 * cpu / pages if pages else float("nan")


def analyse(results: dict[str, Any]) -> dict[str, Any]:
    """Ratios, breakdown and goal verdicts from the raw figures."""
    a: dict[str, Any] = {"goals": []}
    tp = results.get("throughput")
    if tp and tp.get("bare"):
        ours, bare = tp["ours"], tp["bare"]
        pages = ours["requests"]
        recs = ours["records"] or 0
        t = {
            "ours_records_s": recs / ours["wall_s"],
            "bare_records_s": recs / bare["wall_s"],
            "ours_pages_s": pages / ours["wall_s"],
            "bare_pages_s": bare["requests"] / bare["wall_s"],
            "ours_cpu_per_k": per_k(ours["cpu_s"], pages),
            "bare_cpu_per_k": per_k(bare["cpu_s"], bare["requests"]),
            "ours_replica_cpu_per_k": per_k(ours["replica_cpu_s"], pages),
            "bare_replica_cpu_per_k": per_k(bare["replica_cpu_s"], bare["requests"]),
        }
        t["ratio_wall"] = t["ours_records_s"] / t["bare_records_s"]
        t["ratio_cpu"] = t["bare_cpu_per_k"] / t["ours_cpu_per_k"]
        probe = tp.get("items_probe") or {}
        if len(probe) == 2:
            (k_hi, f_hi), (_, f_lo) = sorted(probe.items(), key=lambda kv: -int(kv[0]))
            t["items_probe"] = {
                "items": int(k_hi),
                "requests": f_hi["requests"],
                "cpu_per_k": per_k(f_hi["cpu_s"], f_hi["requests"]),
                "cpu_per_k_items1": per_k(f_lo["cpu_s"], f_lo["requests"]),
            }
        a["throughput"] = t
        a["breakdown"] = breakdown(tp, pages)
        a["goals"].append(
            {
                "n": 1,
                "what": f"throughput of a full crawl ({tp['articles']:,} articles) vs bare Scrapy",
                "figure": f"{100 * t['ratio_wall']:.0f} % of the ceiling in records/s "
                f"({t['ours_records_s']:.1f} vs {t['bare_records_s']:.1f}); "
                f"{100 * t['ratio_cpu']:.0f} % by CPU s per 1,000 pages",
                "goal": "≥ 60 %",
                "met": t["ratio_wall"] >= 0.6,
            }
        )
    sz = results.get("sizes") or {}
    if sz:
        rows = []
        for n, row in sorted(sz.items(), key=lambda x: int(x[0])):
            r0, r1 = row["refresh"]["unchanged"], row["refresh"]["epoch1"]
            rows.append((int(n), _non_recheck(r0), r0["kinds"]["recheck"], r1))
        base = [x[1] for x in rows]
        same = max(base) - min(base) <= max(2, 0.05 * max(base))
        extra = [(_non_recheck(r1) - b) / NEW_PER_EPOCH for _, b, _, r1 in rows]
        per_new_ok = all(0.5 <= e <= 1.5 for e in extra)
        a["goals"].append(
            {
                "n": 2,
                "what": "refresh requests, unchanged archive of "
                + " / ".join(f"{n:,}" for n, *_ in rows),
                "figure": " / ".join(str(b) for b in base)
                + " requests (re-checks apart: "
                + " / ".join(str(rc) for _, _, rc, _ in rows)
                + ")",
                "goal": "the same small number at every size",
                "met": same,
            }
        )
        a["goals"].append(
            {
                "n": 2,
                "what": f"refresh after {NEW_PER_EPOCH} new articles (epoch 1)",
                "figure": " / ".join(f"{e:+.2f}" for e in extra)
                + " requests per new article beyond the unchanged refresh (article pages "
                + " / ".join(
                    f"{(r1['kinds']['article'] - _r0(sz, n)['kinds']['article']) / NEW_PER_EPOCH:+.2f}"
                    for n, _, _, r1 in rows
                )
                + ", the rest listing pages; see section 2)",
                "goal": "about 1 per new article",
                "met": per_new_ok,
            }
        )
    mem = [(int(n), row) for n, row in sorted(sz.items(), key=lambda x: int(x[0]))]
    if len(mem) >= 2:
        (n1, r1), (n2, r2) = mem[-2], mem[-1]
        f1, f2 = r1["full"], r2["full"]
        growth = f2["peak_rss_mb"] / f1["peak_rss_mb"]
        exponent = math.log(growth) / math.log(n2 / n1)
        # Baseline: the same crawler process on the same archive doing almost nothing (the
        # unchanged refresh); what a full crawl holds beyond it is what grows with the site.
        base1 = r1["refresh"]["unchanged"]["peak_rss_mb"]
        base2 = r2["refresh"]["unchanged"]["peak_rss_mb"]
        inc1, inc2 = f1["peak_rss_mb"] - base1, f2["peak_rss_mb"] - base2
        inc_exp = math.log(inc2 / inc1) / math.log(n2 / n1) if inc1 > 0 and inc2 > 0 else None
        mid1, mid2 = mid_rss_mb(f1), mid_rss_mb(f2)
        slope_kb = 1024 * (mid2 - mid1) / (n2 - n1) if mid1 and mid2 else None
        a["memory"] = {
            "growth": growth,
            "exponent": exponent,
            "increment_exponent": inc_exp,
            "base": (base1, base2),
            "slope_kb": slope_kb,
            "at_real": (
                f2["peak_rss_mb"] + slope_kb * (REAL_ARTICLE_IDS - n2) / 1024 if slope_kb else None
            ),
            "to_end": f2["peak_rss_mb"] - (mid2 or f2["peak_rss_mb"]),
            "from": n1,
            "to": n2,
        }
        a["goals"].append(
            {
                "n": 3,
                "what": f"peak RSS of a full crawl at {n1:,} and {n2:,} articles",
                "figure": f"{f1['peak_rss_mb']:.0f} MB → {f2['peak_rss_mb']:.0f} MB "
                f"(×{growth:.2f} for ×{n2 / n1:g} articles: as articles^{exponent:.2f}"
                + (f"; beyond a do-nothing crawl's RSS ^{inc_exp:.2f}" if inc_exp else "")
                + (f"; +{slope_kb:.1f} KB per article mid-crawl" if slope_kb else "")
                + ")"
                + (
                    f"; {300 - f2['peak_rss_mb']:.0f} MB to spare"
                    if 270 <= f2["peak_rss_mb"] < 300
                    else ""
                ),
                "goal": f"< 300 MB at {n2:,}, sublinear growth",
                "met": f2["peak_rss_mb"] < 300 and exponent < 1 and (inc_exp or 0) < 1,
            }
        )
    pol = results.get("politeness") or {}
    if pol.get("per_minute"):
        cap = pol["settings"]["CONCURRENT_REQUESTS_PER_DOMAIN"]
        ok = (
            pol["longest_burst_1s"] <= cap
            and pol["max_in_any_minute"]
            <= 60 / float(pol["settings"]["DOWNLOAD_DELAY"]) * 1.1 + cap
        )
        a["goals"].append(
            {
                "n": 4,
                "what": "politeness at default settings (one host)",
                "figure": f"{pol['per_minute']:.1f} requests/min (at most "
                f"{pol['max_in_any_minute']} in any minute), longest burst "
                f"{pol['longest_burst_1s']} in 1 s",
                "goal": f"≤ {60 / float(pol['settings']['DOWNLOAD_DELAY']):.0f}/min "
                f"(1 per DOWNLOAD_DELAY), burst ≤ {cap} "
                "(CONCURRENT_REQUESTS_PER_DOMAIN)",
                "met": ok,
            }
        )
    est = results.get("estimate") or {}
    if est:
        a["goals"].append(
            {
                "n": 5,
                "what": "time to archive the real site at default politeness",
                "figure": f"≈ {est['days_one_host']:.1f} days "
                f"({est['days_low_images']:.1f}–{est['days_high_images']:.1f} for 2–3 images "
                f"per article; ≈ {est['days_parallel_hosts']:.1f} if images load on their own "
                "host in parallel)",
                "goal": "a figure with its assumptions",
                "met": None,
            }
        )
    return a


def mid_rss_mb(f: dict[str, Any]) -> float | None:
    """Median RSS over the middle of a crawl (40-80 % of its wall time): the plateau while
    articles are fetched, before the end-of-run work (flush, latest view, report)."""
    wall = f["wall_s"]
    mid = sorted(r for t, r in f.get("rss_samples") or [] if 0.4 * wall <= t <= 0.8 * wall)
    return mid[len(mid) // 2] / 2**20 if mid else None


def _r0(sz: dict[str, Any], n: int) -> dict[str, Any]:
    return sz[str(n)]["refresh"]["unchanged"]


def _non_recheck(f: dict[str, Any]) -> int:
    return f["requests"] - f["kinds"]["recheck"]


BREAKDOWN_ORDER = [
    "extraction+normalization",
    "requisite links",
    "listings",
    "spider routing",
    "state store",
    "WARC",
    "schema validation",
    "normalize pipeline",
    "record pipeline",
    "record writer",
    "coverage stats",
    "guards",
    "politeness",
    "progress",
    "latest view",
    "report and gates",
]


def breakdown(tp: dict[str, Any], pages: int) -> dict[str, Any]:
    """Where the crawler's CPU goes beyond the bare spider's, per 1,000 pages."""
    t = tp.get("timings") or {}
    comps = dict(t.get("components") or {})
    ours_cpu = tp["ours"]["cpu_s"]
    bare_cpu = tp["bare"]["cpu_s"] * pages / max(1, tp["bare"]["requests"])
    decompression = comps.pop("decompression", 0.0)  # the bare spider decompresses too
    rows = [(k, comps.pop(k)) for k in BREAKDOWN_ORDER if k in comps]
    rows += sorted(comps.items(), key=lambda kv: -kv[1])
    metered = sum(v for _, v in rows)
    overhead = ours_cpu - bare_cpu
    rest = overhead - metered
    return {
        "ours_cpu": ours_cpu,
        "bare_cpu": bare_cpu,
        "overhead": overhead,
        "rows": [(k, v, per_k(v, pages)) for k, v in rows],
        "decompression": decompression,
        "rest": rest,
        "instrumentation_s": t.get("overhead_estimate_s"),
        "wrapper_cost_us": 1e6 * (t.get("wrapper_cost_s") or 0),
        "calls": t.get("calls"),
        "missing": t.get("missing"),
    }


# --------------------------------------------------------------------------------------------
# Printing and RESULTS.md


def fmt(x: Any, digits: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        if math.isnan(x):
            return "–"
        return f"{x:,.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def render(results: dict[str, Any]) -> list[str]:
    """The Markdown section of one run."""
    a = analyse(results)
    mach = results["machine"]
    L: list[str] = []
    started = results["started"]
    L.append(
        f"## {results['plan']['mode'].capitalize()} run — {started[:16].replace('T', ' ')} UTC"
    )
    L.append("")
    ms = results.get("machine_share") or {}
    L.append(
        f"Machine: {mach['cpus']} CPUs ({mach['cpu_model']}), {mach['ram']} RAM, Linux "
        f"{mach['kernel']}, Python {mach['python']}, Scrapy {mach['scrapy']}. "
        f"Load average at start {mach['load']}, at end {results.get('load_end', '–')}."
    )
    if ms:
        L.append(
            f"Other jobs used {ms['others_cpu_s']:,.0f} CPU s while this ran "
            f"({100 * ms['others_share']:.0f} % of the machine's {ms['cpus']} CPUs over "
            f"{ms['wall_s'] / 60:.1f} min; the benchmarks {ms['ours_cpu_s']:,.0f} CPU s)"
            + (
                ": the machine was shared, so wall-clock figures carry that load (CPU seconds "
                "far less); each ratio compares runs made minutes apart."
                if results.get("shared")
                else "."
            )
        )
    L.append(
        f"Command: `{results['command']}`; took {results['duration_min']:.1f} min. "
        f"Replica seed {SEED}, `--no-irregular`."
    )
    code = results.get("code") or {}
    if code:
        L.append(
            f"Code: commit {code.get('commit', '?')}"
            + (
                f" with uncommitted changes in {', '.join(code['dirty'])}"
                if code.get("dirty")
                else ""
            )
            + "."
        )
    if results.get("skipped"):
        L.append(f"Not run this time: {', '.join(results['skipped'])}.")
    if results.get("incomplete"):
        done = ", ".join(f"{int(n):,}" for n in (results.get("sizes") or {}))
        L.append(
            f"**Incomplete run**: stopped before finishing {', '.join(results['incomplete'])}"
            + (f" (sizes done: {done})" if done else "")
            + "; the figures below are those measured."
        )
    L.append("")
    L.append("| # | measurement | figure | goal | verdict |")
    L.append("|---|---|---|---|---|")
    for g in a["goals"]:
        verdict = "—" if g["met"] is None else ("**met**" if g["met"] else "**missed**")
        L.append(f"| {g['n']} | {g['what']} | {g['figure']} | {g['goal']} | {verdict} |")
    L.append("")
    tp = results.get("throughput")
    if tp and "throughput" in a:
        L += render_throughput(tp, a)
    if results.get("sizes"):
        L += render_sizes(results, a)
    if results.get("politeness"):
        L += render_politeness(results["politeness"])
    if results.get("estimate"):
        L += render_estimate(results["estimate"], results["politeness"])
    return L


def render_throughput(tp: dict[str, Any], a: dict[str, Any]) -> list[str]:
    t = a["throughput"]
    ours, bare = tp["ours"], tp["bare"]
    c = tp["concurrency"]
    L = [
        f"### 1. Throughput: full crawl of {tp['articles']:,} articles vs the bare Scrapy ceiling",
        "",
        "Both download the same requests from fresh replica processes: ours a full crawl with "
        "page requisites and WARC (loopback profile: politeness off), the bare spider "
        "(`tests/benchmarks/bare_spider.py`) the crawl's requests as logged by the replica, in "
        f"the same order, with Scrapy's defaults and the same concurrency ({c['concurrency']} "
        f"requests, {c['per_host']} per host, CONCURRENT_ITEMS {c['items']}, slot delay "
        f"{c['delay'] * 1000:g} ms), discarding bodies.",
        "",
        "| run | requests | records | wall s | records/s | pages/s | CPU s | CPU s / 1,000 pages "
        "| replica CPU s / 1,000 pages | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| crawler | {fmt(ours['requests'])} | {fmt(ours['records'])} | {fmt(ours['wall_s'])} "
        f"| {fmt(t['ours_records_s'])} | {fmt(t['ours_pages_s'])} | {fmt(ours['cpu_s'])} "
        f"| {fmt(t['ours_cpu_per_k'], 2)} | {fmt(t['ours_replica_cpu_per_k'], 2)} "
        f"| {fmt(ours['peak_rss_mb'], 0)} |",
        f"| bare Scrapy | {fmt(bare['requests'])} | ({fmt(bare['records'])}) "
        f"| {fmt(bare['wall_s'])} | {fmt(t['bare_records_s'])} | {fmt(t['bare_pages_s'])} "
        f"| {fmt(bare['cpu_s'])} | {fmt(t['bare_cpu_per_k'], 2)} "
        f"| {fmt(t['bare_replica_cpu_per_k'], 2)} | {fmt(bare['peak_rss_mb'], 0)} |",
        "",
        f"Ratio (crawler / ceiling): **{100 * t['ratio_wall']:.0f} %** in records/s, "
        f"**{100 * t['ratio_cpu']:.0f} %** in CPU per page. Requests by kind: "
        + ", ".join(f"{k} {v:,}" for k, v in ours["kinds"].items() if v)
        + f". WARC written: {tp['warc_bytes'] / 2**20:,.0f} MiB. The crawl ran under "
        "`tests/benchmarks/timed_crawl.py`; its wrappers cost about "
        f"{a['breakdown']['wrapper_cost_us']:.1f} µs per call, "
        f"{fmt(a['breakdown']['instrumentation_s'], 2)} CPU s in all "
        f"({100 * (a['breakdown']['instrumentation_s'] or 0) / ours['cpu_s']:.1f} % of its CPU).",
        "",
    ]
    b = a["breakdown"]
    L += [
        "Where the crawler's CPU goes beyond the bare spider's (CPU seconds of the crawler "
        "process, exclusive time per component, measured in the run above):",
        "",
        "| component | CPU s | ms per page | share of the difference |",
        "|---|---:|---:|---:|",
        f"| **bare Scrapy download (the ceiling)** | {fmt(b['bare_cpu'])} "
        f"| {fmt(per_k(b['bare_cpu'], ours['requests']), 2)} | |",
    ]
    for name, v, ms in b["rows"]:
        L.append(f"| {name} | {fmt(v, 2)} | {fmt(ms, 2)} | {100 * v / b['overhead']:.0f} % |")
    L.append(
        f"| Scrapy machinery for our extra work, unmetered (see below) | {fmt(b['rest'], 2)} "
        f"| {fmt(per_k(b['rest'], ours['requests']), 2)} | {100 * b['rest'] / b['overhead']:.0f} % |"
    )
    L.append(
        f"| **crawler total** | {fmt(b['ours_cpu'])} "
        f"| {fmt(per_k(b['ours_cpu'], ours['requests']), 2)} | 100 % of {fmt(b['overhead'])} s |"
    )
    L.append("")
    off = tp.get("offline_extract") or {}
    calls = (b.get("calls") or {}).get("extraction+normalization")
    in_run = dict((k, v) for k, v, _ in b["rows"]).get("extraction+normalization")
    notes = []
    if off.get("pages"):
        notes.append(
            f"`crawler.extract.build_record` timed offline on {off['pages']:,} article/album "
            f"bodies stored in the crawl's WARC files (mean {off['mean_kib']} KiB decoded): "
            f"{off['cpu_ms_per_page']:.2f} ms CPU per page ({off['pages_per_cpu_s']:.0f} pages "
            "per CPU second)"
            + (
                f"; in the crawl {1000 * in_run / calls:.2f} ms per call (same function, run "
                "amid the crawl: colder caches, garbage collection of a process holding the "
                "crawl's state)"
                if calls and in_run
                else ""
            )
            + "."
        )
    if "items_probe" in t:
        ip = t["items_probe"]
        notes.append(
            "Scrapy 2.19's own cost per response depends on CONCURRENT_ITEMS: with the asyncio "
            "reactor, `Scraper.handle_spider_output_async` starts CONCURRENT_ITEMS worker tasks "
            f"for every callback result. On the first {ip['requests']:,} requests the bare "
            f"spider costs {ip['cpu_per_k']:.2f} CPU s per 1,000 pages at CONCURRENT_ITEMS="
            f"{ip['items']} and {ip['cpu_per_k_items1']:.2f} at 1 "
            f"({ip['cpu_per_k'] - ip['cpu_per_k_items1']:.2f} ms per response); the crawler "
            "pays the same per response (its pipelines are synchronous, so parallel item "
            "workers buy it nothing)."
        )
    notes.append(
        "The unmetered rest is Scrapy work that the bare spider does not do: our requests' "
        "async downloader-middleware hooks (robots, retry), the item pipeline and spider-"
        "middleware plumbing for every yielded object (items, ~3 requisite requests and the "
        "links filtered as duplicates per article page), request fingerprints, stats and log "
        "lines, and the wrappers themselves. 'decompression' "
        f"({fmt(b['decompression'], 2)} s, guarded gzip) is in both and left out of the difference."
    )
    if b.get("missing"):
        notes.append(f"Not found to time (renamed or gone): {', '.join(b['missing'])}.")
    L += [f"- {n}" for n in notes]
    L.append("")
    return L


def render_sizes(results: dict[str, Any], a: dict[str, Any]) -> list[str]:
    sz = results["sizes"]
    L = [
        "### 2. Refresh cost: requests by kind, from the replica's access log",
        "",
        "A full crawl, then a refresh (same `OUTPUT_DIR`) against the unchanged site, then a "
        f"refresh after the replica moved one epoch ({NEW_PER_EPOCH} new articles, 6 edits, "
        "4 deletions; restarted with the same seed and `--epoch 1`). Re-checks are conditional "
        "requests (If-None-Match / If-Modified-Since): every item published within "
        "RECHECK_WINDOW_DAYS (30) plus RECHECK_BUDGET (200) older ones per run. Size runs have "
        "page requisites off (`FETCH_REQUISITES=False`, so that the 50,000-article crawl fits "
        "the time budget); the throughput crawl's refreshes have them on.",
        "",
        "| archive | refresh | robots | home | listing | article | requisite | total without "
        "re-checks | re-checks | statuses | records written | tombstones | wall s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    rows = [
        (f"{int(n):,}", row["refresh"]) for n, row in sorted(sz.items(), key=lambda x: int(x[0]))
    ]
    tp = results.get("throughput")
    if tp and tp.get("refresh"):
        rows.append((f"{tp['articles']:,} (requisites on)", tp["refresh"]))
    for label, ref in rows:
        for name, f in (("unchanged", ref["unchanged"]), ("+1 epoch", ref["epoch1"])):
            k = f["kinds"]
            st = ", ".join(f"{s}×{c}" for s, c in f["statuses"].items())
            L.append(
                f"| {label} | {name} | {k['robots']} | {k['home']} | {k['listing']} "
                f"| {k['article']} | {k['requisite']} | **{_non_recheck(f)}** | {k['recheck']} "
                f"| {st} | {fmt(f['records'])} | {fmt(f.get('tombstones'))} | {fmt(f['wall_s'])} |"
            )
    L.append("")
    for label, ref in rows:
        r0, r1 = ref["unchanged"], ref["epoch1"]
        d = {k: r1["kinds"][k] - r0["kinds"][k] for k in ("article", "listing", "requisite")}
        moved = int(r1["statuses"].get("301", 0))
        L.append(
            f"- {label}: after {NEW_PER_EPOCH} new articles the refresh made "
            f"{_non_recheck(r1) - _non_recheck(r0):+d} requests besides re-checks: "
            f"{d['article']:+d} article pages ({NEW_PER_EPOCH} new"
            + (f", {moved} 301s of retitled articles followed" if moved else "")
            + f"), {d['listing']:+d} listing pages, {d['requisite']:+d} requisites."
        )
    L += [
        "",
        "The extra listing pages are one per section listing that gained new items: a "
        "refresh pages a section newest-first until a page holds nothing new "
        "(INCREMENTAL_OVERLAP_PAGES=0), so a section whose first page has a new item costs its "
        "second page too. Their number is bounded by the number of section listings, not by "
        "the number of new articles: per new article it falls as more articles arrive between "
        "refreshes. The re-checks follow the publishing rate (every item of the last 30 days), "
        "not the archive size: the replica publishes 1.5 % of its articles in the last 28 days.",
        "",
    ]
    L += [
        "### 3. Memory: peak RSS of a full crawl (page requisites off)",
        "",
        "| articles | requests | records | peak RSS MB | RSS mid-crawl MB | peak RSS of the "
        "unchanged refresh MB | wall s | CPU s | CPU s / 1,000 pages | WARC MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, row in sorted(sz.items(), key=lambda x: int(x[0])):
        f = row["full"]
        L.append(
            f"| {int(n):,} | {fmt(f['requests'])} | {fmt(f['records'])} | {fmt(f['peak_rss_mb'], 0)} "
            f"| {fmt(mid_rss_mb(f), 0)} | {fmt(row['refresh']['unchanged']['peak_rss_mb'], 0)} "
            f"| {fmt(f['wall_s'])} | {fmt(f['cpu_s'])} "
            f"| {fmt(per_k(f['cpu_s'], f['requests']), 2)} "
            f"| {row.get('warc_bytes', 0) / 2**20:,.0f} |"
        )
    m = a.get("memory")
    if m:
        L.append("")
        L.append(
            f"From {m['from']:,} to {m['to']:,} articles peak RSS grows ×{m['growth']:.2f} "
            f"(as articles^{m['exponent']:.2f}"
            + (
                "; what a full crawl holds beyond the same process refreshing the same archive "
                f"({m['base'][0]:.0f} / {m['base'][1]:.0f} MB) as articles^"
                f"{m['increment_exponent']:.2f}"
                if m["increment_exponent"] is not None
                else ""
            )
            + "). Peak RSS: the crawl process's VmHWM (the kernel's RSS high-water mark), read "
            "every 0.5 s until it exits; mid-crawl: the median RSS over 40–80 % of the run."
        )
        if m.get("slope_kb"):
            L.append("")
            L.append(
                f"Mid-crawl RSS grows by {m['slope_kb']:.1f} KB per article: listings are "
                "crawled first, so every article request they discover waits in Scrapy's "
                "in-memory scheduler queue (with its dupefilter fingerprint and the spider's "
                "own id sets) until it is fetched. That part is linear in the site's size; the "
                "total grows sublinearly only because of the fixed ~100 MB of the process. "
                "The end of the run (final flush, latest view, report) adds a step of "
                f"{m['to_end']:.0f} MB at {m['to']:,}. Extrapolated to the real site's "
                f"~{REAL_ARTICLE_IDS:,} ids in one full crawl: ≈ {m['at_real']:.0f} MB."
            )
    for n, row in sorted(sz.items(), key=lambda x: int(x[0])):
        if row.get("nowarc"):
            f, g = row["full"], row["nowarc"]
            pk = per_k(f["cpu_s"], f["requests"])
            pk2 = per_k(g["cpu_s"], g["requests"])
            L.append("")
            L.append(
                f"WARC cost, {int(n):,} articles, same crawl with `WARC_ENABLED=False`: "
                f"{pk:.2f} vs {pk2:.2f} CPU s per 1,000 pages ({pk - pk2:+.2f} ms per page, "
                f"{100 * (pk - pk2) / pk:.0f} % of the crawl's CPU); wall {f['wall_s']:.0f} s vs "
                f"{g['wall_s']:.0f} s; peak RSS {f['peak_rss_mb']:.0f} vs {g['peak_rss_mb']:.0f} MB."
            )
    L.append("")
    return L


def render_politeness(p: dict[str, Any]) -> list[str]:
    s = p["settings"]
    if not p.get("per_minute"):
        return ["### 4. Politeness", "", "No requests were logged.", ""]
    ed = p["per_edition_port"]
    return [
        "### 4. Politeness at default settings",
        "",
        f"A crawl with the default (polite) settings — DOWNLOAD_DELAY {s['DOWNLOAD_DELAY']} s, "
        f"AutoThrottle {'on' if s['AUTOTHROTTLE_ENABLED'] else 'off'} (target concurrency "
        f"{s['AUTOTHROTTLE_TARGET_CONCURRENCY']}), {s['CONCURRENT_REQUESTS_PER_DOMAIN']} per "
        f"host, robots.txt obeyed — against a replica whose robots.txt says `Crawl-delay: 0`, "
        f"stopped with SIGINT after {p['seconds']} s. Both editions are served on 127.0.0.1 (two "
        "ports), one host for the crawler's politeness, as the real editions share one server.",
        "",
        f"- {p['requests']:,} requests in {p['span_s']:.0f} s: **{p['per_minute']:.1f} "
        f"requests per minute** (at most {p['max_in_any_minute']} in any 60 s); by kind: "
        + ", ".join(f"{k} {v}" for k, v in p["crawl"]["kinds"].items() if v)
        + " (listings are scheduled first)",
        f"- longest burst: **{p['longest_burst_1s']} requests within 1 s** (vi port "
        f"{ed['vi']['longest_burst_1s']}, en port {ed['en']['longest_burst_1s']}); gaps between "
        f"requests: shortest {p['gap_min_s']:.2f} s, median {p['gap_median_s']:.2f} s",
        f"- crawler CPU {p['cpu_ms_per_request']:.1f} ms per request, start-up included (the "
        "crawl waits, it does not work)",
        "",
    ]


def render_estimate(e: dict[str, Any], pol: dict[str, Any]) -> list[str]:
    r = e["requests"]
    return [
        "### 5. Time to archive the whole real site at default politeness",
        "",
        f"**≈ {e['days_one_host']:.1f} days** ({e['days_low_images']:.1f}–"
        f"{e['days_high_images']:.1f} with 2–3 images per article) for "
        f"{e['total_requests']:,} requests at the measured {e['rate_per_minute']:.1f} requests "
        "per minute, one host at a time. Assumptions:",
        "",
        f"- {r['articles']:,} article pages: ids run from ~5,900 (2015) to ~197,500 (mid-2025) "
        "(docs/site.md), one request each; missing ids, albums and the 301s of retitled "
        "articles are taken to roughly cancel out.",
        f"- {r['listing_pages']:,} listing pages: each article listed in its section and its "
        f"parent section at {REAL_LISTING_PAGE_SIZE} per page (the replica measured "
        f"{e['replica_listing_pages_per_item']:.3f} listing pages per item).",
        f"- {r['images']:,} images: 2.5 per article (2–3; the replica measured "
        f"{e['replica_requisites_per_item']:.2f} requisites per item, thumbnails included); "
        "CSS/JS once.",
        "- The rate is the one measured above (DOWNLOAD_DELAY 1 s, AutoThrottle): it holds "
        "while the server answers within ~1 s; AutoThrottle slows down with latency (a 2 s "
        "answer halves it), and a robots.txt `Crawl-delay` above 1 s (honoured) scales the "
        "time by delay/1 s. No 429/503 back-offs are included.",
        f"- Scrapy keeps one download slot per host name: baolongan.vn, news.baolongan.vn and "
        f"www.baolongan.vn (images) would each get the measured rate, so in parallel ≈ "
        f"{e['days_parallel_hosts']:.1f} days — if the three names are one server, that "
        "triples the load on it; the figure above keeps to one host's rate.",
        "- CPU is not the limit: the polite crawl used "
        f"{e['crawler_cpu_ms_per_request_polite']} ms of CPU per request.",
        "",
    ]


def write_results(results: dict[str, Any] | None) -> None:
    """Store `results` (when given) under results/<mode>.json, then render RESULTS.md from
    every stored mode."""
    RESULTS_DIR.mkdir(exist_ok=True)
    if results is not None:
        mode = results["plan"]["mode"]
        (RESULTS_DIR / f"{mode}.json").write_text(
            json.dumps(results, indent=1, ensure_ascii=False, default=str) + "\n",
            encoding="utf-8",
        )
    L = [
        "# Benchmark results",
        "",
        "Written by `make bench` (full sizes) and `make bench-quick` (small sizes), i.e. "
        "`python -m tests.benchmarks.run [--quick]`; each run replaces its own section and keeps "
        "the other (raw figures in `tests/benchmarks/results/<mode>.json`). How each figure is "
        "measured: the docstring of `tests/benchmarks/run.py`.",
        "",
    ]
    for m in ("full", "quick"):
        path = RESULTS_DIR / f"{m}.json"
        if path.exists():
            L += render(json.loads(path.read_text(encoding="utf-8")))
    RESULTS_MD.write_text("\n".join(L).rstrip() + "\n" + _other_sections(), encoding="utf-8")


def _other_sections() -> str:
    """The sections of RESULTS.md that other scripts measure and people write (extraction,
    chromes, issue 14's figures): everything from the first `## ` heading that is not a run's."""
    if not RESULTS_MD.exists():
        return ""
    text = RESULTS_MD.read_text(encoding="utf-8")
    for m in re.finditer(r"^## (.*)$", text, flags=re.M):
        if not m.group(1).startswith(("Full run", "Quick run")):
            return "\n" + text[m.start() :].rstrip() + "\n"
    return ""


def print_summary(results: dict[str, Any]) -> None:
    a = analyse(results)
    print()
    print("=" * 100)
    for line in render(results):
        print(line)
    print("=" * 100)
    for g in a["goals"]:
        verdict = "—" if g["met"] is None else ("MET" if g["met"] else "MISSED")
        print(f"goal {g['n']}: {verdict:6s} {g['what']}: {g['figure']} (goal {g['goal']})")


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, a few minutes")
    ap.add_argument("--workdir", type=Path, help="where crawls write (default: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["throughput", "sizes", "politeness"],
        help="leave a stage out (repeatable)",
    )
    ap.add_argument("--sizes", help="override the size list, e.g. 1000,10000,25000")
    ap.add_argument("--no-write", action="store_true", help="print only, leave RESULTS.md alone")
    ap.add_argument(
        "--render", action="store_true", help="only rewrite RESULTS.md from results/*.json"
    )
    args = ap.parse_args(argv)
    if args.render:
        write_results(None)
        return 0
    plan = dict(QUICK if args.quick else FULL)
    if args.sizes:
        plan["sizes"] = [int(x) for x in args.sizes.split(",")]
        if plan["warc_pair"] not in plan["sizes"]:
            plan["warc_pair"] = plan["sizes"][len(plan["sizes"]) // 2]
    work = args.workdir or Path(tempfile.mkdtemp(prefix=f"baolongan-bench-{plan['mode']}-"))
    work.mkdir(parents=True, exist_ok=True)
    mach = h.machine()
    results: dict[str, Any] = {
        "code": h.code_version(),
        "plan": plan,
        "machine": mach,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m tests.benchmarks.run" + (" --quick" if args.quick else ""),
        "skipped": list(args.skip),
    }
    share = h.MachineShare()
    log(f"benchmarks ({plan['mode']}), work folder {work}")
    log(f"machine: {mach}")
    t0 = time.perf_counter()
    stages = [x for x in ("throughput", "politeness", "sizes") if x not in args.skip]

    def save(done: bool = False) -> None:
        """Record what has been measured so far: an interrupted run keeps its finished parts."""
        results["duration_min"] = round((time.perf_counter() - t0) / 60, 1)
        results["load_end"] = h.machine()["load"]
        results["machine_share"] = share.result()
        results["shared"] = results["machine_share"]["others_share"] > 0.05
        results["estimate"] = estimate(results)
        results["incomplete"] = None if done else [x for x in stages if x not in results]
        if not args.no_write:
            write_results(results)

    try:
        for stage in stages:
            if stage == "throughput":
                results["throughput"] = throughput(plan, work)
            elif stage == "politeness":
                results["politeness"] = politeness(plan, work)
            else:
                results["sizes"] = {}
                sizes(plan, work, results["sizes"], save)
            save()
        save(done=True)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print_summary(results)
    if not args.no_write:
        log(f"wrote {RESULTS_MD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
