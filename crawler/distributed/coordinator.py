"""Everything the workers of one distributed crawl share in Redis, in one place: the key layout,
the Lua scripts that move requests between the queue and a worker's processing set, the shared run
id, the per-id merge sets, write claims, the listings still outstanding, and worker liveness.

Key layout (`ns` = "baolongan", `crawl` = DISTRIBUTED_CRAWL, `run` = the shared run id):

    ns:ratelimit:<host:port>    GCRA state of the shared rate limit of one host (all crawls)
    ns:crawl:current            the run id of the crawl's current run
    ns:crawl:run:meta           hash: signature, started_at, created_by, finished_at
    ns:crawl:run:q              zset token -> -priority; equal scores pop in token (= push) order
    ns:crawl:run:d              hash token -> serialized request, from push to acknowledgement
    ns:crawl:run:sc             hash token -> score, to hand a dead worker's request back
    ns:crawl:run:seq            counter behind the tokens
    ns:crawl:run:df             set of request fingerprints (the duplicate filter)
    ns:crawl:run:p:<worker>     set of tokens the worker popped and has not finished (processing)
    ns:crawl:run:workers        zset worker -> last heartbeat (ms, Redis clock)
    ns:crawl:run:listings       set of tokens of listing requests queued or in flight
    ns:crawl:run:claims         hash item id -> worker that writes it
    ns:crawl:run:counts         hash of crawl-wide counters (items per edition)
    ns:crawl:run:cov_members    set of the workers that joined the run (crawler/distributed/gates.py)
    ns:crawl:run:cov:<worker>   hash: the worker's field-coverage counters, written as it closes
    ns:crawl:run:cov_workers    set of the workers whose counters are written
    ns:crawl:run:s:<item id>    hash "kind<US>value" -> json(extra): what any worker saw of the id

A request's token is in exactly one of `q` or some `p:<worker>` from push until acknowledgement, and a
request's children are pushed before it is acknowledged, so "q and every p empty" (read in one
MULTI/EXEC) means the crawl has nothing left. Every clock reading is Redis's TIME, so workers on
hosts with skewed clocks agree on liveness. Scripts touch only keys they are given, except
`crawl_idle`'s read of each worker's set (done in a transaction, not a script); Redis Cluster is not
supported (all keys of a crawl must live on one server).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.errors import CrawlerError

logger = logging.getLogger(__name__)

NAMESPACE = "baolongan"
US = "\x1f"  # separates kind and value in a sightings field; never in a URL, slug or edition

# Move the first request of the queue into the worker's processing set, atomically, and refresh the
# worker's heartbeat. ZPOPMIN never blocks (a blocking pop inside the event loop would freeze the
# worker); an empty queue returns an empty list and Scrapy asks again later.
POP = """
local r = redis.call('ZPOPMIN', KEYS[1], 1)
local t = redis.call('TIME')
redis.call('ZADD', KEYS[4], t[1] * 1000 + math.floor(t[2] / 1000), ARGV[1])
if #r == 0 then return {} end
local token = r[1]
local data = redis.call('HGET', KEYS[2], token)
if not data then return {token, false} end
redis.call('SADD', KEYS[3], token)
return {token, data}
"""

# Duplicate filter and push in one step: a fingerprint is never marked seen without its request
# being queued (Scrapy's JOBDIR loses exactly those on a kill, docs/pitfalls.md).
PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[4], ARGV[1]) == 0 then return 0 end
local seq = redis.call('INCR', KEYS[5])
local token = string.format('%015d', seq)
redis.call('ZADD', KEYS[1], ARGV[3], token)
redis.call('HSET', KEYS[2], token, ARGV[2])
redis.call('HSET', KEYS[3], token, ARGV[3])
if ARGV[4] == '1' then redis.call('SADD', KEYS[6], token) end
return seq
"""

# Finished: forget the request. Only if it is still ours: a worker that was presumed dead and reaped
# must not erase a request another worker is now processing.
ACK = """
if redis.call('SREM', KEYS[1], ARGV[1]) == 1 then
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
  redis.call('SREM', KEYS[4], ARGV[1])
  return 1
end
return 0
"""

# Hand a worker's unfinished requests back to the queue. With ARGV[2] (a time in ms) only if the
# worker's heartbeat is still older than that — it may have come back since we looked.
REQUEUE = """
if ARGV[2] ~= '' then
  local s = redis.call('ZSCORE', KEYS[4], ARGV[1])
  if s and tonumber(s) >= tonumber(ARGV[2]) then return -1 end
end
local tokens = redis.call('SMEMBERS', KEYS[3])
for _, t in ipairs(tokens) do
  local score = redis.call('HGET', KEYS[2], t)
  if score then redis.call('ZADD', KEYS[1], score, t) end
end
redis.call('DEL', KEYS[3])
if ARGV[2] ~= '' then redis.call('ZREM', KEYS[4], ARGV[1]) end
return #tokens
"""

