"""Settings of a whole pytest run, shared by every test process.

The generated-chrome crawls draw fresh chrome seeds every run (tests/e2e/test_generated_chromes.py);
the base they are drawn from is fixed here, before xdist starts its workers (which inherit the
environment), so that every worker collects the same seeds, and printed in the header so that a run
can be replayed: `CHROME_SEED_BASE=<base> make test`.
"""

from __future__ import annotations

import os
import random


def pytest_configure(config):
    if not os.environ.get("CHROME_SEED_BASE"):
        os.environ["CHROME_SEED_BASE"] = str(random.SystemRandom().randrange(2**40))


def pytest_report_header(config):
    return f"generated chromes: CHROME_SEED_BASE={os.environ['CHROME_SEED_BASE']}"
