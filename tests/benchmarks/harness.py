"""Measuring tools shared by the benchmarks: a replica server with its own CPU meter, a process
runner that reports CPU seconds and peak RSS of exactly one child, and the access-log reader that
counts requests by kind. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from tests.support import REFERENCE_NOW, ROOT, TODAY

ARTICLE_RE = re.compile(r"-a\d+\.html$")
ALBUM_RE = re.compile(r"-albumphoto/")
# Page requisites as the replica serves them: images (current and legacy paths), CSS, JS, icons.
REQUISITE_RE = re.compile(
    r"^/(image/|news/\d{4}/|Content/|Scripts/)|\.(jpe?g|png|gif|webp|jfif|svg|ico|css|js|woff2?)$",
    re.IGNORECASE,
)
KINDS = ("robots", "home", "listing", "article", "recheck", "requisite", "other")


# --------------------------------------------------------------------------------------------
# The replica


@dataclass
class Server:
    """A replica process on free loopback ports (no truth file: writing it for 50,000 articles
    takes minutes and no benchmark reads it)."""

    vi: str
    en: str
    access_log: Path
    proc: subprocess.Popen
    info: dict

    @property
    def ps(self) -> psutil.Process:
        return psutil.Process(self.proc.pid)

    def cpu(self) -> float:
        t = self.ps.cpu_times()
        return t.user + t.system

    def log_lines(self) -> int:
        if not self.access_log.exists():
            return 0
        with open(self.access_log, "rb") as fh:
            return sum(1 for _ in fh)

    def access(self, start: int = 0, end: int | None = None) -> list[dict]:
        if not self.access_log.exists():
            return []
        with open(self.access_log, encoding="utf-8") as fh:
            lines = fh.readlines()[start:end]
        return [json.loads(line) for line in lines if line.strip()]


@contextlib.contextmanager
def serve(
    folder: Path,
    articles: int,
    seed: int = 1,
    epoch: int = 0,
    crawl_delay: float = 0,
    irregular: bool = False,
    today: str = TODAY,
) -> Iterator[Server]:
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "access.jsonl"
    cmd = [
        sys.executable, "-m", "tests.replica", "--port-vi", "0", "--port-en", "0",
        "--articles", str(articles), "--seed", str(seed), "--epoch", str(epoch),
        "--today", today, "--access-log", str(log), "--crawl-delay", str(crawl_delay),
    ]  # fmt: skip
    if not irregular:
        cmd.append("--no-irregular")
    err_path = folder / f"replica-epoch{epoch}.err"
    err = open(err_path, "wb")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"replica did not start: {err_path.read_text()}")
        info = json.loads(line)
        yield Server(info["vi"], info["en"], log, proc, info)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        err.close()


# --------------------------------------------------------------------------------------------
# Crawl commands


def crawl_command(
    server: Server,
    output_dir: Path,
    *,
    profile: str | None = "loopback",
    settings: dict | None = None,
    timed: Path | None = None,
) -> list[str]:
    """`scrapy crawl baolongan` against the replica; `timed` runs it under tests.benchmarks.
    timed_crawl, which writes the per-component CPU breakdown to that file."""
    head = [sys.executable, "-m", "scrapy"]
    if timed is not None:
        head = [sys.executable, "-m", "tests.benchmarks.timed_crawl", str(timed)]
    cmd = [*head, "crawl", "baolongan"]
    if profile:
        cmd += ["-s", f"CRAWL_PROFILE={profile}"]
    cmd += [
        "-s", f"EDITION_URL_VI={server.vi}", "-s", f"EDITION_URL_EN={server.en}",
        "-s", f"OUTPUT_DIR={output_dir}", "-s", f"REFERENCE_NOW={REFERENCE_NOW}",
        "-s", "PROGRESS=lines",
    ]  # fmt: skip
    for key, value in (settings or {}).items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


# --------------------------------------------------------------------------------------------
# Running one measured process


@dataclass
class Measured:
    wall: float
    cpu_user: float
    cpu_sys: float
    peak_rss: int  # bytes: the child's VmHWM (the kernel's RSS high-water mark of its memory)
    returncode: int
    server_cpu: float  # CPU seconds the replica spent meanwhile
    rss_samples: list[tuple[float, int]] = field(default_factory=list)

    @property
    def cpu(self) -> float:
        return self.cpu_user + self.cpu_sys


def vm_hwm(pid: int) -> int:
    """The process's peak RSS so far (VmHWM, bytes); 0 once it has exited."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def run_measured(
    cmd: list[str],
    log: Path,
    server: Server | None = None,
    stop_after: float | None = None,
    timeout: float = 7200,
    sample_every: float = 0.5,
    cwd: Path | None = None,
) -> Measured:
    """Run `cmd`, wait for it with wait4 (exact CPU seconds of this one child), reading its
    VmHWM from /proc meanwhile. `stop_after`: send SIGINT (a clean stop) after that many seconds.
    `cwd`: the checkout to run in (default this one; tests.benchmarks.alternate runs two).

    Peak RSS is not wait4's ru_maxrss: Linux carries the high-water mark of the memory a
    process had before exec into it, and subprocess starts children with vfork, so every child
    would report at least this (parent) process's own peak RSS."""
    log.parent.mkdir(parents=True, exist_ok=True)
    server_cpu0 = server.cpu() if server else 0.0
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(log, "ab") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd or ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
        samples: list[tuple[float, int]] = []
        hwm = [0]
        done = threading.Event()

        def poll() -> None:
            ps = psutil.Process(proc.pid)
            stopped = False
            while not done.wait(sample_every):
                elapsed = time.perf_counter() - t0
                with contextlib.suppress(psutil.Error):
                    samples.append((round(elapsed, 1), ps.memory_info().rss))
                hwm[0] = max(hwm[0], vm_hwm(proc.pid))
                if stop_after is not None and elapsed >= stop_after and not stopped:
                    stopped = True
                    with contextlib.suppress(ProcessLookupError):
                        proc.send_signal(signal.SIGINT)
                if elapsed > timeout:
                    with contextlib.suppress(ProcessLookupError):
                        proc.kill()

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        done.set()
        poller.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        wall=wall,
        cpu_user=usage.ru_utime,
        cpu_sys=usage.ru_stime,
        peak_rss=max(hwm[0], max((r for _, r in samples), default=0)),
        returncode=proc.returncode,
        server_cpu=(server.cpu() - server_cpu0) if server else 0.0,
        rss_samples=samples,
    )


