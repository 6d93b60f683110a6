"""`python -m tests.replica`: serve both editions of the replica on 127.0.0.1 until SIGTERM/SIGINT.

`--chrome-seed N` draws every page in a chrome generated from N (`generated.py`); without it each
edition keeps the seed's hand-written template. `--help` lists every option."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading

from .model import BREAKABLE
from .pages import Replica
from .server import start, stop


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m tests.replica",
        description="Serve the offline replica of Báo Long An (vi and en editions) on 127.0.0.1. "
        "Prints one JSON line {vi, en, pid, ...} on stdout when ready; stops cleanly (exit 0) on "
        "SIGTERM or SIGINT.",
    )
    ap.add_argument(
        "--port-vi", type=int, default=0, help="port of the Vietnamese edition (0: a free port)"
    )
    ap.add_argument(
        "--port-en", type=int, default=0, help="port of the English edition (0: a free port)"
    )
    ap.add_argument(
        "--articles", type=int, default=300, help="live articles at epoch 0 (default 300)"
    )
    ap.add_argument(
        "--seed", type=int, default=0, help="site seed: chrome, sections, pagination, content"
    )
    ap.add_argument(
        "--epoch", type=int, default=0,
        help="advance the site K epochs: each adds 12 articles (9 vi, 3 en), edits 6 (4 recent, 2 old) "
        "and deletes 4 (2 recent, 2 old)",
    )  # fmt: skip
    ap.add_argument(
        "--today", default="2025-06-30", help="the replica's 'now' (YYYY-MM-DD; default 2025-06-30)"
    )
    ap.add_argument(
        "--truth", metavar="PATH", help="write the truth file (JSON Lines) before serving"
    )
    ap.add_argument("--access-log", metavar="PATH", help="append one JSON line per request served")
    ap.add_argument(
        "--manifest", metavar="PATH", help="write the irregularity manifest (JSON) once bound"
    )
    ap.add_argument(
        "--break", dest="breaks", action="append", default=[], choices=BREAKABLE, metavar="FIELD",
        help=f"remove FIELD from every page, metadata included (repeatable; one of {', '.join(BREAKABLE)})",
    )  # fmt: skip
    ap.add_argument(
        "--crawl-delay", type=float, default=5.0, help="Crawl-delay in robots.txt (default 5)"
    )
    ap.add_argument(
        "--slugless", choices=["resolve", "strict"], default=None,
        help="article/album URL with a wrong slug: 301 to the right one (resolve) or 404 (strict); "
        "default chosen by the seed",
    )  # fmt: skip
    ap.add_argument(
        "--chrome-seed", type=int, default=None, metavar="N",
        help="draw every page of both editions in a chrome generated from N (any integer): its own "
        "class/id vocabulary, nesting, title/date/lead/byline placement, side boxes, widgets inside "
        "the body, listing and pagination forms (see tests/replica/generated.py). The truth file "
        "does not change with it. Default: the seed's hand-written template",
    )  # fmt: skip
    ap.add_argument(
        "--unlisted", type=int, default=0, metavar="K",
        help="hide K live articles (drawn from the seed) from every listing, home page, side box "
        "and other articles' body links: only an id probe (-a ids=gaps) reaches them. The truth "
        "file still lists them; the manifest names them under \"unlisted\". Default 0",
    )  # fmt: skip
    ap.add_argument(
        "--id-span", type=int, default=None, metavar="N",
        help="spread the article ids over N ids instead of the real site's 5,900-197,500, so a "
        "small replica has the dense id sequence of docs/site.md (e.g. 2 x --articles)",
    )  # fmt: skip
    ap.add_argument(
        "--videos", type=int, default=0, metavar="N",
        help="serve N video pages on the vi host (/video/xem-video/<slug>-<id>.html), listed by a "
        "Video section of the vi menu, each with a poster, an MP4 media file under /media/ and on "
        "some an embedded youtube.com player; one media file is 1.5 MB (tests/replica/video.py). "
        "The truth file lists them as type video. Default 0",
    )  # fmt: skip
    ap.add_argument(
        "--sitemap", action="store_true",
        help="robots.txt names a sitemap index (/sitemap.xml: one sitemap per month listing every "
        "live article of the edition, hidden ones included) and the home page an RSS feed "
        "(/rss/home.rss, the 20 newest); tests/replica/feeds.py. Default: neither exists",
    )  # fmt: skip
    ap.add_argument(
        "--old-sections", action="store_true",
        help="the vi host also serves the old section listings /phap-luat/ and /quoc-phong-an-ninh/ "
        "(those not in the seed's menu) for a share of the articles published before 2020; no menu "
        "names them; the truth file lists them among those articles' sections",
    )  # fmt: skip
    ap.add_argument(
        "--no-irregular", action="store_true",
        help="turn off 5xx, slow, NFD, charset and chunked irregularities (gzip stays)",
    )  # fmt: skip
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        rep = Replica(
            articles=args.articles,
            seed=args.seed,
            epoch=args.epoch,
            today=args.today,
            breaks=args.breaks,
            slugless=args.slugless,
            irregular=not args.no_irregular,
            crawl_delay=args.crawl_delay,
            chrome_seed=args.chrome_seed,
            unlisted=args.unlisted,
            id_span=args.id_span,
            videos=args.videos,
            sitemap=args.sitemap,
            old_sections=args.old_sections,
        )
    except ValueError as exc:
        print(f"replica: {exc}", file=sys.stderr)
        return 2
    if args.truth:
        rep.write_truth(args.truth)
    servers, state = start(rep, args.port_vi, args.port_en, args.access_log)
    vi, en = servers[0].base, servers[1].base
    if args.manifest:
        tmp = args.manifest + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(rep.manifest(vi, en), f, ensure_ascii=False, indent=1)
        os.replace(tmp, args.manifest)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    ready = {
        "vi": vi,
        "en": en,
        "pid": os.getpid(),
        "seed": args.seed,
        "epoch": args.epoch,
        "articles": args.articles,
        "chrome": rep.cfg.chrome,
        "pagination": rep.cfg.pagination,
        "slugless": rep.cfg.slugless,
    }
    if args.chrome_seed is not None:
        ready["chrome_seed"] = args.chrome_seed
    if args.unlisted:
        ready["unlisted"] = args.unlisted
    if args.videos:
        ready["videos"] = args.videos
    print(json.dumps(ready), flush=True)
    while not done.wait(0.5):
        pass
    stop(servers, state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
