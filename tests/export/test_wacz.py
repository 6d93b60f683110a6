"""`scrapy export --format wacz`, run as a user types it on a real archive: the package passes the
`wacz` package's validator, lists the live articles with their titles, and pywb (its own
virtualenv, tests/e2e/pywb_support.py) replays a page from it after `wb-manager add --unpack-wacz`."""

from __future__ import annotations

import html
import json
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from tests.e2e import pywb_support
from tests.support import ROOT, read_jsonl

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def package(archive: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wacz")
    cmd = [sys.executable, "-m", "scrapy", "export", "--format", "wacz", str(archive)]
    result = subprocess.run([*cmd, "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    path = out / "baolongan.wacz"
    assert f"-> {path}" in result.stdout
    return path


def page_list(package: Path) -> list[dict]:
    with zipfile.ZipFile(package) as zf:
        lines = zf.read("pages/pages.jsonl").decode("utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_wacz_validates(package: Path) -> None:
    wacz = Path(sys.executable).with_name("wacz")
    result = subprocess.run([wacz, "validate", "-f", package], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Validation succeeded" in result.stdout
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
    assert {"datapackage.json", "datapackage-digest.json", "indexes/index.cdx.gz"} <= names
    assert any(n.startswith("archive/") and n.endswith(".warc.gz") for n in names)


def test_pages_list_names_live_items_with_titles_and_dates(archive: Path, package: Path) -> None:
    header, *pages = page_list(package)
    assert header["format"] == "json-pages-1.0"
    latest = {r["id"]: r for r in read_jsonl(archive / "records" / "latest.jsonl")}
    assert {p["id"] for p in pages} == {i for i, r in latest.items() if r["warc_record_id"]}
    for page in pages:
        record = latest[page["id"]]
        assert page["url"] == record["url"] and page["title"] == record["title"]
        assert page["published_at"] == record["published_at"]
        assert page["ts"][:19] == record["fetched_at"][:19], page


def _text(body: bytes, content_type: str) -> str:
    charset = content_type.partition("charset=")[2].strip().strip('"') or "utf-8"
    return " ".join(unicodedata.normalize("NFC", html.unescape(body.decode(charset))).split())


def test_pywb_replays_a_page_from_the_wacz(package: Path, tmp_path: Path) -> None:
    root = tmp_path / "pywb"
    root.mkdir()
    manager = pywb_support.pywb_script("wb-manager")
    for args in (["init", "coll"], ["add", "--unpack-wacz", "coll", package]):
        done = subprocess.run(
            [str(manager), *map(str, args)], cwd=root, env=pywb_support._env(),
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    _, *pages = page_list(package)
    picks = [p for p in pages if not p["title"].isascii()][:2]
    assert picks, "no page with a Vietnamese title to replay"
    with pywb_support.wayback(root) as wb:
        for page in picks:
            stamp = "".join(c for c in page["ts"] if c.isdigit())[:14]
            status, headers, body = wb.get(f"/coll/{stamp}id_/{page['url']}")
            assert status == 200, (page, status, body[:300])
            assert headers.get("Memento-Datetime"), headers
            assert page["title"] in _text(body, headers.get("Content-Type", "")), page["title"]
