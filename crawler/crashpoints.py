"""Named moments where crash tests can kill a real crawl by its pid.

With `BAOLONGAN_PAUSE_AT=<moment>[:<n>]` in the environment, the process stops dead the n-th time
(default 1st) it reaches that moment: it writes `<OUTPUT_DIR>/paused-<moment>` with its pid and
sleeps, so the test can SIGKILL it exactly there. Without the variable this costs one dict lookup.
Moments: listing (mid-listing), record_write (half a line on disk), state_commit (inside the
state transaction), tombstone_commit (a tombstone line fsynced, its state not yet committed),
sightings_commit (inside the transaction after sightings lines were fsynced), warc_rotation
(between closing one WARC file and opening the next).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_SPEC = os.environ.get("BAOLONGAN_PAUSE_AT", "")
_NAME, _, _NTH = _SPEC.partition(":")
_counts: dict[str, int] = {}


def active() -> bool:
    return bool(_SPEC)


def reached(moment: str, output_dir: Path | str | None = None) -> None:
    if not _SPEC or moment != _NAME:
        return
    _counts[moment] = _counts.get(moment, 0) + 1
    if _counts[moment] != int(_NTH or 1):
        return
    folder = Path(output_dir or os.environ.get("BAOLONGAN_OUTPUT_DIR", "."))
    (folder / f"paused-{moment}").write_text(str(os.getpid()))
    while True:  # wait for the test's SIGKILL
        time.sleep(60)
