"""Crawl profiles: `polite` (default; the live portal) and `loopback` (the offline replica).

`-s CRAWL_PROFILE=...` is only known once the command line is parsed, after settings.py was
imported, so the profile is applied by an add-on hook instead: `update_pre_crawler_settings` runs
when a command builds its crawler process, before any crawler copies the settings, and
`scrapy settings` (which builds none) calls `apply_profile` itself (crawler.commands.settings).
So `scrapy settings --get DOWNLOAD_DELAY -s CRAWL_PROFILE=loopback` prints what a crawl uses.
Values set on the command line (priority "cmdline") still win over a profile.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings

from crawler.errors import BadSettingError

PROFILES: dict[str, dict[str, object]] = {
    "polite": {},
    # The replica runs on this machine: politeness delays would only slow tests and demos.
    "loopback": {
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "HONOUR_CRAWL_DELAY": False,
        "RETRY_BACKOFF_BASE": 0.05,
        "RETRY_BACKOFF_MAX": 0.5,
        "DOWNLOAD_TIMEOUT": 20,
        "RETRY_AFTER_MAX": 1.0,
        # The replica is on this machine; a power cut is not what its tests are about.
        "WARC_FSYNC_EACH_RECORD": False,
        # Records written within a second of their fetch: tests see streaming, not an idle flush.
        "RECORD_DELAY": 0,
    },
}


def apply_profile(settings: BaseSettings) -> None:
    """Set the profile's values; BadSettingError for an unknown profile name."""
    name = settings.get("CRAWL_PROFILE") or "polite"
    if name not in PROFILES:
        raise BadSettingError("CRAWL_PROFILE", name, f"one of {', '.join(sorted(PROFILES))}")
    for key, value in PROFILES[name].items():
        # "project" priority: a profile overrides settings.py, the command line still wins.
        settings.set(key, value, priority="project")


class ProfileAddon:
    @classmethod
    def update_pre_crawler_settings(cls, settings: BaseSettings) -> None:
        apply_profile(settings)

    def update_settings(self, settings: BaseSettings) -> None:
        # Again per crawler: code that builds a Crawler without a crawler process (tests,
        # crawler.reextract) gets the profile too; applying it twice changes nothing.
        apply_profile(settings)
