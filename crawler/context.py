"""What one crawl's components share, on one typed object: `crawl_context(crawler)`.

The pieces made once per crawl (the run, the guards, the replay index, the Redis coordinator, the
gate rules) are kept by their class: `context.component(Guards, make)`. The figures decided at
close (what was asked for, the observed facts, the requested and id-gap figures, the gates and the
exit status) are fields. Nothing here imports another crawler module: every component can use it
without an import cycle (tests/unit/test_imports.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal, TypeVar

T = TypeVar("T")

ATTRIBUTE = "baolongan_context"  # the one attribute this project sets on Scrapy's Crawler


class Unset(Enum):
    """A figure not computed yet (None is a computed answer: "this run has none")."""

    UNSET = "unset"


UNSET = Unset.UNSET


@dataclass(frozen=True)
class Asked:
    """What the spider was asked for (its arguments), for the exit status and the report."""

    editions: tuple[str, ...] = ("vi", "en")
    urls_file: str | None = None
    id_range: tuple[int, int] | None = None
    id_gaps: str | None = None  # ids=gaps: the run whose gaps are probed
    limit: int | None = None

    @property
    def listing_crawl(self) -> bool:
        """A crawl through the sections' listings (not urls_file= or ids=)."""
        return not (self.urls_file or self.id_range)


@dataclass
class CrawlContext:
    asked: Asked | None = None  # set by the spider when it is built
    observed: dict[str, Any] | None = None  # crawler.observe.facts.observe, at close
    requested: dict[str, Any] | None | Literal[Unset.UNSET] = UNSET  # crawler.requested.outcome
    gaps: dict[str, Any] | None | Literal[Unset.UNSET] = UNSET  # crawler.gap_report.summary
    gates: list[dict[str, Any]] | None = None  # evaluated when the status is decided
    # Redis mode: every worker's coverage together (crawler.observe.facts.crawl_wide_coverage).
    crawl_coverage: tuple[dict[str, Any], str] | None | Literal[Unset.UNSET] = UNSET
    status: str | None = None  # the run's exit status (crawler.status), once decided
    _components: dict[type, Any] = field(default_factory=dict, repr=False)

    def component(self, kind: type[T], make: Callable[[], T]) -> T:
        """The crawl's one `kind`, made by `make` on first use."""
        found = self._components.get(kind)
        if found is None:
            found = self._components[kind] = make()
        return found

    def find(self, kind: type[T]) -> T | None:
        """The crawl's `kind` if it was made (a report of a run that never opened has none)."""
        return self._components.get(kind)


def crawl_context(crawler: Any) -> CrawlContext:
    """The crawler's CrawlContext, made on first use."""
    context = getattr(crawler, ATTRIBUTE, None)
    if context is None:
        context = CrawlContext()
        setattr(crawler, ATTRIBUTE, context)
    return context
