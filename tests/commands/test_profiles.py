"""Issue 17 point 4: profiles are visible to `scrapy settings`; warcinfo states what was in force."""

from __future__ import annotations

from pathlib import Path

from crawler.warc.replay import warcinfo_of
from tests.commands.conftest import replica_settings, scrapy, written


def test_scrapy_settings_shows_the_profile_values() -> None:
    assert scrapy("settings", "--get", "DOWNLOAD_DELAY").stdout.strip() == "1.0"
    loopback = ("-s", "CRAWL_PROFILE=loopback")
    assert scrapy("settings", "--get", "DOWNLOAD_DELAY", *loopback).stdout.strip() == "0"
    assert scrapy("settings", "--get", "HONOUR_CRAWL_DELAY", *loopback).stdout.strip() == "False"
    assert scrapy("settings", "--getint", "CONCURRENT_REQUESTS", *loopback).stdout.strip() == "16"
    # The command line still wins over a profile; the environment variable selects one too.
    both = scrapy("settings", "--get", "DOWNLOAD_DELAY", *loopback, "-s", "DOWNLOAD_DELAY=0.5")
    assert both.stdout.strip() == "0.5"
    env = scrapy("settings", "--get", "DOWNLOAD_DELAY", env={"BAOLONGAN_CRAWL_PROFILE": "loopback"})
    assert env.stdout.strip() == "0"


def test_scrapy_settings_refuses_an_unknown_profile() -> None:
    result = scrapy("settings", "--get", "DOWNLOAD_DELAY", "-s", "CRAWL_PROFILE=fast")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "error: bad setting CRAWL_PROFILE='fast': expected one of loopback, polite"
    ]


def test_warcinfo_states_the_settings_in_force(small_replica, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = scrapy(
        "crawl", "baolongan", "-a", "edition=vi", "-a", "limit=3",
        *replica_settings(small_replica, out),
    )  # fmt: skip
    assert result.returncode in (0, 3), result.stderr[-3000:]
    assert "Crawl-delay 1" in result.stderr and "ignored" in result.stderr
    warcs = sorted((out / "warc").glob("*.warc.gz"))
    assert warcs, written(out)
    info = warcinfo_of(warcs[0])
    assert info["setting-CRAWL_PROFILE"] == "loopback"
    assert info["setting-HONOUR_CRAWL_DELAY"] == "False"
    assert info["setting-DOWNLOAD_DELAY"] == "0"
    assert info["setting-CONCURRENT_REQUESTS"] == "16"
    assert "Crawl-delay ignored" in info["robots-policy"]
    assert "Crawl-delay honoured" not in info["robots-policy"]
