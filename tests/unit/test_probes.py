"""crawler.probes: ids handed out lazily, already-probed ids skipped, at most HIGH outstanding."""

from __future__ import annotations

from crawler import probes


class FakeState:
    def __init__(self, done: set[int]) -> None:
        self.done = done
        self.queries: list[tuple[int, int]] = []

    def probed(self, start: int, end: int) -> set[int]:
        self.queries.append((start, end))
        return {a for a in self.done if start <= a <= end}


def test_feeder_hands_out_ids_lazily_and_skips_probed():
    state = FakeState({2, 3, 1500})
    feeder = probes.ProbeFeeder(state, 1, 999_999)
    first = feeder.refill()
    assert len(first) == probes.HIGH and first[:3] == [1, 4, 5] and 1500 not in first
    assert len(state.queries) == 3, "only the chunks needed so far are looked up"
    assert feeder.refill() == [], "nothing more while LOW or more are outstanding"
    for _ in range(probes.HIGH - probes.LOW + 1):
        feeder.answered()
    more = feeder.refill()
    assert len(more) == probes.HIGH - probes.LOW + 1 and more[0] == first[-1] + 1


def test_feeder_ends_with_the_range():
    feeder = probes.ProbeFeeder(FakeState(set()), 10, 12)
    assert feeder.refill() == [10, 11, 12]
    assert feeder.take(5) == []
