#!/usr/bin/env bash
# The daily refresh as one process, for cron (deploy/crontab.example).
#   - absolute paths only (cron has no working directory and a minimal PATH);
#   - a lock, so a run still going when the next one is due makes the newcomer stop at once
#     (the crawler also locks OUTPUT_DIR itself, exit status 6; this lock is a separate file,
#     because taking run.lock here would make the crawler refuse its own folder);
#   - one log per run, compressed after a day and deleted after LOG_KEEP_DAYS (rotation
#     without logrotate);
#   - an alert (deploy/alert.sh) on any non-zero exit status, with the run report's summary;
#   - a first crawl takes days (README, Operating): it runs without the MAX_HOURS limit, and while
#     it (or any crawl) holds the archive, the daily start only logs one line and exits 0 — no kill,
#     no alert — unless the crawl has received nothing for STALL_MINUTES (`scrapy status --check`).
# Settings can come from /etc/default/baolongan (same names).
set -uo pipefail
[ -r /etc/default/baolongan ] && . /etc/default/baolongan

APP="${APP:-/srv/baolongan/crawler}"             # checkout with its .venv (`make demo` sets it up)
ARCHIVE="${ARCHIVE:-/srv/baolongan/archive}"     # OUTPUT_DIR: state, records, WARCs, reports
LOG_DIR="${LOG_DIR:-/var/log/baolongan}"
LOG_KEEP_DAYS="${LOG_KEEP_DAYS:-60}"
LOCK_FILE="${LOCK_FILE:-/var/lock/baolongan-refresh.lock}"
MAX_HOURS="${MAX_HOURS:-20}"                      # then stop cleanly (SIGINT), report written
STALL_MINUTES="${STALL_MINUTES:-120}"             # a running crawl silent this long is stalled

mkdir -p "$LOG_DIR"
LOG="$LOG_DIR/refresh-$(date -u +%Y%m%dT%H%M%SZ).log"

# Where the archive stands: running, stalled, first (no full crawl finished yet) or idle.
standing() {
  (cd "$APP" && "$APP/.venv/bin/scrapy" status "$ARCHIVE" --check \
     --stall-minutes "$STALL_MINUTES" 2>>"$LOG") || echo unknown
}
# A crawl holds the archive: skip quietly while it makes progress, alert when it does not.
skip_if_running() {
  case "$1" in
    running)
      echo "$(date -u +%FT%TZ) a crawl is still running on $ARCHIVE (making progress; see" \
        "\`scrapy status $ARCHIVE\`): today's refresh skipped" >>"$LOG"
      exit 0 ;;
    stalled)
      echo "$(date -u +%FT%TZ) the crawl on $ARCHIVE made no progress for $STALL_MINUTES min" >>"$LOG"
      "$APP/deploy/alert.sh" "Báo Long An crawl STALLED: it holds $ARCHIVE but received nothing for $STALL_MINUTES minutes (scrapy status $ARCHIVE), log $LOG"
      exit 1 ;;
  esac
}
mkdir -p "$ARCHIVE"
now_standing=$(standing)

exec 9>"$LOCK_FILE"
if ! /usr/bin/flock --nonblock 9; then
  skip_if_running "$now_standing"
  echo "$(date -u +%FT%TZ) previous refresh still running; not starting" >>"$LOG"
  "$APP/deploy/alert.sh" "Báo Long An refresh skipped: the previous run still holds $LOCK_FILE"
  exit 6
fi
skip_if_running "$now_standing"

# Rotate: compress logs older than a day, delete those older than LOG_KEEP_DAYS.
find "$LOG_DIR" -name 'refresh-*.log' -mtime +0 -exec gzip -q {} \; 2>/dev/null
find "$LOG_DIR" -name 'refresh-*.log.gz' -mtime +"$LOG_KEEP_DAYS" -delete 2>/dev/null

cd "$APP" || exit 2
limit=(/usr/bin/timeout --signal=INT --kill-after=10m "${MAX_HOURS}h")
if [ "$now_standing" = first ]; then
  echo "$(date -u +%FT%TZ) first crawl of $ARCHIVE (or its resumption): no time limit" >>"$LOG"
  limit=()
fi
"${limit[@]}" "$APP/.venv/bin/scrapy" crawl baolongan -s OUTPUT_DIR="$ARCHIVE" >>"$LOG" 2>&1
status=$?

case $status in
  0) ;;
  3) "$APP/deploy/alert.sh" "Báo Long An refresh: success with quality warnings (exit 3), log $LOG" "$ARCHIVE" ;;
  124) "$APP/deploy/alert.sh" "Báo Long An refresh: stopped after ${MAX_HOURS} h (timeout), log $LOG" "$ARCHIVE" ;;
  *) "$APP/deploy/alert.sh" "Báo Long An refresh FAILED with exit status $status (see README, Exit statuses), log $LOG" "$ARCHIVE" ;;
esac
exit $status
