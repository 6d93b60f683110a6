"""crawler.requested: reasons of failed asks and the compression of missing ids into ranges."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError

from crawler import requested
from crawler.guards.common import GuardSkip


def test_failure_reasons():
    response = HtmlResponse("http://127.0.0.1/x-a1.html", status=404, request=Request("http://x"))
    assert requested.failure_reason(HttpError(response)) == "http_404"
    redirect = GuardSkip("redirect_not_article", "301 to http://127.0.0.1/")
    assert requested.failure_reason(redirect) == "redirected: 301 to http://127.0.0.1/"
    assert requested.failure_reason(GuardSkip("too_large")) == "guard_too_large"
    assert requested.failure_reason(TimeoutError("slow")).startswith("failed: TimeoutError")


def test_ids_misses_are_ranges_per_reason():
    probes = {1: 200, 2: 404, 3: 404, 4: 0, 5: 404, 6: 200, 7: 200}
    misses = {"baolongan:7": "redirected: to http://127.0.0.1/"}
    asked, archived, missing = requested.ids_misses(1, 9, probes, {1, 6}, misses, set())
    assert (asked, archived) == (9, 2)
    assert [(m["ids"], m["reason"]) for m in missing] == [
        ("2-3", "http_404"),
        ("4", "failed"),
        ("5", "http_404"),
        ("7", "redirected"),
        ("8-9", "not_fetched"),
    ]
    assert requested.status_of(requested._figures("ids", asked, archived, missing)) == (
        "success_with_warnings"
    )
    assert requested.status_of(requested._figures("ids", 3, 0, [])) == "crawl_failed"
    assert requested.status_of(requested._figures("ids", 3, 3, [])) == "success"
