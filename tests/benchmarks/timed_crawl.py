"""`scrapy crawl ...` with a CPU meter on the crawler's own components.

    python -m tests.benchmarks.timed_crawl TIMINGS.json crawl baolongan -s ...

Wraps named functions and methods of the crawler (extraction, listings, state store, WARC, guards,
pipelines, writer, report, ...) with a thread-CPU timer, then runs Scrapy's command line in this
same process. Time is *exclusive*: a component called inside another (the state store inside the
record pipeline) is counted once, under itself. What no wrapper covers — Scrapy's engine, scheduler,
downloader, HTTP client, Twisted/asyncio, Scrapy's own middlewares — is the process's CPU time minus
the sum. At exit the totals (CPU seconds and calls per component) go to TIMINGS.json.

The wrappers cost about a microsecond per call (`wrapper_cost()` measures it); the calls are
counted so that the report can state the overhead.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import inspect
import json
import sys
import time
import types
from collections import Counter, defaultdict
from typing import Any

clock = time.thread_time

# (module, attribute or Class.method, component). A missing name is skipped (the crawler changes
# under the benchmarks; what was and was not found is written to the timings file).
TARGETS: list[tuple[str, str, str]] = [
    # bytes -> record: decode, page module selectors, normalizers
    ("crawler.spiders.baolongan", "build_record", "extraction+normalization"),
    ("crawler.spiders.baolongan", "extract_page", "extraction+normalization"),
    # listings: decoding and parsing section pages and the home page
    ("crawler.spiders.baolongan", "decode_html", "listings"),
    ("crawler.spiders.baolongan", "parse_listing", "listings"),
    ("crawler.spiders.baolongan", "page_requisites", "requisite links"),
    # the spider's own routing (what is left of its callbacks once the above are taken out)
    ("crawler.spiders.baolongan", "BaolonganSpider.parse_home", "spider routing"),
    ("crawler.spiders.baolongan", "BaolonganSpider.parse_section", "spider routing"),
    ("crawler.spiders.baolongan", "BaolonganSpider.parse_item", "spider routing"),
    ("crawler.spiders.baolongan", "BaolonganSpider.parse_recheck", "spider routing"),
    ("crawler.spiders.baolongan", "BaolonganSpider.parse_requisite", "spider routing"),
    ("crawler.spiders.baolongan", "BaolonganSpider.start_requests", "spider routing"),
    ("crawler.state", "StateStore.*", "state store"),
    ("crawler.state", "_Transaction.__enter__", "state store"),
    ("crawler.state", "_Transaction.__exit__", "state store"),
    ("crawler.warc.middleware", "WarcMiddleware.process_request", "WARC"),
    ("crawler.warc.middleware", "WarcMiddleware.process_response", "WARC"),
    ("crawler.warc.middleware", "WarcMiddleware.spider_closed", "WARC"),
    ("crawler.warc.middleware", "WarcMiddleware.spider_opened", "WARC"),
    ("crawler.pipelines.normalize", "NormalizePipeline.process_item", "normalize pipeline"),
    ("crawler.pipelines.record", "RecordPipeline.process_item", "record pipeline"),
    ("crawler.pipelines.record", "RecordPipeline.flush", "record pipeline"),
    ("crawler.pipelines.record", "RecordPipeline.tick", "record pipeline"),
    ("crawler.pipelines.record", "RecordPipeline.spider_idle", "record pipeline"),
    ("crawler.pipelines.record", "RecordPipeline.close_spider", "record pipeline"),
    ("crawler.pipelines.record", "RecordPipeline.open_spider", "record pipeline"),
    ("crawler.pipelines.stages", "validate", "schema validation"),
    ("crawler.pipelines.write", "validate", "schema validation"),
    ("crawler.pipelines.record", "write_latest", "latest view"),
    ("crawler.writer", "RecordWriter.*", "record writer"),
    ("crawler.lifecycle", "RunExtension.spider_closed", "report and gates"),
    ("crawler.guards", "PortalHostsMiddleware.process_request", "guards"),
    ("crawler.guards", "ResponseGuardMiddleware.process_response", "guards"),
    ("crawler.guards", "GuardSpiderMiddleware._annotate", "guards"),
    ("crawler.guards", "GuardedHttpCompressionMiddleware.process_response", "decompression"),
    ("crawler.politeness.hosts", "HostPolicy.*", "politeness"),
    ("crawler.politeness.throttle", "PoliteAutoThrottle.*", "politeness"),
    ("crawler.politeness.retry", "PoliteRetryMiddleware.process_response", "politeness"),
    ("crawler.observe.progress", "ProgressExtension.*", "progress"),
    ("crawler.observe.coverage", "count", "coverage stats"),
]

totals: dict[str, float] = defaultdict(float)
calls: Counter[str] = Counter()
_stack: list[list[Any]] = []  # [component, CPU of nested timed calls]


def _account(component: str, frame: list[Any], elapsed: float) -> None:
    _stack.pop()
    totals[component] += elapsed - frame[1]
    calls[component] += 1
    if _stack:
        _stack[-1][1] += elapsed


def _timed_generator(component: str, gen: types.GeneratorType):
    while True:
        frame = [component, 0.0]
        _stack.append(frame)
        t0 = clock()
        try:
            item = next(gen)
        except StopIteration:
            _account(component, frame, clock() - t0)
            return
        except BaseException:
            _account(component, frame, clock() - t0)
            raise
        _account(component, frame, clock() - t0)
        yield item


def timed(component: str, fn: Any) -> Any:
    if getattr(fn, "_bench_timed", False):
        return fn

    # Scrapy's signal dispatch passes a handler every keyword argument when its code accepts
    # **kwargs (pydispatch robustApply), so keep only those the wrapped function takes.
    params = inspect.signature(fn).parameters.values()
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params)
    names = {p.name for p in params}

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if kwargs and not takes_any:
            kwargs = {k: v for k, v in kwargs.items() if k in names}
        frame = [component, 0.0]
        _stack.append(frame)
        t0 = clock()
        try:
            result = fn(*args, **kwargs)
        finally:
            _account(component, frame, clock() - t0)
        if isinstance(result, types.GeneratorType):
            return _timed_generator(component, result)
        return result

    wrapper._bench_timed = True  # type: ignore[attr-defined]
    return wrapper


def _wrappable(value: Any) -> bool:
    fn = value.__func__ if isinstance(value, (staticmethod, classmethod)) else value
    return (
        inspect.isfunction(fn)
        and not inspect.iscoroutinefunction(fn)
        and not inspect.isasyncgenfunction(fn)
    )


def install() -> dict[str, list[str]]:
    found: list[str] = []
    missing: list[str] = []
    for module_name, attr, component in TARGETS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            missing.append(f"{module_name}")
            continue
        owner_name, _, name = attr.rpartition(".")
        owner = getattr(module, owner_name, None) if owner_name else module
        if owner is None:
            missing.append(f"{module_name}.{attr}")
            continue
        if name == "*":
            names = [
                n
                for n, v in vars(owner).items()
                if _wrappable(v) and not (n.startswith("__") and n != "__init__")
                and not isinstance(v, (staticmethod, classmethod))
            ]  # fmt: skip
        else:
            names = [name]
        for n in names:
            value = (vars(owner) if isinstance(owner, type) else vars(module)).get(n)
            if value is None or not _wrappable(value):
                missing.append(f"{module_name}.{attr}")
                continue
            setattr(owner, n, timed(component, value))
            found.append(f"{module_name}.{owner_name + '.' if owner_name else ''}{n}")
    return {"found": found, "missing": missing}


def wrapper_cost(n: int = 200_000) -> float:
    """CPU seconds one timed call adds (measured on an empty function)."""

    def empty() -> None:
        return None

    w = timed("_probe", empty)
    t0 = time.process_time()
    for _ in range(n):
        empty()
    bare = time.process_time() - t0
    t0 = time.process_time()
    for _ in range(n):
        w()
    wrapped = time.process_time() - t0
    totals.pop("_probe", None)
    calls.pop("_probe", None)
    return max(0.0, (wrapped - bare) / n)


def main() -> None:
    out_path = sys.argv[1]
    cost = wrapper_cost()
    patched = install()

    def dump() -> None:
        cpu = time.process_time()
        data = {
            "process_cpu": cpu,
            "components": dict(totals),
            "calls": dict(calls),
            "wrapper_cost_s": cost,
            "overhead_estimate_s": cost * sum(calls.values()),
            **patched,
        }
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1)

    atexit.register(dump)
    sys.argv = ["scrapy", *sys.argv[2:]]
    from scrapy.cmdline import execute

    execute()


if __name__ == "__main__":
    main()
