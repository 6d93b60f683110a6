"""Settings for the Báo Long An archive crawler.

The one settings module. Environment variables are read only here. Every deviation from Scrapy's
defaults carries a why-comment. Profiles (`-s CRAWL_PROFILE=loopback`) are applied by
`crawler.profile.ProfileAddon`, because `-s` values are not visible while this module is imported.
"""

import os

BOT_NAME = "baolongan"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# Our `crawl` command replaces Scrapy's so that a run ends with a meaningful exit status.
COMMANDS_MODULE = "crawler.commands"

# --- Where the portal is -------------------------------------------------------------------
# Point the editions at a mirror or the offline replica; records keep production URLs.
EDITION_URL_VI = os.environ.get("BAOLONGAN_EDITION_URL_VI", "https://baolongan.vn")
EDITION_URL_EN = os.environ.get("BAOLONGAN_EDITION_URL_EN", "https://news.baolongan.vn")

# --- Where a run writes ----------------------------------------------------------------------
# The one folder a run writes everything under (state, records, WARCs, reports, lock).
OUTPUT_DIR = os.environ.get("BAOLONGAN_OUTPUT_DIR", "output")
# The crawler's notion of "now" (ISO 8601); empty means the real clock. Tests line it up with
# the replica's --today.
REFERENCE_NOW = os.environ.get("BAOLONGAN_REFERENCE_NOW", "")

# Only `scrapy crawl` archives (crawler.run.opens_run): `scrapy parse`, `shell`, `fetch`, `check`
# and `settings` build the same crawler and must leave OUTPUT_DIR alone. The crawl command turns
# this on; it is not meant to be set by hand.
OPEN_RUN = False

# --- Profiles --------------------------------------------------------------------------------
# "polite" (default, for the live portal) or "loopback" (the replica only: no delays).
CRAWL_PROFILE = os.environ.get("BAOLONGAN_CRAWL_PROFILE", "polite")
ADDONS = {
    "crawler.profile.ProfileAddon": 0,
    # The frontier on disk (FRONTIER_* below); stands aside in Redis mode.
    "crawler.frontier.FrontierAddon": 5,
    # Redis mode (REDIS_URL below): runs after the profile, whose DOWNLOAD_DELAY it reads.
    "crawler.distributed.DistributedAddon": 10,
}

# --- Politeness: a small provincial server ---------------------------------------------------
CONTACT_URL = os.environ.get(
    "BAOLONGAN_CONTACT_URL", "https://github.com/baolongan-archive/crawler#contact"
)
# Name the project and a contact, so the site's operators know who we are.
USER_AGENT = f"baolongan-archive-crawler/0.1 (+{CONTACT_URL})"
ROBOTSTXT_OBEY = True
# Scrapy's default is 8 per domain; a provincial server deserves at most 2.
CONCURRENT_REQUESTS_PER_DOMAIN = 2
CONCURRENT_REQUESTS = 4
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
# 1 GiB default is absurd for news pages, and it applies after decompression (gzip bombs).
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
# Sitemaps named by robots.txt and feeds named by a home page, read as extra discovery beside
# the listings (crawler/spiders/discovering.py) in a crawl of the listings.
EXTRA_DISCOVERY = True
# A refresh reads only this many of the newest sitemaps a sitemap index names (by <lastmod>, else
# the first listed); a full crawl reads them all.
INCREMENTAL_SITEMAPS = 2
# Video media files (crawler/media.py) are archived up to this size each (their own download cap,
# instead of DOWNLOAD_MAXSIZE); bigger ones are counted and named in the report. 0: none fetched.
MEDIA_MAX_BYTES = 200 * 1024 * 1024
DOWNLOAD_TIMEOUT = 60
RETRY_ENABLED = True
RETRY_TIMES = 4
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# --- Output ----------------------------------------------------------------------------------
# Scrapy's FEEDS lose buffered items on SIGKILL and overwrite batch files on resume
# (docs/pitfalls.md), so records are written by crawler.writer through the pipeline below.
FEED_EXPORT_ENCODING = "utf-8"
ITEM_PIPELINES = {
    "crawler.pipelines.normalize.NormalizePipeline": 100,
    "crawler.pipelines.record.RecordPipeline": 500,
}
EXTENSIONS = {
    "crawler.lifecycle.RunExtension": 0,
    # Scrapy's AutoThrottle never goes below DOWNLOAD_DELAY, so it would ignore Crawl-delay.
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.politeness.PoliteAutoThrottle": 0,
    # Progress lines with rates, queue, per-edition counts and ETA replace LogStats' lines.
    "scrapy.extensions.logstats.LogStats": None,
    "crawler.observe.progress.ProgressExtension": 500,
    # Refuses bad gate settings at start (exit 2); the gates run in crawler.observe.status.
    "crawler.observe.gates.QualityGatesExtension": 510,
    # Python's garbage collector set for a long crawl (why, and the figures: crawler/gc_policy.py).
    "crawler.gc_policy.GcPolicyExtension": 520,
}
# Scrapy's MemoryStatsCollector without 2.19's per-call deprecation shim (crawler/observe/stats.py).
STATS_CLASS = "crawler.observe.stats.StatsCollector"
GC_FREEZE_AT_START = True
GC_THRESHOLDS = (20_000, 10, 10)  # None: Python's defaults (700, 10, 10)

