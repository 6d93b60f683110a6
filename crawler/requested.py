"""What a `urls_file` or `ids` run was asked for and did not archive, and why (issue 14 point 4).

A run asked for exact URLs or ids answers for each of them: archived, or missing with a reason.
The reasons met while crawling (an HTTP error, a guard's skip, a failure after retries, a
redirect off the item) are kept in the state store's `misses` table, so a run killed and resumed
still knows them; the list itself is computed when the run closes, from the urls file (streamed
again) or the id range, against what the state store says this run archived.

Reason codes: `not_portal` (not a URL on a portal host), `not_an_item` (a portal page that is no
article or album), `too_long` (over URLS_FILE_MAX_URL), `http_<status>`, `redirected` (off the
item), `guard_<reason>` (skipped by a guard, crawler/guards/), `failed` (after retries),
`rejected` (the record failed its schema), `no_record` (fetched, no record: see the log),
`not_fetched` (never requested: the run stopped first).

Statuses (README, Exit statuses): any miss makes a finished run `success_with_warnings` (exit 3);
a run that was asked for something and archived none of it is `crawl_failed` (exit 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from crawler import editions as urls
from crawler import urls_file as urls_file_lines
from crawler.context import UNSET, crawl_context
from crawler.guards.common import GuardSkip
from crawler.run import find_run

MAX_SHOWN = 50  # misses listed in the Markdown report; the JSON report lists them all
MAX_URL_SHOWN = 300  # characters of a listed line kept in the report


def failure_reason(exc: BaseException) -> str:
    """`code` or `code: detail` for a failed request of an asked-for item."""
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    if isinstance(exc, GuardSkip):
        if exc.reason in ("redirect_not_article", "offsite_redirect"):
            return f"redirected: {exc.detail}"
        return f"guard_{exc.reason}: {exc.detail}" if exc.detail else f"guard_{exc.reason}"
    if isinstance(exc, IgnoreRequest):
        return f"guard_ignored: {exc}"
    return f"failed: {type(exc).__name__}: {str(exc)[:200]}"


def _split(reason: str) -> tuple[str, str | None]:
    code, _, detail = reason.partition(": ")
    return code, detail or None


def _unarchived_reason(
    item_id: str, misses: dict[str, str], rejected: set[str], fetched: bool
) -> str:
    if item_id in misses:
        return misses[item_id]
    if item_id in rejected:
        return "rejected"
    return "no_record" if fetched else "not_fetched"


def urls_file_misses(
    path: Path,
    portal: urls.Editions,
    max_url: int,
    archived: set[str],
    misses: dict[str, str],
    rejected: set[str],
) -> tuple[int, int, list[dict[str, Any]]]:
    """(lines asked, lines archived, one entry per line not archived), the file read as a stream."""
    asked = done = 0
    missing: list[dict[str, Any]] = []
    for row in urls_file_lines.lines(path):
        text = row.text
        if text is not None and (not text or text.startswith("#")):
            continue  # blank lines and comments ask for nothing
        asked += 1
        item_id = None
        if text is None or len(text) > max_url:
            reason = "too_long"
        elif (target := portal.to_fetch(text)) is None:
            reason = "not_portal"
        elif (item_id := urls.item_id(target)) is None:
            reason = "not_an_item"
        elif item_id in archived:
            done += 1
            continue
        else:
            reason = _unarchived_reason(item_id, misses, rejected, fetched=True)
        code, detail = _split(reason)
        shown = None if text is None else text[:MAX_URL_SHOWN]
        entry = {"line": row.number, "url": shown, "id": item_id, "reason": code}
        missing.append({**entry, "detail": detail} if detail else entry)
    return asked, done, missing


def ids_misses(
    start: int,
    end: int,
    probes: dict[int, int],
    live: set[int],
    misses: dict[str, str],
    rejected: set[str],
) -> tuple[int, int, list[dict[str, Any]]]:
    """(ids asked, ids in the archive, consecutive ids with one reason as one entry).

    Walks only the ids something is known of (probed, live, missed): the ids between them are
    `not_fetched` as whole stretches, so `ids=1-99999999` stopped after a few thousand probes
    answers at once instead of looping over a hundred million ids."""

    def reason(aid: int) -> str:
        item_id = urls.article_item_id(aid)
        status = probes.get(aid)
        if item_id in misses:
            return _split(misses[item_id])[0]
        if status is None:
            return "not_fetched"
        if status == 0:
            return "failed"
        if status != 200:
            return f"http_{status}"
        return _unarchived_reason(item_id, {}, rejected, fetched=True)

    def stretches() -> Iterator[tuple[int, int, str]]:
        missed = (i.removeprefix(urls.ITEM_ID_PREFIX) for i in misses)
        known = sorted({*probes, *live, *(int(a) for a in missed if a.isdigit())})
        after = start  # the first id not yet accounted for
        for aid in known:
            if aid < start or aid > end:
                continue
            if aid > after:
                yield after, aid - 1, "not_fetched"
            if aid not in live:
                yield aid, aid, reason(aid)
            after = aid + 1
        if after <= end:
            yield after, end, "not_fetched"

    missing = list(_ranges(stretches()))
    lost = sum(m["count"] for m in missing)
    return end - start + 1, end - start + 1 - lost, missing


def _ranges(stretches: Iterable[tuple[int, int, str]]) -> Iterator[dict[str, Any]]:
    """Adjacent stretches with one reason joined."""
    first = last = None
    code = ""
    for low, high, reason in stretches:
        if first is not None and low == last + 1 and reason == code:
            last = high
            continue
        if first is not None:
            yield _range(first, last, code)
        first, last, code = low, high, reason
    if first is not None:
        yield _range(first, last, code)


def _range(first: int, last: int, reason: str) -> dict[str, Any]:
    ids = str(first) if first == last else f"{first}-{last}"
    return {"ids": ids, "first": first, "last": last, "count": last - first + 1, "reason": reason}


def outcome(crawler: Any) -> dict[str, Any] | None:
    """The asked/archived/missing figures of a urls_file or ids run (None for other runs);
    computed once per crawl (the status and the report both need it)."""
    context = crawl_context(crawler)
    if context.requested is not UNSET:
        return context.requested
    asked = context.asked  # what the spider was asked for (None: no spider said)
    run = find_run(crawler)
    result = None
    if run is not None and run.state is not None and asked is not None:
        state, run_id = run.state, run.run_id
        misses, rejected = state.misses(run_id), state.rejected_in_run(run_id)
        if asked.urls_file:
            max_url = crawler.settings.getint("URLS_FILE_MAX_URL", urls_file_lines.DEFAULT_MAX_URL)
            archived = state.archived_in_run(run_id)
            figures = urls_file_misses(
                Path(asked.urls_file), run.editions, max_url, archived, misses, rejected
            )
            result = _figures("urls_file", *figures)
        elif asked.id_range and not asked.id_gaps:
            # ids=gaps answers in its own report section (crawler/gap_report.py).
            start, end = asked.id_range
            probes, live = state.probes_between(start, end), state.live_article_ids(start, end)
            result = _figures("ids", *ids_misses(start, end, probes, live, misses, rejected))
    context.requested = result
    return result


def _figures(kind: str, asked: int, archived: int, missing: list[dict[str, Any]]) -> dict:
    by_reason: dict[str, int] = {}
    for m in missing:
        by_reason[m["reason"]] = by_reason.get(m["reason"], 0) + m.get("count", 1)
    return {
        "kind": kind,
        "asked": asked,
        "archived": archived,
        "missing_count": asked - archived,
        "missing_by_reason": dict(sorted(by_reason.items())),
        "missing": missing,
    }


def status_of(figures: dict[str, Any] | None) -> str:
    """crawl_failed when asked for something and nothing archived; warnings when any missing."""
    if not figures:
        return "success"
    if figures["asked"] and not figures["archived"]:
        return "crawl_failed"
    return "success_with_warnings" if figures["missing_count"] else "success"


def summary_line(figures: dict[str, Any]) -> str:
    reasons = ", ".join(f"{k} {v:,}" for k, v in figures["missing_by_reason"].items())
    what = "URLs" if figures["kind"] == "urls_file" else "ids"
    return (
        f"{figures['kind']}: {figures['archived']:,} of {figures['asked']:,} {what} archived; "
        f"{figures['missing_count']:,} missing" + (f" ({reasons})" if reasons else "")
    )


def markdown_lines(figures: dict[str, Any] | None) -> list[str]:
    """The report's `Not archived` section: every miss up to MAX_SHOWN, with its reason."""
    if not figures or not figures["missing"]:
        return []
    lines = ["## Not archived", "", summary_line(figures) + ".", ""]
    if figures["kind"] == "urls_file":
        lines += ["| line | URL | id | reason |", "|---:|---|---|---|"]
        for m in figures["missing"][:MAX_SHOWN]:
            reason = f"{m['reason']} ({m['detail']})" if m.get("detail") else m["reason"]
            url = (m["url"] or "(over-long line)").replace("|", "%7C")
            lines.append(f"| {m['line']} | `{url}` | {m['id'] or ''} | {reason} |")
    else:
        lines += ["| ids | count | reason |", "|---|---:|---|"]
        lines += [
            f"| {m['ids']} | {m['count']:,} | {m['reason']} |"
            for m in figures["missing"][:MAX_SHOWN]
        ]
    if len(figures["missing"]) > MAX_SHOWN:
        lines.append(f"\n… {len(figures['missing']) - MAX_SHOWN:,} more in the JSON report.")
    lines.append("")
    return lines
