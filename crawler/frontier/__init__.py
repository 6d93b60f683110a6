"""The frontier on disk (issue 14 point 2): pending requests and the duplicate filter of an ordinary
(non-Redis) crawl live in OUTPUT_DIR/state/frontier.sqlite3, not in memory, and survive a SIGKILL.

FrontierAddon (settings.ADDONS) puts crawler.frontier.scheduler.FrontierScheduler in place for
`scrapy crawl`, unless Redis mode is on (crawler.distributed keeps its Redis frontier) or SCHEDULER
was set by hand.
"""

from __future__ import annotations

from typing import Any

from crawler.distributed.connect import enabled as distributed
from crawler.run import opens_run

SCHEDULER = "crawler.frontier.scheduler.FrontierScheduler"


class FrontierAddon:
    def update_settings(self, settings: Any) -> None:
        if not settings.getbool("FRONTIER_ENABLED", True) or distributed(settings):
            return
        if not opens_run(settings):
            # `scrapy shell`/`fetch`/`parse` archive nothing, and `shell` waits on the very Request
            # object it queued (its callback swapped after queueing), which a queue on disk
            # hands back as a copy: they keep Scrapy's in-memory scheduler.
            return
        # "addon" priority: a SCHEDULER given with -s still wins.
        settings.set("SCHEDULER", SCHEDULER, "addon")