# --- Progress and quality gates (crawler.observe) ----------------------------------------------
# `auto`: a progress line every PROGRESS_INTERVAL s, plus a live bar when stderr is a terminal;
# `lines`: no bar; `quiet`: neither (cron).
PROGRESS = os.environ.get("BAOLONGAN_PROGRESS", "auto")
PROGRESS_INTERVAL = 30.0
# field -> [warning below, failure below]: share of the articles a run wrote with the field present
# (fallback values not counted). Override one: -s 'QUALITY_GATES={"lead": [0.97, 0.9]}'.
QUALITY_GATES_BASE = {
    "title": [0.99, 0.95],
    "published_at": [0.99, 0.95],
    "body_text": [0.99, 0.95],
    "lead": [0.99, 0.95],
    "authors": [0.90, 0.75],
}
QUALITY_GATES = {}
# A full run's record count as a share of the previous comparable full run's: [warning, failure].
QUALITY_GATE_RECORD_COUNT = [0.80, 0.50]
# Below this many articles written (a small refresh) a share says nothing: coverage gates skip.
QUALITY_GATE_MIN_ARTICLES = 20

DOWNLOADER_MIDDLEWARES = {
    # Scrapy's RobotsTxtMiddleware crawls on when robots.txt answers 5xx (fails open) and ignores
    # Crawl-delay; its RetryMiddleware retries at once and ignores Retry-After (issue #3849).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.politeness.RobotsMiddleware": 100,
    "crawler.politeness.PoliteRetryMiddleware": 550,
    # 950: nearest the downloader, so every response is archived as received: before
    # HttpCompression (590) decodes it and before Redirect (600) / Retry (550) act on 3xx/5xx.
    "crawler.warc.middleware.WarcMiddleware": 950,
    # Hostile input (crawler.guards): only portal hosts are fetched (also after redirects from a
    # start URL, which Scrapy follows offsite); bad responses become counted, logged skips.
    "crawler.guards.PortalHostsMiddleware": 40,
    "crawler.guards.ResponseGuardMiddleware": 540,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.guards.GuardedMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.guards.GuardedHttpCompressionMiddleware": 590,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.guards.GuardedRedirectMiddleware": 600,
}
SPIDER_MIDDLEWARES = {
    "crawler.guards.GuardSpiderMiddleware": 550,
    # A full disk under OUTPUT_DIR stops the run (exit status disk_full), not one error per page.
    "crawler.run.DiskFullSpiderMiddleware": 560,
}
GUARD_MAX_DEPTH = 200  # deeper nesting is unwrapped: lxml silently drops content ~5,000 deep
GUARD_TITLE_MAX = 300  # longer titles are kept whole but flagged title_too_long
GUARD_MAX_TAGS = 500_000  # more `<` on a page: skipped as too_many_tags (real pages: ~1-5k)

# --- Politeness layer (crawler.politeness) ---------------------------------------------------
# robots.txt groups match the product token (RFC 9309); with the full UA, the contact URL's
# "/crawler" would make a "User-agent: crawler" group apply to us.
ROBOTSTXT_USER_AGENT = "baolongan-archive-crawler"
ROBOTS_MAX_RETRIES = 4  # robots.txt 5xx/timeout: 5 attempts, then stop as site_unavailable
HONOUR_CRAWL_DELAY = True
RETRY_BACKOFF_BASE = 2.0  # retry n waits min(MAX, BASE * 2**n), jitter ±20 %
RETRY_BACKOFF_MAX = 60.0
RETRY_AFTER_MAX = 300.0
# Scrapy 2.19 starts an HTTP code-execution server per crawl (token written to ~): off, like telnet.
REMOTE_CONTROL_ENABLED = False

# Fetch page requisites (images, thumbnails, CSS, JS) so the WARC mirror replays pages whole;
# each is fetched once across runs.
FETCH_REQUISITES = True
# At most this many requisites per page (page order: the head's CSS/JS, then images); the rest are
# counted and named in the report. A hostile page of 10,000 <img> must not mean 10,000 fetches.
MAX_IMAGES_PER_PAGE = 200
# body_text and body_html are each cut to this many characters at a block boundary (flagged
# body_truncated): a 30 MB page must not become a 57 MB JSON line. The WARC keeps the whole page.
MAX_BODY_CHARS = 2_000_000

