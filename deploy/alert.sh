#!/usr/bin/env bash
# alert.sh SUBJECT [OUTPUT_DIR] — send an alert with the newest run report's summary.
# Channels (set either or both, e.g. in /etc/default/baolongan, read below):
#   ALERT_WEBHOOK  URL receiving a JSON POST {"text": ...} (Slack, Mattermost, Teams, ntfy, ...)
#   ALERT_EMAIL    address for mail(1) (bsd-mailx or mailutils)
# Without a channel the alert goes to stderr, i.e. to the job's log.
set -uo pipefail
[ -r /etc/default/baolongan ] && . /etc/default/baolongan
SUBJECT="$1"
OUTPUT_DIR="${2:-}"
APP="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BODY="$SUBJECT"
if [ -n "$OUTPUT_DIR" ]; then
  BODY="$BODY
$("$APP/.venv/bin/python" -m crawler.report "$OUTPUT_DIR" 2>&1 | head -40)"
fi
sent=0
if [ -n "${ALERT_WEBHOOK:-}" ]; then
  "$APP/.venv/bin/python" -c 'import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1], data=json.dumps({"text": sys.stdin.read()}).encode(),
                             headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=30).read()' "$ALERT_WEBHOOK" <<<"$BODY" && sent=1
fi
if [ -n "${ALERT_EMAIL:-}" ] && command -v mail >/dev/null; then
  mail -s "$SUBJECT" "$ALERT_EMAIL" <<<"$BODY" && sent=1
fi
[ "$sent" = 1 ] || echo "ALERT: $BODY" >&2
