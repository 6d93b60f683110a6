"""A local scrapyd for tests and measurements: copy the project as a clone would have it, start
scrapyd on a free loopback port, deploy with scrapyd-deploy, schedule through the HTTP API."""

from __future__ import annotations

import configparser
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.distributed.support import free_port
from tests.support import ROOT


def project_copy(dest: Path) -> Path:
    """Tracked and not-ignored files, so the build neither writes into the work tree nor sees
    local leftovers."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def api(base: str, path: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(base + path, data=body, timeout=30) as resp:
        return json.loads(resp.read())


@dataclass
class Scrapyd:
    base: str
    home: Path
    proc: subprocess.Popen
    env: dict

    def deploy(self, project: Path) -> subprocess.CompletedProcess:
        """scrapyd-deploy from `project`, its scrapy.cfg pointed at this scrapyd."""
        cfg = configparser.ConfigParser()
        cfg.read(project / "scrapy.cfg")
        cfg.set("deploy", "url", self.base)
        with open(project / "scrapy.cfg", "w") as fh:
            cfg.write(fh)
        return subprocess.run(
            [sys.executable, "-m", "scrapyd_client.deploy", "-v", "1"],
            cwd=project, env=self.env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip

    def schedule(self, settings: dict[str, str], spider_args: dict[str, str] | None = None) -> str:
        data = [("project", "baolongan"), ("spider", "baolongan")]
        data += [("setting", f"{k}={v}") for k, v in settings.items()]
        data += list((spider_args or {}).items())
        job = api(self.base, "schedule.json", data)
        if job.get("status") != "ok":
            raise RuntimeError(f"schedule.json refused: {job}")
        return job["jobid"]

    def wait(self, jobid: str, timeout: float = 300) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for job in api(self.base, "listjobs.json?project=baolongan")["finished"]:
                if job["id"] == jobid:
                    return job
            time.sleep(0.3)
        raise TimeoutError(f"scrapyd job {jobid} did not finish in {timeout} s")

    def job_log(self, jobid: str) -> str:
        path = self.home / "logs" / "baolongan" / "baolongan" / f"{jobid}.log"
        return path.read_text() if path.exists() else ""


@contextlib.contextmanager
def scrapyd(home: Path) -> Iterator[Scrapyd]:
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {home}/eggs\nlogs_dir = {home}/logs\ndbs_dir = {home}/dbs\nitems_dir =\n"
        "max_proc = 1\npoll_interval = 0.2\n"
    )
    # HOME: no ~/.scrapyd.conf of the machine's user leaks in
    env = {**os.environ, "HOME": str(home), "PYTHONUNBUFFERED": "1"}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    log = home / "scrapyd.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "scrapyd"], cwd=home, env=env, stdout=fh,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        for _ in range(300):
            if proc.poll() is not None:
                raise RuntimeError(f"scrapyd exited: {log.read_text()[-2000:]}")
            try:
                if api(base, "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("scrapyd did not answer")
        yield Scrapyd(base, home, proc, env)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
