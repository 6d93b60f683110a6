"""Issue 17 point 2: only `scrapy crawl` opens a run; `scrapy parse URL` prints the record."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from crawler.items import SCHEMA_VERSION
from crawler.schema import validate
from tests.commands.conftest import replica_settings, scrapy, written


def _article_url(rep) -> str:
    truth = rep.truth_records()
    article = next(r for r in truth if r["type"] == "article" and r["edition"] == "vi")
    return rep.vi + article["canonical_url"].split("baolongan.vn", 1)[1], article


@pytest.mark.parametrize(
    "command",
    [
        ["shell", "-c", "response.status", "{vi}/"],
        ["shell", "--spider=baolongan", "-c", "response.status", "{vi}/"],
        ["fetch", "--nolog", "{vi}/robots.txt"],
        ["parse", "--spider=baolongan", "{vi}/"],
        ["parse", "--spider=baolongan", "-c", "parse_item", "{article}"],
        ["check"],
        ["settings", "--get", "OUTPUT_DIR"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_tools_leave_output_dir_alone(small_replica, tmp_path: Path, command: list[str]) -> None:
    out = tmp_path / "out"
    url, _ = _article_url(small_replica)
    args = [a.format(vi=small_replica.vi, article=url) for a in command]
    result = scrapy(*args, *replica_settings(small_replica, out))
    assert result.returncode == 0, result.stderr[-3000:]
    # No run.lock, state store, report, latest view or WARC: not even the folder.
    assert written(out) == []


def test_parse_prints_the_record_a_crawl_writes(small_replica, tmp_path: Path) -> None:
    out = tmp_path / "out"
    url, truth = _article_url(small_replica)
    result = scrapy("parse", "--spider=baolongan", url, *replica_settings(small_replica, out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert written(out) == []
    printed = result.stdout.split("# Scraped Items", 1)[1].split("\n", 1)[1]
    printed = printed.split("# Requests", 1)[0].strip().rstrip("-").strip()
    (record,) = ast.literal_eval(printed)
    # The shape of records/articles: every schema field, no private key, valid.
    assert validate(record, "articles") == []
    assert not [k for k in record if k.startswith("_")]
    assert record["id"] == truth["id"] and record["title"] == truth["title"]
    assert record["version"] == 1 and record["schema_version"] == SCHEMA_VERSION
    assert record["url"] == url and record["urls_seen"] == [url]
    assert record["canonical_url"] == truth["canonical_url"]


def test_parse_item_callback_prints_the_finished_record_too(small_replica, tmp_path: Path) -> None:
    out = tmp_path / "out"
    url, _ = _article_url(small_replica)
    result = scrapy(
        "parse",
        "--spider=baolongan",
        "-c",
        "parse_item",
        url,
        *replica_settings(small_replica, out),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"'schema_version': '{SCHEMA_VERSION}'" in result.stdout
    assert "'_fetch'" not in result.stdout
    assert written(out) == []
