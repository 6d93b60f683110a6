"""Fingerprints of the shared duplicate filter: one per item, whatever URL names it."""

from __future__ import annotations

from scrapy import Request

from crawler.distributed.scheduler import ItemDupeFilter
from crawler.editions import Editions

VI, EN = "http://127.0.0.1:8101", "http://127.0.0.1:8102"
DF = ItemDupeFilter(server=None, key="", debug=False, editions=Editions(VI, EN))


def fp(url: str, **meta) -> str:
    return DF.request_fingerprint(Request(url, meta=meta))


def test_one_fingerprint_per_article_across_hosts_and_slugs():
    assert fp(f"{VI}/mot-a123.html") == fp(f"{EN}/one-a123.html") == "item:baolongan:123"


def test_albums_are_per_edition():
    assert fp(f"{VI}/xem-albumphoto/anh.77.html") == "item:baolongan:album:vi:77"
    assert fp(f"{EN}/view-albumphoto/pics.77.html?pid=3") == "item:baolongan:album:en:77"


def test_the_spider_can_name_the_key():
    assert fp(f"{VI}/mot-a123.html", dedup_key="vi:baolongan:123") == "item:vi:baolongan:123"


def test_listings_and_redirect_targets_keep_url_fingerprints():
    listing = fp(f"{VI}/kinh-te/")
    assert not listing.startswith("item:") and listing != fp(f"{VI}/kinh-te/?p=2&d=")
    assert not fp(f"{VI}/moi-a123.html", redirect_times=1).startswith("item:")
