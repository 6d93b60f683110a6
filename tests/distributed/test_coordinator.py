"""The shared crawl's Redis side, against a real redis-server: queue moves, reaper, termination,
run id, sightings (same answers as the state store), claims, listings outstanding, shared rate."""

from __future__ import annotations

import threading
import time

import pytest

from crawler.distributed.coordinator import Coordinator, DistributedModeError, RedisSightings
from crawler.distributed.gates import crawl_coverage, enrol, publish_coverage
from crawler.distributed.ratelimit import RESERVE
from crawler.state import StateStore

NOW = "2025-06-30T16:00:00Z"


def worker(server, name, tmp_path, timeout_s=60.0, join=True, signature="sig"):
    c = Coordinator(server, crawl="t", worker=name, worker_timeout_s=timeout_s)
    if join:
        state = StateStore(tmp_path / f"{name}.sqlite3")
        c.join_run(state, signature, NOW)
        c.state = state
    return c


def test_pop_order_is_priority_then_push_order(server, tmp_path):
    a = worker(server, "a", tmp_path)
    for name, prio in [("x1", 0), ("l1", 100), ("x2", 0), ("l2", 100)]:
        assert a.push(name.encode(), prio, f"fp-{name}", listing=prio > 0)
    assert [a.pop()[1] for _ in range(4)] == [b"l1", b"l2", b"x1", b"x2"]
    assert a.pop() is None


def test_duplicate_fingerprint_is_not_queued_but_empty_fingerprint_always_is(server, tmp_path):
    a = worker(server, "a", tmp_path)
    assert a.push(b"r", 0, "fp", False)
    assert not a.push(b"r", 0, "fp", False)
    assert a.push(b"retry", 0, "", False)  # dont_filter
    assert a.queued() == 2


def test_pop_moves_into_processing_until_ack(server, tmp_path):
    a = worker(server, "a", tmp_path)
    a.push(b"r", 0, "fp", True)
    token, data = a.pop()
    assert data == b"r" and a.queued() == 0 and a.processing() == 1
    assert a.listings_outstanding() == 1
    assert not a.crawl_idle()
    assert a.ack(token)
    assert a.processing() == 0 and a.listings_outstanding() == 0
    assert a.crawl_idle()


def test_restarted_worker_hands_back_its_own_requests(server, tmp_path):
    a = worker(server, "a", tmp_path)
    a.push(b"r", 0, "fp", False)
    a.pop()
    a.state.close()  # the old process is gone: its state store holds no lock any more
    again = worker(server, "a", tmp_path)  # same worker id, new process
    assert again.requeue_own() == 1
    assert again.queued() == 1 and again.processing() == 0
    assert again.pop()[1] == b"r"


def test_reaper_hands_back_a_silent_workers_requests_only_after_the_timeout(server, tmp_path):
    a = worker(server, "a", tmp_path, timeout_s=1.0)
    b = worker(server, "b", tmp_path, timeout_s=1.0)
    a.push(b"r1", 5, "1", True)
    a.push(b"r2", 0, "2", False)
    a.pop()
    a.pop()
    b.heartbeat()
    assert b.reap() == {}  # a is alive
    time.sleep(1.2)
    b.heartbeat()
    assert b.reap() == {"a": 2}
    assert "a" not in b.workers() and b.processing("a") == 0
    assert [b.pop()[1], b.pop()[1]] == [b"r1", b"r2"]  # priorities kept
    assert b.listings_outstanding() == 1  # the listing is still outstanding


def test_a_reaped_worker_coming_back_cannot_ack_what_another_worker_holds(server, tmp_path):
    a = worker(server, "a", tmp_path, timeout_s=0.5)
    b = worker(server, "b", tmp_path, timeout_s=0.5)
    a.push(b"r", 0, "1", True)
    token, _ = a.pop()
    time.sleep(0.7)
    b.reap()
    token_b, data = b.pop()
    assert token_b == token and data == b"r"
    assert not a.ack(token)  # the zombie's late ack changes nothing
    assert b.listings_outstanding() == 1 and b.processing() == 1
    assert b.ack(token)


