"""Settings checked before a run opens: one line naming the problem, exit 2, nothing written.

Components read their settings when the crawler builds them, after the run's folder, lock and
state store may already exist, and Scrapy's `getint("abc")` raises a bare ValueError (a traceback,
exit 1). `scrapy crawl` calls `check_settings` first (crawler.commands.crawl), so a typo never
opens a run the next crawl would "resume".
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

from crawler.errors import BadSettingError
from crawler.observe.gates import rules_from_settings
from crawler.observe.progress import MODES as PROGRESS_MODES
from crawler.profile import PROFILES
from crawler.run import RunContext

# (setting, smallest accepted value); Scrapy's own numeric settings included where a profile or
# the README invites changing them.
WHOLE_NUMBERS = {
    "WARC_MAX_SIZE": 1,
    "RECHECK_WINDOW_DAYS": 0,
    "RECHECK_BUDGET": 0,
    "LATEST_KEEP": 0,
    "INCREMENTAL_OVERLAP_PAGES": 0,
    "QUALITY_GATE_MIN_ARTICLES": 0,
    "CONCURRENT_REQUESTS": 1,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "DOWNLOAD_MAXSIZE": 0,
    "DOWNLOAD_WARNSIZE": 0,
    "RETRY_TIMES": 0,
    "ROBOTS_MAX_RETRIES": 0,
    "GUARD_MAX_DEPTH": 1,
    "GUARD_TITLE_MAX": 1,
    "MAX_IMAGES_PER_PAGE": 1,
    "MAX_BODY_CHARS": 1000,
    "MEDIA_MAX_BYTES": 0,
    "INCREMENTAL_SITEMAPS": 0,
}
NUMBERS = {
    "DOWNLOAD_DELAY": 0.0,
    "DOWNLOAD_TIMEOUT": 0.001,
    "PROGRESS_INTERVAL": 0.001,
    "RETRY_BACKOFF_BASE": 0.0,
    "RETRY_BACKOFF_MAX": 0.0,
    "RETRY_AFTER_MAX": 0.0,
    "AUTOTHROTTLE_START_DELAY": 0.0,
    "AUTOTHROTTLE_MAX_DELAY": 0.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 0.001,
    "RECORD_DELAY": 0.0,
}
FLAGS = (
    "WARC_ENABLED",
    "WARC_FSYNC_EACH_RECORD",
    "LATEST_VIEW",
    "FETCH_REQUISITES",
    "HONOUR_CRAWL_DELAY",
    "ROBOTSTXT_OBEY",
    "AUTOTHROTTLE_ENABLED",
)
# Pseudo file systems: creating folders there fails late, or "succeeds" and loses the data.
VIRTUAL_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))


def check_settings(settings: Any) -> None:
    """Raise BadSettingError for the first setting a run could not work with."""
    profile = settings.get("CRAWL_PROFILE") or "polite"
    if profile not in PROFILES:
        raise BadSettingError("CRAWL_PROFILE", profile, f"one of {', '.join(sorted(PROFILES))}")
    for name, least in WHOLE_NUMBERS.items():
        _number(settings, name, int, least, f"a whole number >= {least}")
    for name, least in NUMBERS.items():
        _number(settings, name, float, least, f"a number >= {least:g}")
    for name in FLAGS:
        value = settings.get(name)
        if isinstance(value, str) and value.strip().lower() not in (
            "0", "1", "true", "false", "yes", "no", "on", "off", "",
        ):  # fmt: skip
            raise BadSettingError(name, value, "True or False")
    mode = (settings.get("PROGRESS") or "auto").strip().lower()
    if mode not in PROGRESS_MODES:
        raise BadSettingError("PROGRESS", mode, " or ".join(PROGRESS_MODES))
    rules_from_settings(settings)  # QUALITY_GATES, QUALITY_GATE_RECORD_COUNT, ..._MIN_ARTICLES
    check_output_dir(settings.get("OUTPUT_DIR") or "")
    # Edition URLs and REFERENCE_NOW, read exactly as the run will read them (writes nothing).
    RunContext.from_settings(settings)


def _number(settings: Any, name: str, kind: type, least: float, accepted: str) -> None:
    value = settings.get(name)
    if value is None:
        return
    try:
        number = kind(value)  # as Settings.getint / getfloat will read it
    except (TypeError, ValueError):
        number = None
    if number is None or number < least:
        raise BadSettingError(name, value, accepted)


def check_output_dir(value: str) -> None:
    """OUTPUT_DIR must be, or be creatable as, a writable folder on a real file system."""
    if not value:
        raise BadSettingError("OUTPUT_DIR", value, "a folder path")
    path = Path(value).expanduser().resolve()
    if any(path == root or root in path.parents for root in VIRTUAL_ROOTS):
        raise BadSettingError(
            "OUTPUT_DIR", value, "a folder on a real file system, not /proc, /sys or /dev"
        )
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        what = "is not a folder" if existing == path else f"lies under a file ({existing})"
        raise BadSettingError("OUTPUT_DIR", value, f"a writable folder, but it {what}")
    if not os.access(existing, os.W_OK | os.X_OK):
        problem = "read-only" if _read_only(existing) else "not writable by this user"
        raise BadSettingError(
            "OUTPUT_DIR", value, f"a writable folder, but {existing} is {problem}"
        )
    if _read_only(existing):
        raise BadSettingError(
            "OUTPUT_DIR", value, f"a writable folder, but {existing} is read-only"
        )


def _read_only(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError as error:
        return error.errno == errno.EROFS
