"""Refuse configurations where Scrapy's component and ours would both run."""

from __future__ import annotations

from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from crawler.errors import BadSettingError


def _enabled(settings: BaseSettings, setting: str, path: str) -> bool:
    target = load_object(path)
    for key, priority in settings.get_component_priority_dict_with_base(setting).items():
        obj = load_object(key) if isinstance(key, str) else key
        if obj is target:
            return priority is not None
    return False


def refuse_alongside(settings: BaseSettings, theirs: str, ours: str) -> None:
    """Both would act on the same requests (two robots.txt fetches, or retries scheduled twice:
    Scrapy's immediately, ours after a back-off), so the replacement must disable the original."""
    if _enabled(settings, "DOWNLOADER_MIDDLEWARES", theirs):
        raise BadSettingError(
            "DOWNLOADER_MIDDLEWARES",
            f"{{{theirs!r}: <enabled>}}",
            f"{{{theirs!r}: None}} when {ours} is enabled",
        )
