"""Exit statuses of `scrapy crawl baolongan`, documented in the README.

Plain `scrapy crawl` exits 0 unless bootstrap fails; schedulers need to know more.
"""

from __future__ import annotations

EXIT_CODES: dict[str, int] = {
    "success": 0,
    "crawl_failed": 1,  # finish reason not "finished", an edition with no records, too many errors
    "bad_arguments": 2,  # bad spider argument or setting
    "success_with_warnings": 3,  # quality warnings only
    "quality_gate_failed": 4,
    "site_unavailable": 5,  # portal down or robots.txt unreadable
    "output_locked": 6,  # another run holds OUTPUT_DIR
    "disk_full": 7,
    "warc_lost": 8,  # a WARC file the run wrote was deleted: records point at nothing
    "output_unwritable": 9,  # OUTPUT_DIR read-only, immutable, no permission or I/O errors
}

# When several problems occur, the most severe decides the status.
SEVERITY = [
    "success",
    "success_with_warnings",
    "quality_gate_failed",
    "crawl_failed",
    "warc_lost",
    "site_unavailable",
    "disk_full",
    "output_unwritable",
    "output_locked",
    "bad_arguments",
]


def worst(*statuses: str) -> str:
    return max(statuses, key=SEVERITY.index)
