#!/usr/bin/env bash
# The daily refresh scheduled on scrapyd (the project deployed there with `scrapyd-deploy`).
# Scrapyd never reports a job's exit status, so after the job this script reads the run report
# (deploy/check_report.py) and alerts from it. Settings can come from /etc/default/baolongan.
# While a crawl holds the archive (the first crawl takes days) it only logs one line and exits 0,
# unless that crawl received nothing for STALL_MINUTES (`scrapy status --check`): then it alerts.
# A first crawl is scheduled and left to run: the following days' runs watch it that way.
set -uo pipefail
[ -r /etc/default/baolongan ] && . /etc/default/baolongan

APP="${APP:-/srv/baolongan/crawler}"
ARCHIVE="${ARCHIVE:-/srv/baolongan/archive}"
SCRAPYD="${SCRAPYD:-http://127.0.0.1:6800}"
MAX_HOURS="${MAX_HOURS:-20}"
STALL_MINUTES="${STALL_MINUTES:-120}"
PY="$APP/.venv/bin/python"

mkdir -p "$ARCHIVE"
standing=$(cd "$APP" && "$APP/.venv/bin/scrapy" status "$ARCHIVE" --check \
  --stall-minutes "$STALL_MINUTES") || standing=unknown
case $standing in
  running) echo "$(date -u +%FT%TZ) a crawl is still running on $ARCHIVE: today's refresh skipped"; exit 0 ;;
  stalled) "$APP/deploy/alert.sh" "Báo Long An crawl STALLED: it holds $ARCHIVE but received nothing for $STALL_MINUTES minutes"; exit 1 ;;
esac

jobid=$("$PY" - "$SCRAPYD" "$ARCHIVE" <<'PYEOF'
import json, sys, urllib.parse, urllib.request
base, archive = sys.argv[1].rstrip("/"), sys.argv[2]
data = urllib.parse.urlencode([("project", "baolongan"), ("spider", "baolongan"),
                               ("setting", f"OUTPUT_DIR={archive}")]).encode()
answer = json.load(urllib.request.urlopen(f"{base}/schedule.json", data=data, timeout=30))
if answer.get("status") != "ok":
    sys.exit(f"scrapyd refused the job: {answer}")
print(answer["jobid"])
PYEOF
) || { "$APP/deploy/alert.sh" "Báo Long An refresh: scrapyd at $SCRAPYD did not take the job"; exit 1; }

if [ "$standing" = first ]; then
  echo "$(date -u +%FT%TZ) first crawl of $ARCHIVE scheduled as scrapyd job $jobid; it may take days"
  exit 0
fi
deadline=$(( $(date +%s) + MAX_HOURS * 3600 ))
while :; do
  state=$("$PY" -c 'import json, sys, urllib.request
jobs = json.load(urllib.request.urlopen(sys.argv[1] + "/listjobs.json?project=baolongan", timeout=30))
print(next((k for k in ("pending", "running", "finished") if any(j["id"] == sys.argv[2] for j in jobs[k])), "unknown"))' \
    "${SCRAPYD%/}" "$jobid" 2>/dev/null || echo unreachable)
  [ "$state" = finished ] && break
  if [ "$(date +%s)" -gt "$deadline" ] || [ "$state" = unknown ]; then
    "$APP/deploy/alert.sh" "Báo Long An refresh: scrapyd job $jobid is '$state' after waiting" "$ARCHIVE"
    exit 1
  fi
  sleep 60
done

"$PY" "$APP/deploy/check_report.py" "$ARCHIVE" --max-age-hours "$MAX_HOURS"
status=$?
[ "$status" = 0 ] || "$APP/deploy/alert.sh" "Báo Long An refresh (scrapyd job $jobid): report status exit $status" "$ARCHIVE"
exit $status
