"""Run one PoliteTestSpider crawl in this process: `python run_crawl.py CONFIG.json`.

CONFIG: {"settings": {...}, "spider": {"base": ..., "paths": "a,b", "out": ...}}. Project settings
are not loaded: the tests state exactly the politeness configuration they exercise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess

sys.path.insert(0, str(Path(__file__).resolve().parent))

from polite_spider import PoliteTestSpider  # noqa: E402


def main() -> None:
    config = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    process = CrawlerProcess(config["settings"])
    process.crawl(PoliteTestSpider, **config["spider"])
    process.start()


if __name__ == "__main__":
    main()
