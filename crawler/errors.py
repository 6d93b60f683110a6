"""Project exceptions that map onto exit statuses (see crawler.status)."""

from __future__ import annotations


class CrawlerError(Exception):
    """Base class of errors that end a run with a specific exit status."""

    status = "crawl_failed"


class BadArgumentError(CrawlerError, ValueError):
    """A spider argument has a value outside its accepted forms."""

    status = "bad_arguments"

    def __init__(self, argument: str, value: object, accepted: str) -> None:
        super().__init__(f"bad spider argument {argument}={value!r}: expected {accepted}")
        self.argument = argument


class BadSettingError(CrawlerError, ValueError):
    """A setting has a value outside its accepted forms."""

    status = "bad_arguments"

    def __init__(self, setting: str, value: object, accepted: str) -> None:
        super().__init__(f"bad setting {setting}={value!r}: expected {accepted}")
        self.setting = setting


class OutputLockedError(CrawlerError):
    """Another live run holds the lock under OUTPUT_DIR."""

    status = "output_locked"


class StateUnusableError(CrawlerError):
    """OUTPUT_DIR holds records but its state store is missing, corrupt or does not know them."""

    status = "bad_arguments"

    def __init__(self, output_dir: object, problem: str) -> None:
        super().__init__(
            f"{output_dir}: {problem}; refusing to archive everything again as version 1: "
            f"rebuild it with `scrapy rebuild_state -s OUTPUT_DIR={output_dir}`"
        )