def test_crawl_is_idle_only_when_queue_and_every_processing_set_are_empty(server, tmp_path):
    a = worker(server, "a", tmp_path)
    b = worker(server, "b", tmp_path)
    a.heartbeat()
    b.heartbeat()
    assert a.crawl_idle()
    a.push(b"r", 0, "1", False)
    assert not b.crawl_idle()
    token, _ = b.pop()
    assert not a.crawl_idle()
    b.push(b"child", 0, "2", False)  # children are queued before the parent is acknowledged
    b.ack(token)
    assert not a.crawl_idle()
    token, _ = a.pop()
    a.ack(token)
    assert a.crawl_idle() and b.crawl_idle()


def test_claims_first_worker_wins_and_keeps_its_claims_after_a_restart(server, tmp_path):
    a = worker(server, "a", tmp_path)
    b = worker(server, "b", tmp_path)
    assert a.claim(["x", "y"]) == {"x", "y"}
    assert b.claim(["y", "z"]) == {"z"}
    a.state.close()  # a restarts: the old process's state store is closed first
    assert worker(server, "a", tmp_path).claim(["x", "z"]) == {"x"}


def test_sightings_answer_like_the_state_store(server, tmp_path):
    store = StateStore(tmp_path / "s.sqlite3")
    redis_side = RedisSightings(server, "baolongan:t:")
    calls = [
        ("r1", "baolongan:7", "section", "thoi-su/long-an", "Long An"),
        ("r1", "baolongan:7", "section", "kinh-te", "Kinh tế"),
        ("r1", "baolongan:7", "section", "kinh-te", "other name ignored"),
        ("r1", "baolongan:7", "url", "http://127.0.0.1:1/b-a7.html", None),
        ("r1", "baolongan:7", "url", "http://127.0.0.1:1/a-a7.html", None),
        ("r1", "baolongan:7", "edition", "vi", None),
        ("r1", "baolongan:7", "edition", "en", None),
        ("r1", "baolongan:8", "edition", "vi", None),
        ("r2", "baolongan:7", "edition", "vi", None),
    ]
    for call in calls:
        store.add_sighting(*call)
        redis_side.add_sighting(*call)
    for run_id, item_id in [("r1", "baolongan:7"), ("r1", "baolongan:8"), ("r2", "baolongan:7"),
                            ("r1", "baolongan:9")]:  # fmt: skip
        assert redis_side.sightings(run_id, item_id) == store.sightings(run_id, item_id)


def test_run_id_is_created_once_shared_and_reused_after_a_restart(server, tmp_path):
    a = worker(server, "a", tmp_path)
    b = worker(server, "b", tmp_path)
    assert a.run_id and a.run_id == b.run_id
    assert a.state.unfinished_run("sig")["run_id"] == a.run_id
    again = Coordinator(server, crawl="t", worker="a")
    run_id, resumed = again.join_run(a.state, "sig", NOW)
    assert (run_id, resumed) == (a.run_id, True)
    # a worker stopped cleanly closed its local row; rejoining reopens it
    b.state.finish_run(b.run_id, NOW, "crawl_failed")
    run_id, resumed = Coordinator(server, crawl="t", worker="b").join_run(b.state, "sig", NOW)
    assert (run_id, resumed) == (b.run_id, True)
    assert b.state.unfinished_run("sig")["run_id"] == b.run_id


def test_a_finished_run_is_followed_by_a_new_one(server, tmp_path):
    a = worker(server, "a", tmp_path)
    killed = worker(server, "k", tmp_path)
    first = a.run_id
    a.mark_finished(NOW)
    a.state.finish_run(first, NOW, "success")
    # a worker killed before it closed its part rejoins the finished run to write what it holds
    run_id, resumed = Coordinator(server, crawl="t", worker="k").join_run(killed.state, "sig", NOW)
    assert (run_id, resumed) == (first, True)
    # a worker that closed its part starts the next run (and is refused: it holds an archive)
    a.state.upsert_item({"id": "baolongan:1", "type": "article", "status": "live", "version": 1})
    with pytest.raises(DistributedModeError, match="Incremental refresh"):
        Coordinator(server, crawl="t", worker="a").join_run(a.state, "sig", NOW)
    c = worker(server, "c", tmp_path)
    assert c.run_id != first
    assert worker(server, "d", tmp_path).run_id == c.run_id
    # the key of the finished run expire after keep_days
    assert 0 < server.ttl(f"baolongan:t:{first}:meta") <= 7 * 86400


