"""The frontier's SQLite file (crawler/frontier/store.py): order, the duplicate filter, requests
handed back after a kill, batches that a kill loses whole, a new run's reset."""

from __future__ import annotations

from crawler.frontier.store import FrontierStore, pending_by_kind


def taken_all(store: FrontierStore, slot: str) -> list[bytes]:
    out = []
    while (got := store.take(slot)) is not None:
        out.append(got[1])
    return out


def test_priority_then_age_within_a_slot(tmp_path):
    store = FrontierStore(tmp_path / "f.sqlite3")
    store.reset("r1")
    for i, (priority, name) in enumerate(
        [
            (0, b"article1"),
            (-10, b"image"),
            (100, b"listing1"),
            (0, b"article2"),
            (100, b"listing2"),
        ]
    ):
        store.push("vi", priority, "x", f"k{i}".encode(), name)
    store.push("en", 0, "x", b"en", b"en-article")
    assert taken_all(store, "vi") == [b"listing1", b"listing2", b"article1", b"article2", b"image"]
    assert store.queued_by_slot() == {"en": 1}


def test_seen_keys_and_queued_twins(tmp_path):
    store = FrontierStore(tmp_path / "f.sqlite3")
    store.reset("r1")
    assert store.first_sight(b"item:baolongan:1") is True
    assert store.first_sight(b"item:baolongan:1") is False
    assert store.push("vi", 0, "probe", b"fp", b"a") is not None
    assert store.push("vi", 0, "probe", b"fp", b"b") is None  # its twin is queued
    seq, _ = store.take("vi")
    assert store.push("vi", 0, "probe", b"fp", b"retry") is not None  # a retry of a taken one
    store.finish(seq)
    assert taken_all(store, "vi") == [b"retry"]


def test_a_kill_loses_the_last_batch_whole_and_hands_back_what_was_taken(tmp_path):
    path = tmp_path / "f.sqlite3"
    store = FrontierStore(path, commit_every=1000)
    store.reset("r1")
    for i in range(5):
        store.push("vi", 0, "item", f"k{i}".encode(), f"r{i}".encode())
    store.commit()
    first, _ = store.take("vi")  # taken, then finished: both only in the open batch
    second, _ = store.take("vi")  # taken and committed: in flight at the kill
    store.commit()
    store.finish(first)
    store.push("vi", 0, "item", b"child", b"child")
    store.db.close()  # a SIGKILL: the open transaction never commits

    again = FrontierStore(path)
    assert again.run_id() == "r1"
    assert again.hand_back() == 2  # the first (its finish was lost) and the second
    assert taken_all(again, "vi") == [b"r0", b"r1", b"r2", b"r3", b"r4"]
    assert pending_by_kind(path) is None  # held exclusively while open
    again.close()
    assert pending_by_kind(path) == {"item": 5}


def test_a_new_run_starts_from_an_empty_frontier(tmp_path):
    store = FrontierStore(tmp_path / "f.sqlite3")
    store.reset("r1")
    store.first_sight(b"k")
    store.push("vi", 0, "item", b"k", b"r")
    store.reset("r2")
    assert store.run_id() == "r2"
    assert store.queued_by_slot() == {} and store.first_sight(b"k") is True


def test_commits_in_batches(tmp_path):
    store = FrontierStore(tmp_path / "f.sqlite3", commit_every=3)
    store.reset("r1")
    store.finish(1)
    store.finish(2)
    assert store.db.in_transaction
    store.finish(3)
    assert store.db.in_transaction and store.changes == 3  # a full batch, still open
    store.finish(4)
    assert store.db.in_transaction and store.changes == 1  # the fourth change committed three


def test_a_seen_key_is_never_committed_without_its_request(tmp_path):
    """A kill (or a failed write) after any change: every key the file has seen is queued, so
    the resumed run fetches it (before, the batch's last first sight committed alone)."""
    for cut in range(1, 12):
        path = tmp_path / f"f{cut}.sqlite3"
        store = FrontierStore(path, commit_every=3)
        store.reset("r1")
        for i in range(cut):
            key = f"item:{i}".encode()
            assert store.first_sight(key)
            store.push("vi", 0, "item", key, key)
        store.db.close()  # a SIGKILL: the open batch never commits

        again = FrontierStore(path)
        seen = {k for (k,) in again.db.execute("SELECT key FROM seen")}
        queued = {k for (k,) in again.db.execute("SELECT key FROM queue")}
        assert seen <= queued, (cut, sorted(seen - queued))
        assert len(seen) >= cut - 2  # whole batches of 3 changes were committed
        again.close()
