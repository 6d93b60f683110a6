"""RequestCodec: a request to bytes for the frontier file and back, the same dict Scrapy's
`Request.to_dict` / `request_from_dict` make (callbacks by name), at a fraction of their cost.

Why not those two alone: `to_dict` finds a callback's name with `inspect.getmembers(spider)` on
every call, ~60 µs with the spider's mixins, and `request_from_dict` gives each rebuilt request a
new bound method, which defeats Scrapy's per-callback cache of `is_generator_with_return_value`
(a weak-keyed cache: the key dies with the request), so Scrapy read and parsed the callback's
source again for every response. Together ~4 % of a crawl's CPU (tests/benchmarks/RESULTS.md).
Here a spider method is named from `__name__` (checked to be that method), and rebuilt requests
share one bound method per name, kept alive for the run. Anything else falls back to Scrapy.
"""

from __future__ import annotations

import pickle
from typing import Any

from scrapy import Request
from scrapy.utils.request import request_from_dict


class RequestCodec:
    def __init__(self, spider: Any) -> None:
        self.spider = spider
        self._methods: dict[str, Any] = {}  # name -> the one bound method rebuilt requests share

    def encode(self, request: Request) -> bytes:
        """Pickled request dict; raises as `Request.to_dict` and pickle do."""
        return pickle.dumps(self._as_dict(request), protocol=4)

    def decode(self, data: bytes) -> Request:
        """The request again, its callbacks the spider's shared bound methods."""
        d = pickle.loads(data)
        request = request_from_dict(d, spider=self.spider)
        if isinstance(d.get("callback"), str):
            request.callback = self._shared(d["callback"], request.callback)
        if isinstance(d.get("errback"), str):
            request.errback = self._shared(d["errback"], request.errback)
        return request

    def _shared(self, name: str, method: Any) -> Any:
        return self._methods.setdefault(name, method)

    def _name(self, method: Any) -> str | None:
        """The spider method's name, or None when `method` is not one (Scrapy then decides)."""
        if getattr(method, "__self__", None) is not self.spider:
            return None
        name = getattr(method, "__name__", None)
        own = getattr(type(self.spider), name, None) if name else None
        return name if own is not None and own is getattr(method, "__func__", None) else None

    def _as_dict(self, request: Request) -> dict[str, Any]:
        callback, errback = request.callback, request.errback
        names = {
            "callback": self._name(callback) if callable(callback) else callback,
            "errback": self._name(errback) if callable(errback) else errback,
        }
        if (callable(callback) and names["callback"] is None) or (
            callable(errback) and names["errback"] is None
        ):
            return request.to_dict(spider=self.spider)
        # What Request.to_dict builds once it has the names (scrapy/http/request/__init__.py).
        d: dict[str, Any] = {"url": request.url, **names, "headers": dict(request.headers)}
        for attr in request.attributes:
            d.setdefault(attr, getattr(request, attr))
        if type(request) is not Request:
            d["_class"] = type(request).__module__ + "." + type(request).__name__
        return d