# --- Archive (WARC) ---------------------------------------------------------------------------
WARC_ENABLED = True
# Rotate WARC files at 1 GB (the usual IIPC/Heritrix size), in bytes.
WARC_MAX_SIZE = 1_000_000_000
# Each record is fsynced before the callback runs, so a JSON line (fsynced by crawler.writer)
# never points at WARC bytes a power cut could lose. Measured: +0.3–2 ms per exchange.
WARC_FSYNC_EACH_RECORD = True

# Listings before articles: a record is written only once every listing that can name its
# sections has been seen, so listings must not wait behind thousands of articles.
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
# The frontier (crawler/frontier): pending requests and the duplicate filter in
# OUTPUT_DIR/state/frontier.sqlite3 instead of memory (Scrapy's cost ~750 bytes per pending URL),
# handed back whole after a SIGKILL (Scrapy's JOBDIR loses requests in flight, docs/pitfalls.md).
# It orders requests like SCHEDULER_PRIORITY_QUEUE above, which applies only when it is off.
FRONTIER_ENABLED = True
# Changes are committed in batches: at most this many, and at least every this many seconds. A
# SIGKILL loses the last batch whole, and the requests it finished are fetched again.
FRONTIER_COMMIT_EVERY = 500
FRONTIER_COMMIT_INTERVAL = 1.0

# Records stream: a record is written RECORD_DELAY seconds after its page was fetched (within about
# 15 s more: crawler/pipelines/record.py), with the sections, URLs and editions seen of it by then;
# what is seen of it later goes to records/sightings/. The delay lets the fetch from the item's home
# host replace another host's and the listings crawled meanwhile name its sections.
RECORD_DELAY = 30

# Write records/latest.jsonl (the site as of the newest run; replaced atomically) and its hard link
# records/latest/<run_id>.jsonl when a run closes. It copies every live item's newest line, so on a
# full archive it costs a full read of the records.
LATEST_VIEW = True
# Previous runs' records/latest/<run_id>.jsonl kept (newest first); older ones are deleted. 0 keeps
# none (this run's copy and records/latest.jsonl always stay). Each is a full copy of the site.
LATEST_KEEP = 3

# Refresh: re-request conditionally every item published within the window before REFERENCE_NOW,
# plus a rolling budget of the least-recently-checked older items per run.
RECHECK_WINDOW_DAYS = 30
RECHECK_BUDGET = 200
# Listing pages to keep paging past the first page that holds only archived items.
INCREMENTAL_OVERLAP_PAGES = 0
# ids=START-END: at most this many ids per run (each id is one request; the real site has ~200k).
IDS_MAX_SPAN = 1_000_000
# urls_file=: a longer line is skipped as skipped/urls_file/too_long (never logged whole).
URLS_FILE_MAX_URL = 2000

# --- Distributed mode (crawler/distributed, docs/operating.md) -------------------------------
# Empty: one process and nothing needs Redis. A URL (redis://host:6379/0): the scheduler queue, the
# duplicate filter, the run id and the per-id merge sets move into Redis, shared by every worker
# started with the same REDIS_URL and DISTRIBUTED_CRAWL; each worker keeps its own OUTPUT_DIR.
REDIS_URL = os.environ.get("BAOLONGAN_REDIS_URL", "")
# Workers with the same name share one crawl (Redis keys baolongan:<name>:...).
DISTRIBUTED_CRAWL = os.environ.get("BAOLONGAN_DISTRIBUTED_CRAWL", "default")
# Empty: host name plus a hash of OUTPUT_DIR, stable across restarts of the worker.
DISTRIBUTED_WORKER = os.environ.get("BAOLONGAN_DISTRIBUTED_WORKER", "")
# Requests per second to each portal host from all workers together; empty: 1 / DOWNLOAD_DELAY (no
# shared limit when DOWNLOAD_DELAY is 0, as in the loopback profile).
DISTRIBUTED_RATE = os.environ.get("BAOLONGAN_DISTRIBUTED_RATE", "")
DISTRIBUTED_BURST = ""  # empty: CONCURRENT_REQUESTS_PER_DOMAIN
# A worker silent this long is presumed dead and its requests are handed back to the queue.
DISTRIBUTED_HEARTBEAT_S = 2.0
DISTRIBUTED_WORKER_TIMEOUT_S = 60.0
# At the end, how long a worker waits for the others' coverage counters: the workers notice that
# the crawl is over up to one engine idle check (5 s) apart, then write their records.
DISTRIBUTED_GATES_WAIT_S = 60.0

LOG_LEVEL = os.environ.get("BAOLONGAN_LOG_LEVEL", "INFO")
TELNETCONSOLE_ENABLED = False  # nothing should listen on a port during unattended runs
