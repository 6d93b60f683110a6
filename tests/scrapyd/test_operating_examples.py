"""docs/operating.md's scheduling examples, run as printed against the replica (issue 17).

- scrapyd: the `<!-- example:scrapyd-schedule needs:scrapyd -->` block (scrapyd-deploy, then curl
  schedule.json) from a copy of the project as a clone has it, against a local scrapyd; only the
  scrapyd address and the `/srv/baolongan` prefix change. The job it schedules must write a run
  report of a complete crawl under the printed OUTPUT_DIR.
- cron: the jobs of deploy/crontab.example (the file the docs copy to /etc/cron.d), each command as
  cron would run it (bash, cron's PATH, no working directory), `/srv/baolongan` pointed at a folder
  holding this checkout as `crawler`. The daily refresh must archive the replica and the morning
  check answer with the report's exit status.

Where the crawl goes comes from the environment (BAOLONGAN_EDITION_URL_VI/EN, as
/etc/default/baolongan or the scrapyd service's environment would set it), never from the examples.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.export.test_examples import examples
from tests.scrapyd.support import project_copy, scrapyd
from tests.support import REFERENCE_NOW, ROOT, article_records, latest_report, replica

pytestmark = pytest.mark.e2e

ARTICLES = 20  # the replica's smallest site: the examples' wiring is under test, not the crawl
PREFIX = "/srv/baolongan"
PRINTED_SCRAPYD = "http://127.0.0.1:6800/"


def portal_env(rep) -> dict[str, str]:
    return {
        "BAOLONGAN_EDITION_URL_VI": rep.vi,
        "BAOLONGAN_EDITION_URL_EN": rep.en,
        "BAOLONGAN_CRAWL_PROFILE": "loopback",
        "BAOLONGAN_REFERENCE_NOW": REFERENCE_NOW,
    }


def test_scrapyd_example_runs_as_printed(tmp_path, monkeypatch):
    example = next(e for e in examples() if (e.doc, e.name) == ("operating.md", "scrapyd-schedule"))
    assert example.needs == "scrapyd" and PRINTED_SCRAPYD in example.code
    project = project_copy(tmp_path / "project")
    (project / ".venv").symlink_to(ROOT / ".venv")  # a clone with its venv, as the docs assume
    srv = tmp_path / "srv"
    with replica(tmp_path / "replica", articles=ARTICLES) as rep:
        for name, value in portal_env(rep).items():
            monkeypatch.setenv(name, value)  # scrapyd hands its environment to its jobs
        with scrapyd(tmp_path / "scrapyd") as daemon:
            cfg = (project / "scrapy.cfg").read_text()
            (project / "scrapy.cfg").write_text(cfg.replace(PRINTED_SCRAPYD, daemon.base))
            assert daemon.base in (project / "scrapy.cfg").read_text(), "no [deploy] url to point"
            code = example.code.replace(PRINTED_SCRAPYD, daemon.base).replace(PREFIX, str(srv))
            result = subprocess.run(
                ["bash", "-e", "-c", code], cwd=project, env=daemon.env,
                capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
            answer = json.loads(result.stdout.strip().splitlines()[-1])  # curl's schedule.json
            assert answer["status"] == "ok", answer
            daemon.wait(answer["jobid"], timeout=240)
            job_log = daemon.job_log(answer["jobid"])
            truth = {t["id"] for t in rep.truth_records()}
    archive = srv / "archive"
    assert (archive / "reports").is_dir(), job_log[-3000:]
    assert latest_report(archive)["status"] in ("success", "success_with_warnings")
    assert {r["id"] for r in article_records(archive)} == truth


def cron_jobs() -> list[str]:
    """The commands of deploy/crontab.example's active lines (minute hour day month weekday user
    command), in file order."""
    jobs = []
    for line in (ROOT / "deploy" / "crontab.example").read_text(encoding="utf-8").splitlines():
        fields = line.split(None, 6)
        if len(fields) == 7 and not line.startswith("#") and "=" not in fields[0]:
            jobs.append(fields[6])
    return jobs


def test_crontab_jobs_run_as_cron_would(tmp_path):
    jobs = cron_jobs()
    assert len(jobs) == 2 and "daily-refresh.sh" in jobs[0] and "check_report.py" in jobs[1], jobs
    srv = tmp_path / "srv"
    srv.mkdir()
    (srv / "crawler").symlink_to(ROOT)
    with replica(tmp_path / "replica", articles=ARTICLES) as rep:
        env = {
            "PATH": "/usr/bin:/bin",  # what cron gives; SHELL=/bin/bash as the crontab sets
            "HOME": str(tmp_path),
            # /etc/default/baolongan's settings: this checkout and archive, and no /var paths
            "APP": str(srv / "crawler"),
            "ARCHIVE": str(srv / "archive"),
            "LOG_DIR": str(tmp_path / "logs"),
            "LOCK_FILE": str(tmp_path / "refresh.lock"),
            **portal_env(rep),
        }
        done = [
            subprocess.run(
                ["/bin/bash", "-c", job.replace(PREFIX, str(srv))],
                cwd="/",
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )  # fmt: skip
            for job in jobs
        ]
        truth = {t["id"] for t in rep.truth_records()}
    refresh, check = done
    archive = srv / "archive"
    assert refresh.returncode in (0, 3), refresh.stderr[-3000:]
    assert len(list((tmp_path / "logs").glob("refresh-*.log"))) == 1
    assert {r["id"] for r in article_records(archive)} == truth
    assert latest_report(archive)["exit_code"] == refresh.returncode
    # check_report.py answers with the report's status: 0 and nothing more, or a warning whose
    # `|| alert.sh` sends the alert (no webhook or mail configured: to the job's log, stderr).
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    assert ("ALERT: Báo Long An archive: check_report failed (exit 3)" in check.stderr) == (
        refresh.returncode == 3
    ), check.stderr[-2000:]
