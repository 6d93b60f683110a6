"""Fingerprints of the shared duplicate filter: one per item, whatever URL names it."""

from __future__ import annotations

from scrapy import Request

from crawler.distributed.scheduler import ItemDupeFilter

VI, EN = "http://127.0.0.1:8101", "http://127.0.0.1:8102"
DF = ItemDupeFilter(server=None, key="", debug=False)


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


def test_an_english_album_through_the_vietnamese_host_is_seen_once(server):
    """Issue 13 item 2: the album's edition is its path's, not the host's, so the English album
    reached through the vi host is the one the en host already claimed, across workers."""
    first, second = (ItemDupeFilter(server, "t:dupefilter", debug=False) for _ in range(2))
    via_en = Request(f"{EN}/view-albumphoto/boat-race.77.html")
    via_vi = Request(f"{VI}/view-albumphoto/dua-ghe.77.html?pid=2")
    assert fp(via_vi.url) == fp(via_en.url) == "item:baolongan:album:en:77"
    assert not first.request_seen(via_en)
    assert second.request_seen(via_vi)
    assert not second.request_seen(Request(f"{VI}/xem-albumphoto/dua-ghe.77.html"))