# --------------------------------------------------------------------------------------------
# The access log


def kind(entry: dict) -> str:
    path = entry["path"].split("#", 1)[0]
    bare = path.split("?", 1)[0]
    if bare == "/robots.txt":
        return "robots"
    if bare == "/":
        return "home"
    if ARTICLE_RE.search(bare) or ALBUM_RE.search(bare):
        if entry.get("if_none_match") or entry.get("if_modified_since"):
            return "recheck"
        return "article"
    if REQUISITE_RE.search(bare):
        return "requisite"
    return "listing"


def count_kinds(entries: list[dict]) -> Counter[str]:
    c: Counter[str] = Counter(kind(e) for e in entries)
    for k in KINDS:
        c.setdefault(k, 0)
    return c


def statuses(entries: list[dict]) -> Counter[int]:
    return Counter(e["status"] for e in entries)


def parse_time(value: str) -> float:
    """The access log's ISO time (UTC, milliseconds, `Z`) as epoch seconds."""
    from datetime import datetime

    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def longest_burst(times: list[float], window: float = 1.0) -> int:
    """The most requests whose times fall within any `window` seconds."""
    times = sorted(times)
    best = lo = 0
    for hi, t in enumerate(times):
        while t - times[lo] >= window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def write_urls(entries: list[dict], server: Server, path: Path) -> int:
    """The URLs of `entries` (in log order) on `server`, one per line, for the bare spider."""
    base = {"vi": server.vi, "en": server.en}
    with open(path, "w", encoding="utf-8") as fh:
        for e in entries:
            fh.write(f"{e['method']} {base[e['edition']]}{e['path']}\n")
    return len(entries)


# --------------------------------------------------------------------------------------------
# The machine


def machine() -> dict[str, str]:
    import platform
    from importlib import metadata

    model = "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "cpus": str(os.cpu_count()),
        "cpu_model": model,
        "ram": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "python": platform.python_version(),
        "scrapy": metadata.version("scrapy"),
        "kernel": platform.release(),
        "load": load,
    }


def code_version() -> dict[str, Any]:
    """The commit measured, and which tracked crawler files differ from it."""
    out: dict[str, Any] = {}
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", "crawler"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout
        out["dirty"] = sorted(line[3:] for line in status.splitlines() if line.strip())
    return out


class MachineShare:
    """How much of the machine other jobs used while the benchmarks ran: system-wide busy CPU
    seconds minus this process's and its children's (crawls, replicas, bare spiders)."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.busy0 = self._busy()
        self.ours0 = self._ours()

    @staticmethod
    def _busy() -> float:
        t = psutil.cpu_times()
        return sum(t) - t.idle - getattr(t, "iowait", 0.0)

    @staticmethod
    def _ours() -> float:
        import resource

        s = resource.getrusage(resource.RUSAGE_SELF)
        c = resource.getrusage(resource.RUSAGE_CHILDREN)
        return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime

    def result(self) -> dict[str, float]:
        wall = time.perf_counter() - self.t0
        busy = self._busy() - self.busy0
        ours = self._ours() - self.ours0
        cpus = os.cpu_count() or 1
        return {
            "wall_s": round(wall, 1),
            "cpus": cpus,
            "busy_cpu_s": round(busy, 1),
            "ours_cpu_s": round(ours, 1),
            "others_cpu_s": round(max(0.0, busy - ours), 1),
            "others_share": round(max(0.0, busy - ours) / (wall * cpus), 3) if wall else 0.0,
        }