def test_workers_of_one_crawl_must_run_the_same_command(server, tmp_path):
    worker(server, "a", tmp_path)
    with pytest.raises(DistributedModeError, match="same command"):
        worker(server, "b", tmp_path, signature="other")


def test_incremental_refresh_is_refused(server, tmp_path):
    state = StateStore(tmp_path / "old.sqlite3")
    state.upsert_item({"id": "baolongan:1", "type": "article", "status": "live", "version": 1})
    c = Coordinator(server, crawl="t", worker="old")
    with pytest.raises(DistributedModeError, match="Incremental refresh is not supported"):
        c.join_run(state, "sig", NOW)


def test_bad_crawl_name(server):
    with pytest.raises(DistributedModeError, match="DISTRIBUTED_CRAWL"):
        Coordinator(server, crawl="a:b", worker="w")


def test_shared_rate_spaces_reservations(server):
    reserve = server.register_script(RESERVE)
    interval_ms, burst = 100.0, 3
    waits = [int(reserve(keys=["rl"], args=[interval_ms, burst])) for _ in range(8)]
    # the first `burst` go at once, then one per interval
    assert waits[:3] == [0, 0, 0]
    for n, wait in enumerate(waits[3:], 1):
        assert abs(wait - n * interval_ms) <= 15, waits


# --- the crawl-wide quality gates ------------------------------------------------------------------
COVERAGE = {
    "coverage/article/records": 10,
    "coverage/article/present/title": 10,
    "coverage/article/present/authors": 8,
}


def test_crawl_coverage_sums_every_published_worker(server, tmp_path):
    a, b = worker(server, "a", tmp_path), worker(server, "b", tmp_path)
    publish_coverage(a, COVERAGE)
    publish_coverage(b, {**COVERAGE, "coverage/article/present/authors": 9})
    counters, summed, waiting = crawl_coverage(a, wait_s=0)
    assert summed == ["a", "b"] and waiting == []
    assert counters == {
        "coverage/article/records": 20,
        "coverage/article/present/title": 20,
        "coverage/article/present/authors": 17,
    }


def test_a_restarted_worker_replaces_its_share(server, tmp_path):
    a = worker(server, "a", tmp_path)
    publish_coverage(a, {**COVERAGE, "coverage/article/fallback/lead": 3})
    publish_coverage(a, COVERAGE)  # the same worker again: its whole share, not added to the first
    assert crawl_coverage(a, wait_s=0)[0] == COVERAGE


def test_crawl_coverage_waits_for_enrolled_workers_then_names_the_silent(server, tmp_path):
    a, b, c = (worker(server, name, tmp_path) for name in "abc")
    for w in (a, b, c):
        enrol(w)
    publish_coverage(a, COVERAGE)
    # b is not even registered (reaped while it wrote its records at the end): still waited for.
    assert "b" not in a.workers()

    started = time.monotonic()
    threading.Timer(0.6, publish_coverage, args=(b, COVERAGE)).start()
    counters, summed, waiting = crawl_coverage(a, wait_s=1.5)
    waited = time.monotonic() - started
    # b published while a waited; c never did: named once the wait is over.
    assert summed == ["a", "b"] and waiting == ["c"]
    assert waited >= 1.5
    assert counters["coverage/article/records"] == 20

    publish_coverage(c, COVERAGE)
    started = time.monotonic()
    assert crawl_coverage(a, wait_s=30)[1:] == (["a", "b", "c"], [])
    assert time.monotonic() - started < 5, "waited although every worker had published"


def test_a_rejoining_worker_withdraws_its_share_until_it_publishes_again(server, tmp_path):
    a, b = worker(server, "a", tmp_path), worker(server, "b", tmp_path)
    enrol(a)
    enrol(b)
    publish_coverage(a, COVERAGE)
    publish_coverage(b, COVERAGE)  # b stopped early (SIGTERM): its share so far
    enrol(b)  # b restarted: its old share must not be summed while it crawls on
    counters, summed, waiting = crawl_coverage(a, wait_s=0)
    assert summed == ["a"] and waiting == ["b"] and counters == COVERAGE
