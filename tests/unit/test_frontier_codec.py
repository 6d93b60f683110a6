"""The frontier's request codec (crawler/frontier/codec.py): the same dict as Scrapy's
Request.to_dict, callbacks by name, and one shared bound method per callback after decoding."""

from __future__ import annotations

import pickle

import pytest
from scrapy import FormRequest, Request, Spider

from crawler.frontier.codec import RequestCodec


class Mixin:
    def parse_listing(self, response):
        return []


class DemoSpider(Mixin, Spider):
    name = "demo"

    def parse_item(self, response):
        yield from ()

    def failed(self, failure):
        return None


def requests(spider):
    return [
        Request("http://127.0.0.1:1/a.html", callback=spider.parse_item, priority=3,
                meta={"listing": 1, "section": "Kinh tế"}, headers={"Referer": "http://x/"}),
        Request("http://127.0.0.1:1/b.html", callback=spider.parse_listing,
                errback=spider.failed, dont_filter=True, cb_kwargs={"page": 2}),
        Request("http://127.0.0.1:1/c.jpg"),
        FormRequest("http://127.0.0.1:1/e", formdata={"q": "Long An"}, callback=spider.parse_item),
    ]  # fmt: skip


def test_encoded_requests_are_the_dicts_scrapy_makes():
    spider = DemoSpider()
    codec = RequestCodec(spider)
    for request in requests(spider):
        assert pickle.loads(codec.encode(request)) == request.to_dict(spider=spider)


def test_decoded_requests_equal_the_originals_and_share_their_callbacks():
    spider = DemoSpider()
    codec = RequestCodec(spider)
    decoded = [codec.decode(codec.encode(r)) for r in requests(spider)]
    for original, back in zip(requests(spider), decoded, strict=True):
        assert back.to_dict(spider=spider) == original.to_dict(spider=spider)
        assert type(back) is type(original)
    again = codec.decode(codec.encode(requests(spider)[0]))
    # One bound method per name, kept alive: Scrapy's weak-keyed generator check then hits.
    assert again.callback is decoded[0].callback
    assert decoded[1].errback is codec.decode(codec.encode(requests(spider)[1])).errback


def test_other_callbacks_are_left_to_scrapy():
    spider = DemoSpider()
    codec = RequestCodec(spider)
    with pytest.raises(ValueError, match="not an instance method"):
        codec.encode(Request("http://127.0.0.1:1/", callback=lambda response: None))
    # Another spider's method: Scrapy names it by its function, and so does the codec.
    other = Request("http://127.0.0.1:1/", callback=DemoSpider().parse_item)
    assert pickle.loads(codec.encode(other)) == other.to_dict(spider=spider)
