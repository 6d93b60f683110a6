"""Id gaps (issue 16 point 4, docs/site.md: one dense article-id sequence for both editions).

After a listing crawl of both editions the ids between the smallest and largest known article id
that neither the archive holds nor any listing or link of the run named are *gaps*: articles only
an id probe can reach, or ids the CMS never published or has deleted. Known ids come from the state
store's items (a refresh names only what is new) and the run's sightings. The ids are streamed in
order from SQLite, so memory stays flat over 200,000 ids; the gaps go into the state store's
`id_gaps` table, one row per range with the publication years of the nearest archived articles
below and above, and `-a ids=gaps` probes exactly those ranges (`GapFeeder`, crawler/probes.py).

The report says how many gap ids there are, by year of their neighbours; after `ids=gaps` it says
which gaps were articles reachable only by id, which answered 404/410, which redirected off the
article, and which stay unanswered (failed, or not probed yet: the same command resumes).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crawler.context import Asked
from crawler.errors import BadArgumentError
from crawler.probes import ProbeFeeder

MAX_SHOWN = 50  # ranges listed in the Markdown report; every one is in reports/<run>.gaps.jsonl
RANGES_PER_QUERY = 100  # gap rows read from the state store at a time

TABLE = """
CREATE TABLE IF NOT EXISTS id_gaps(
  run_id TEXT, first INTEGER, last INTEGER, below_year TEXT, above_year TEXT,
  PRIMARY KEY(run_id, first)) WITHOUT ROWID;
"""

# Every numeric article id the archive holds or the run named, ascending, with its publication
# date when archived. Albums (`baolongan:album:...`) have their own ids and are left out.
_KNOWN_IDS = """
SELECT n, max(pub) FROM (
  SELECT CAST(substr(id, 11) AS INTEGER) AS n, published_at AS pub FROM items
   WHERE id GLOB 'baolongan:[0-9]*'
  UNION ALL
  SELECT DISTINCT CAST(substr(id, 11) AS INTEGER), NULL FROM sightings
   WHERE run_id = ? AND id GLOB 'baolongan:[0-9]*'
) GROUP BY n ORDER BY n
"""


def _table(state: Any) -> Any:
    state.db.executescript(TABLE)
    return state.db


def applies(asked: Asked | None) -> bool:
    """Gaps mean something after a listing crawl of both editions without a canary limit: one
    edition alone would show the other's ids as gaps, a canary nearly every id."""
    if asked is None or not asked.listing_crawl or asked.limit:
        return False
    return set(asked.editions) >= {"vi", "en"}


def find_gaps(rows: Iterator[tuple[int, str | None]]) -> Iterator[tuple[int, int, str, str]]:
    """(first, last, year below, year above) per run of ids missing from the ascending `rows` of
    (id, published_at or None); a neighbour is the nearest row with a publication date ('?' when
    none). Gaps wait for their upper neighbour in a list, short unless many named ids in a row
    are undated."""
    below, prev = "?", None
    waiting: list[tuple[int, int, str]] = []
    for n, published in rows:
        if prev is not None and n > prev + 1:
            waiting.append((prev + 1, n - 1, below))
        if published:
            below = published[:4]
            yield from ((a, b, y, below) for a, b, y in waiting)
            waiting = []
        prev = n
    yield from ((a, b, y, "?") for a, b, y in waiting)


def record_gaps(state: Any, run_id: str) -> None:
    """Compute the run's gaps and keep them in the state store (computed once per run). Only the
    newest set is kept: `ids=gaps` probes no other, and daily refreshes would pile sets up."""
    db = _table(state)
    with state.transaction():
        db.execute("DELETE FROM id_gaps")
        # Read and written on one connection, row by row: the cursor streams the ids.
        known = db.execute(_KNOWN_IDS, (run_id,))
        gaps = ((run_id, *gap) for gap in find_gaps(known))
        db.executemany("INSERT INTO id_gaps VALUES (?, ?, ?, ?, ?)", gaps)


def newest_gap_run(state: Any) -> str | None:
    """The run whose gaps `ids=gaps` probes: the newest that recorded any."""
    row = _table(state).execute("SELECT max(run_id) FROM id_gaps").fetchone()
    return row[0] if row else None


def ranges(state: Any, run_id: str, after: int = 0) -> Iterator[tuple[int, int, str, str]]:
    """The run's gap ranges above `after`, ascending, read RANGES_PER_QUERY at a time."""
    db = _table(state)
    while True:
        rows = db.execute(
            "SELECT first, last, below_year, above_year FROM id_gaps "
            "WHERE run_id = ? AND first > ? ORDER BY first LIMIT ?",
            (run_id, after, RANGES_PER_QUERY),
        ).fetchall()
        if not rows:
            return
        yield from (tuple(r) for r in rows)
        after = rows[-1][0]


def span(state: Any, run_id: str) -> tuple[int, int, int]:
    """(smallest gap id, largest gap id, number of gap ids) of the run's gaps."""
    row = (
        _table(state)
        .execute(
            "SELECT min(first), max(last), sum(last - first + 1) FROM id_gaps WHERE run_id = ?",
            (run_id,),
        )
        .fetchone()
    )
    return row[0], row[1], row[2] or 0


class GapFeeder(ProbeFeeder):
    """ProbeFeeder over the gap ranges of one run instead of one range: the ranges are read from
    the state store as the probes go, and ids probed already are skipped (a run resumes)."""

    def __init__(self, state: Any, gap_run: str) -> None:
        super().__init__(state, 1, 0)  # an empty range: the next gap range replaces it
        self.gap_ranges = ranges(state, gap_run)

    def take(self, n: int) -> list[int]:
        out = super().take(n)
        while len(out) < n:
            nxt = next(self.gap_ranges, None)
            if nxt is None:
                break
            self.next_id, self.end = nxt[0], nxt[1]
            out += super().take(n - len(out))
        return out


def prepare(spider: Any, max_span: int) -> None:
    """`ids=gaps`: the spider probes the newest recorded gaps (`id_gaps` names their run,
    `id_range` spans them for the progress figures). Without gaps to probe the run is refused
    (exit 2), its lock released first."""
    state = spider.run.state
    gap_run = newest_gap_run(state)
    first, last, count = span(state, gap_run) if gap_run else (None, None, 0)
    problem = None
    if gap_run is None:
        problem = "a full crawl of both editions first (no id gaps are recorded yet)"
    elif not count:
        problem = f"id gaps to probe (run {gap_run}, the newest to record gaps, found none)"
    elif count > max_span:
        problem = f"at most {max_span:,} gap ids (IDS_MAX_SPAN); run {gap_run} found {count:,}"
    if problem:
        spider.run.release()
        raise BadArgumentError("ids", "gaps", problem)
    spider.id_gaps = gap_run
    spider.id_range = (first, last)