HEARTBEAT = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
return now
"""

# Claim an item id for writing: the first worker wins; the same worker (restarted) keeps its claim.
CLAIM = """
local out = {}
for i, id in ipairs(ARGV) do
  if i > 1 then
    local owner = redis.call('HGET', KEYS[1], id)
    if not owner then
      redis.call('HSET', KEYS[1], id, ARGV[1])
      out[#out + 1] = 1
    elseif owner == ARGV[1] then
      out[#out + 1] = 1
    else
      out[#out + 1] = 0
    end
  end
end
return out
"""

# Start a new run unless another worker did first: set `current` only if it still holds `expected`.
NEW_RUN = """
local cur = redis.call('GET', KEYS[1])
if (cur or '') ~= ARGV[1] then return cur end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[2], 'signature', ARGV[3], 'started_at', ARGV[4], 'created_by', ARGV[5])
return ARGV[2]
"""


class DistributedModeError(CrawlerError):
    """A worker cannot take part in the distributed crawl as configured."""

    status = "bad_arguments"


def _text(value: bytes | str | None) -> str | None:
    if value is None:
        return None
    return value.decode("utf-8") if isinstance(value, bytes) else value


def new_run_id() -> str:
    """The same shape as a single-process run id (crawler.run)."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


def default_worker_id(output_dir: Path) -> str:
    """Host plus a hash of OUTPUT_DIR: unique among live workers (OUTPUT_DIR is locked) and stable
    across restarts, so a restarted worker recognizes its own unfinished requests."""
    digest = hashlib.sha1(str(output_dir.resolve()).encode()).hexdigest()[:8]
    return f"{socket.gethostname()}:{digest}"


class RedisSightings:
    """StateStore.add_sighting / sightings, kept in Redis so that a record written by one worker
    carries the sections, URLs and editions every worker saw of its id."""

    def __init__(self, server: Any, prefix: str) -> None:
        self.server = server
        self.prefix = prefix  # "ns:crawl:"

    def key(self, run_id: str, item_id: str) -> str:
        return f"{self.prefix}{run_id}:s:{item_id}"

    def add_sighting(
        self, run_id: str, item_id: str, kind: str, value: str, extra: str | None = None
    ) -> None:
        # HSETNX: the first extra wins, like the state store's INSERT OR IGNORE.
        self.server.hsetnx(self.key(run_id, item_id), f"{kind}{US}{value}", json.dumps(extra))

    def sightings(self, run_id: str, item_id: str) -> dict[str, list[tuple[str, str | None]]]:
        out: dict[str, list[tuple[str, str | None]]] = {"section": [], "url": [], "edition": []}
        rows = []
        for field, extra in self.server.hgetall(self.key(run_id, item_id)).items():
            kind, _, value = _text(field).partition(US)
            rows.append((value, kind, json.loads(extra)))
        for value, kind, extra in sorted(rows):  # ORDER BY value, as the state store does
            out.setdefault(kind, []).append((value, extra))
        return out


class Coordinator:
    """One worker's handle on the shared crawl. Created once per crawler (get_coordinator)."""

    def __init__(
        self,
        server: Any,
        crawl: str,
        worker: str,
        heartbeat_s: float = 5.0,
        worker_timeout_s: float = 120.0,
        keep_days: float = 7.0,
    ) -> None:
        if not crawl or any(c in crawl for c in ":* \t\n"):
            raise DistributedModeError(
                f"bad setting DISTRIBUTED_CRAWL={crawl!r}: expected a name without ':', '*' or spaces"
            )
        self.server = server
        self.crawl = crawl
        self.worker = worker
        self.heartbeat_s = heartbeat_s
        self.worker_timeout_ms = int(worker_timeout_s * 1000)
        self.keep_s = int(keep_days * 86400)
        self.crawl_prefix = f"{NAMESPACE}:{crawl}:"
        self.run_id = ""
        self.finished = False
        self._scripts = {
            name: server.register_script(src)
            for name, src in {
                "pop": POP,
                "push": PUSH,
                "ack": ACK,
                "requeue": REQUEUE,
                "heartbeat": HEARTBEAT,
                "claim": CLAIM,
                "new_run": NEW_RUN,
            }.items()
        }
        self.sightings = RedisSightings(server, self.crawl_prefix)

    # --- keys ---------------------------------------------------------------------------------
    def key(self, name: str) -> str:
        """A key of the current run."""
        if not self.run_id:
            raise RuntimeError("join_run() first")
        return f"{self.crawl_prefix}{self.run_id}:{name}"

    def processing_key(self, worker: str | None = None) -> str:
        return self.key(f"p:{worker or self.worker}")

    def now_ms(self) -> int:
        seconds, micros = self.server.time()
        return int(seconds) * 1000 + int(micros) // 1000

    # --- the shared run -----------------------------------------------------------------------
    def join_run(self, state: Any, signature: str, now_iso: str) -> tuple[str, bool]:
        """The run id every worker of the crawl shares, and whether this worker resumes its part.

        The first worker creates the run; others join it; a restarted worker (or one stopped cleanly
        and started again) rejoins it. Once a run has finished, the next worker to start begins a new
        run of the crawl. Opens the run in the worker's own state store.
        """
        current_key = f"{self.crawl_prefix}current"
        while True:
            current = _text(self.server.get(current_key))
            meta = self._meta(current) if current else {}
            local = _local_run(state, current) if current else None
            # Rejoin the current run when this worker took part in it, unless the run is over and
            # this worker had closed its part (a worker killed before closing still flushes).
            if local is not None and (local["finished_at"] is None or not meta.get("finished_at")):
                self._check_signature(meta, signature)
                _reopen_local_run(state, current)
                self.run_id = current
                logger.warning(
                    "worker %s rejoins run %s of distributed crawl %r",
                    self.worker,
                    current,
                    self.crawl,
                )
                return current, True
            if current and not meta.get("finished_at"):
                self._check_signature(meta, signature)
                run_id = current
            else:
                proposed = new_run_id()
                got = _text(
                    self._scripts["new_run"](
                        keys=[current_key, f"{self.crawl_prefix}{proposed}:meta"],
                        args=[current or "", proposed, signature, now_iso, self.worker],
                    )
                )
                if got != proposed:
                    continue  # another worker started a run first: join that one
                run_id = proposed
                logger.info("started run %s of distributed crawl %r", run_id, self.crawl)
            self._refuse_incremental(state)
            self.run_id = run_id
            abandoned = state.unfinished_run(signature)
            if abandoned:  # a run of an earlier distributed crawl this worker never finished
                state.finish_run(abandoned["run_id"], now_iso, "crawl_failed")
            state.start_run(run_id, signature, now_iso, "full")  # Redis mode: full crawls only
            return run_id, False

    def _meta(self, run_id: str) -> dict[str, str]:
        raw = self.server.hgetall(f"{self.crawl_prefix}{run_id}:meta")
        return {_text(k): _text(v) for k, v in raw.items()}

    def _check_signature(self, meta: dict[str, str], signature: str) -> None:
        theirs = meta.get("signature")
        if theirs is not None and theirs != signature:
            raise DistributedModeError(
                f"distributed crawl {self.crawl!r} runs with spider arguments {theirs!r}, this worker "
                f"with {signature!r}; every worker of one crawl runs the same command "
                "(or name another crawl with DISTRIBUTED_CRAWL)"
            )

    def _refuse_incremental(self, state: Any) -> None:
        archived = state.count_items()
        if archived:
            raise DistributedModeError(
                f"Redis mode runs full crawls into fresh OUTPUT_DIRs only, and this worker's OUTPUT_DIR "
                f"already holds {archived} archived items from earlier runs. Incremental refresh is "
                "not supported in Redis mode: it needs one state store that knows every archived id "
                "with its version and validators, and each Redis-mode worker holds only its share. "
                "Run refreshes as one process (or through scrapyd), or give this worker a new "
                "OUTPUT_DIR (docs/operating.md)."
            )

    def mark_finished(self, now_iso: str) -> bool:
        """Record that the run is over (first caller wins) and let its keys expire after keep_days;
        True for the worker that marked it."""
        first = bool(self.server.hsetnx(self.key("meta"), "finished_at", now_iso))
        self.finished = True
        if first:
            pipe = self.server.pipeline(transaction=False)
            for key in self.server.scan_iter(
                match=f"{self.crawl_prefix}{self.run_id}:*", count=1000
            ):
                pipe.expire(key, self.keep_s)
            pipe.execute()
            logger.info("distributed crawl %r run %s finished", self.crawl, self.run_id)
        return first

    # --- the request queue --------------------------------------------------------------------
    def push(self, data: bytes, priority: int, fingerprint: str, listing: bool) -> bool:
        """Queue a serialized request unless its fingerprint was seen; True if queued."""
        seq = self._scripts["push"](
            keys=[
                self.key("q"),
                self.key("d"),
                self.key("sc"),
                self.key("df"),
                self.key("seq"),
                self.key("listings"),
            ],
            args=[fingerprint, data, -int(priority), "1" if listing else "0"],
        )
        return bool(seq)

    def pop(self) -> tuple[str, bytes | None] | None:
        """(token, data) moved into this worker's processing set, or None if the queue is empty.
        data is None for a token whose request was already finished (by a worker presumed dead)."""
        r = self._scripts["pop"](
            keys=[self.key("q"), self.key("d"), self.processing_key(), self.key("workers")],
            args=[self.worker],
        )
        if not r:
            return None
        return _text(r[0]), (r[1] or None)

    def ack(self, token: str) -> bool:
        return bool(
            self._scripts["ack"](
                keys=[self.processing_key(), self.key("d"), self.key("sc"), self.key("listings")],
                args=[token],
            )
        )

    def queued(self) -> int:
        return int(self.server.zcard(self.key("q")))

    def processing(self, worker: str | None = None) -> int:
        return int(self.server.scard(self.processing_key(worker)))

    def listings_outstanding(self) -> int:
        """Listing requests of any worker still queued or in flight (0: sections are settled)."""
        return int(self.server.scard(self.key("listings")))

    # --- workers ------------------------------------------------------------------------------
    def heartbeat(self) -> None:
        self._scripts["heartbeat"](keys=[self.key("workers")], args=[self.worker])

    def workers(self) -> dict[str, int]:
        return {
            _text(w): int(s)
            for w, s in self.server.zrange(self.key("workers"), 0, -1, withscores=True)
        }

    def requeue_own(self) -> int:
        """Hand back what this worker held when it last died (it has just started, so nothing in
        its processing set is really in flight)."""
        return self._requeue(self.worker, stale_before=None)

    def reap(self) -> dict[str, int]:
        """Hand back the requests of workers whose heartbeat is older than the timeout."""
        stale_before = self.now_ms() - self.worker_timeout_ms
        dead = self.server.zrangebyscore(self.key("workers"), "-inf", f"({stale_before}")
        reaped = {}
        for raw in dead:
            worker = _text(raw)
            if worker == self.worker:
                continue
            n = self._requeue(worker, stale_before)
            if n >= 0:
                reaped[worker] = n
                logger.warning(
                    "worker %s silent for over %d s: handed its %d unfinished requests back",
                    worker,
                    self.worker_timeout_ms // 1000,
                    n,
                )
        return reaped

    def _requeue(self, worker: str, stale_before: int | None) -> int:
        return int(
            self._scripts["requeue"](
                keys=[
                    self.key("q"),
                    self.key("sc"),
                    self.processing_key(worker),
                    self.key("workers"),
                ],
                args=[worker, "" if stale_before is None else str(stale_before)],
            )
        )

    def leave(self) -> int:
        """A clean stop: hand back anything still held (normally nothing) and deregister."""
        n = self.requeue_own()
        self.server.zrem(self.key("workers"), self.worker)
        return n

    def crawl_idle(self) -> bool:
        """True when the queue and every worker's processing set are empty, read atomically."""
        for _ in range(10):
            workers = sorted(self.workers())
            pipe = self.server.pipeline(transaction=True)
            pipe.zcard(self.key("q"))
            for w in workers:
                pipe.scard(self.processing_key(w))
            pipe.zrange(self.key("workers"), 0, -1)
            *counts, members = pipe.execute()
            if sorted(_text(m) for m in members) != workers:
                continue  # a worker joined or left between the two reads: look again
            return not any(counts)
        return False

    # --- records ------------------------------------------------------------------------------
    def claim(self, item_ids: list[str]) -> set[str]:
        """The ids among `item_ids` this worker may write: each id is written by one worker per run
        (the first to claim it; a restarted worker keeps its claims)."""
        if not item_ids:
            return set()
        got = self._scripts["claim"](keys=[self.key("claims")], args=[self.worker, *item_ids])
        return {i for i, ok in zip(item_ids, got, strict=True) if int(ok)}

    def count(self, name: str, n: int = 1) -> None:
        self.server.hincrby(self.key("counts"), name, n)

    def counts(self) -> dict[str, int]:
        return {_text(k): int(v) for k, v in self.server.hgetall(self.key("counts")).items()}

    def describe(self) -> dict[str, Any]:
        """For the run report."""
        return {
            "crawl": self.crawl,
            "worker": self.worker,
            "run_id": self.run_id,
            "crawl_counts": self.counts(),
        }


def _local_run(state: Any, run_id: str) -> Any:
    return state.db.execute("SELECT * FROM runs WHERE run_id=?", (run_id,)).fetchone()


def _reopen_local_run(state: Any, run_id: str) -> None:
    # A worker stopped cleanly (or by an error) closed its local row of the shared run; rejoining
    # reopens it so the run's report and resume logic treat it as unfinished.
    state.db.execute("UPDATE runs SET finished_at=NULL, status=NULL WHERE run_id=?", (run_id,))
