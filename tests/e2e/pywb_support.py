"""pywb (Webrecorder's wayback machine) from its own virtualenv, for replay tests on loopback.

pywb pins an old redis client (redis<3) that conflicts with scrapy-redis, so it is not installed in
.venv: `make pywb-venv` creates `.venv-pywb` (override with PYWB_VENV) and the tests run pywb's
console scripts (`wb-manager`, `wayback`) as subprocesses, talking to it over 127.0.0.1 only.
A missing .venv-pywb fails the test with the install hint; it is never skipped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import ROOT

PYWB_VENV = Path(os.environ.get("PYWB_VENV") or ROOT / ".venv-pywb")
INSTALL_HINT = (
    "pywb runs from its own virtualenv, which is missing: run `make pywb-venv`"
    " (python3 -m venv .venv-pywb && .venv-pywb/bin/pip install pywb)"
)
START_TIMEOUT = 60.0


def pywb_script(name: str) -> Path:
    """A console script of the pywb virtualenv; fails the calling test when it is not installed."""
    path = PYWB_VENV / "bin" / name
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path} not found. {INSTALL_HINT}", pytrace=False)
    return path


def _env() -> dict[str, str]:
    # pywb's own interpreter and packages only: nothing of .venv may leak in.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["VIRTUAL_ENV"] = str(PYWB_VENV)
    env["PATH"] = f"{PYWB_VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def _run(args: list, cwd: Path) -> None:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, (
        f"{args[:3]} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
    )


def add_collection(root: Path, name: str, warc_files: list[Path]) -> None:
    """`wb-manager init` + `wb-manager add`: pywb copies the files and indexes them itself."""
    root.mkdir(parents=True, exist_ok=True)
    _run([pywb_script("wb-manager"), "init", name], root)
    _run([pywb_script("wb-manager"), "add", name, *warc_files], root)


def add_collection_with_cdxj(root: Path, name: str, warc_files: list[Path]) -> None:
    """A collection served from the crawler's own CDXJ files (`<file>.warc.gz.cdxj`), not pywb's."""
    root.mkdir(parents=True, exist_ok=True)
    _run([pywb_script("wb-manager"), "init", name], root)
    coll = root / "collections" / name
    for path in warc_files:
        (coll / "archive" / path.name).symlink_to(path)
        shutil.copy(path.with_name(path.name + ".cdxj"), coll / "indexes")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Wayback:
    base: str  # http://127.0.0.1:PORT
    log: Path

    def get(self, path: str, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
        """GET base + path without following redirects; (status, headers, body)."""

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect, urllib.request.ProxyHandler({}))
        try:
            with opener.open(self.base + path, timeout=timeout) as resp:
                return resp.status, dict(resp.headers.items()), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers.items()), err.read()


def _ready(proc: subprocess.Popen, port: int, deadline: float) -> bool:
    """Wait until pywb answers its home page; False when the process died (port taken?)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with opener.open(f"http://127.0.0.1:{port}/", timeout=2) as resp:
                if resp.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    return False


@contextlib.contextmanager
def wayback(root: Path) -> Iterator[Wayback]:
    """`wayback` serving the collections under `root` on a free loopback port until the block ends."""
    script = pywb_script("wayback")
    log = root / "wayback.log"
    proc = None
    for _ in range(3):  # another process may take the port between our look and pywb's bind
        port = _free_port()
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                [str(script), "-p", str(port), "-b", "127.0.0.1", "-d", str(root)],
                cwd=root,
                env=_env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        if _ready(proc, port, time.monotonic() + START_TIMEOUT):
            break
        _stop(proc)
    else:
        pytest.fail(f"pywb did not start:\n{log.read_text(errors='replace')[-3000:]}")
    try:
        yield Wayback(f"http://127.0.0.1:{port}", log)
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
