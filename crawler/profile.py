"""Crawl profiles: `polite` (default; the live portal) and `loopback` (the offline replica).

An add-on rather than code in settings.py because `-s CRAWL_PROFILE=...` is only known once the
crawler's settings are assembled; add-ons run exactly then, before the settings freeze.
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
    },
}


class ProfileAddon:
    def update_settings(self, settings: BaseSettings) -> None:
        name = settings.get("CRAWL_PROFILE") or "polite"
        if name not in PROFILES:
            raise BadSettingError("CRAWL_PROFILE", name, f"one of {', '.join(sorted(PROFILES))}")
        for key, value in PROFILES[name].items():
            # "project" priority: a profile overrides settings.py, the command line still wins.
            settings.set(key, value, priority="project")
