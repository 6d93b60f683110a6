"""Scheduling through scrapyd: build the egg with scrapyd-deploy from the committed packaging, deploy it
to a local scrapyd, schedule a crawl of the replica through scrapyd's HTTP API, and validate what the
job wrote against the schema. Scrapyd hides exit statuses, so the run report is checked instead.
"""

from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile

import pytest

from crawler.schema import validate
from tests.scrapyd.support import api, project_copy, scrapyd
from tests.support import REFERENCE_NOW, ROOT, article_records, latest_report, replica

pytestmark = pytest.mark.e2e

ARTICLES = 60


def test_packaging_is_committed():
    # scrapyd-deploy writes a bare setup.py (find_packages(): tests included, schemas left out)
    # into the work tree unless one exists; ours defers to pyproject.toml.
    assert (ROOT / "setup.py").is_file(), "setup.py (a shim deferring to pyproject.toml) is missing"
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "scrapy.cfg")
    assert cfg.get("deploy", "project") == "baolongan"


def test_deploy_schedule_and_validate(tmp_path):
    project = project_copy(tmp_path / "project")
    if not (project / "setup.py").exists():
        pytest.fail("setup.py is missing: scrapyd-deploy would package tests and drop the schemas")
    with scrapyd(tmp_path / "scrapyd") as daemon:
        deploy = daemon.deploy(project)
        assert deploy.returncode == 0, deploy.stderr
        assert api(daemon.base, "listprojects.json")["projects"] == ["baolongan"]
        assert api(daemon.base, "listspiders.json?project=baolongan")["spiders"] == ["baolongan"]

        egg = next((daemon.home / "eggs" / "baolongan").glob("*.egg"))
        names = zipfile.ZipFile(egg).namelist()
        assert "crawler/schemas/article.schema.json" in names
        assert not [n for n in names if n.startswith("tests/")], "tests packaged"
        entry_points = zipfile.ZipFile(egg).read("EGG-INFO/entry_points.txt").decode()
        assert "settings = crawler.settings" in entry_points
        # The schemas load from inside the zipped egg (importlib.resources), not from the tree.
        check = subprocess.run(
            [sys.executable, "-c",
             "import sys; sys.path.insert(0, sys.argv[1]); import crawler.schema as s; "
             "assert s.__file__.startswith(sys.argv[1]), s.__file__; "
             "print(s.validate({}, 'articles')[:1])", str(egg)],
            capture_output=True, text=True, cwd=tmp_path, timeout=60,
        )  # fmt: skip
        assert check.returncode == 0 and "path" in check.stdout, check.stderr

        out = tmp_path / "out"
        with replica(tmp_path / "replica", articles=ARTICLES) as rep:
            jobid = daemon.schedule(
                {
                    "EDITION_URL_VI": rep.vi,
                    "EDITION_URL_EN": rep.en,
                    "OUTPUT_DIR": str(out),
                    "CRAWL_PROFILE": "loopback",
                    "REFERENCE_NOW": REFERENCE_NOW,
                }
            )
            daemon.wait(jobid, timeout=150)
            truth = {t["id"] for t in rep.truth_records()}
        job_log = daemon.job_log(jobid)
    assert (out / "reports").is_dir(), job_log[-3000:]
    report = latest_report(out)
    assert report["status"] in ("success", "success_with_warnings"), job_log[-3000:]
    records = article_records(out)
    assert {r["id"] for r in records} == truth
    invalid = {r["id"]: validate(r, "articles") for r in records}
    assert not {k: v for k, v in invalid.items() if v}
