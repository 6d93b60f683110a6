"""`ids=START-END` probes handed out lazily (issue 14 point 2): a range of a million ids is never
queued at once, nor held as a set in memory.

The spider keeps between LOW and HIGH probes outstanding (requested, no answer yet): each answer
that brings the count under LOW asks the feeder for more. The feeder walks the range in chunks and
skips ids the state store says were probed already (a backfill resumes), one chunk query at a
time, so memory stays flat whatever the range.
"""

from __future__ import annotations

from typing import Any

CHUNK = 1000  # ids looked up in the probes table at a time
LOW, HIGH = 500, 2000  # probes outstanding: refill under LOW, up to HIGH


class ProbeFeeder:
    def __init__(self, state: Any, start: int, end: int) -> None:
        self.state = state
        self.next_id = start
        self.end = end
        self.outstanding = 0
        self.ready: list[int] = []

    def take(self, n: int) -> list[int]:
        """Up to n ids not probed yet, in order; [] once the range is exhausted."""
        while len(self.ready) < n and self.next_id <= self.end:
            last = min(self.next_id + CHUNK - 1, self.end)
            done = self.state.probed(self.next_id, last)
            self.ready.extend(a for a in range(self.next_id, last + 1) if a not in done)
            self.next_id = last + 1
        out, self.ready = self.ready[:n], self.ready[n:]
        return out

    def refill(self) -> list[int]:
        """The ids to request now: none while LOW or more are outstanding, else up to HIGH."""
        if self.outstanding >= LOW:
            return []
        ids = self.take(HIGH - self.outstanding)
        self.outstanding += len(ids)
        return ids

    def answered(self) -> None:
        self.outstanding -= 1
