#!/bin/sh
# `make frontend`: the demo CMS (make run's content) at ADDR and this frontend at FRONTEND_ADDR,
# both on loopback. The demo site names the frontend as its public address, and the CMS sends
# its webhooks to the frontend's /api/revalidate with a demo secret. Ctrl-C stops both.
set -eu
ADDR="${ADDR:-127.0.0.1:8000}"
FRONTEND_ADDR="${FRONTEND_ADDR:-127.0.0.1:3000}"
BIN="${BIN:-.venv/bin}"
# Demo only: a real site sets its own secret in both places.
SECRET="${FRONTEND_WEBHOOK_SECRET:-whsec_ZGVtby1vbmx5LXB1YmxpYy1zZWNyZXQtZm9yLW1ha2UtZnJvbnRlbmQ=}"

"$BIN/python" manage.py load_demo_content --addr "$ADDR" --frontend "http://$FRONTEND_ADDR"
PRESS_WEBHOOK_URLS="http://$FRONTEND_ADDR/api/revalidate" PRESS_WEBHOOK_SECRET="$SECRET" \
    "$BIN/python" manage.py runserver --noreload "$ADDR" &
CMS_PID=$!
trap 'kill "$CMS_PID" 2>/dev/null || true' EXIT INT TERM
"$BIN/python" - "$ADDR" <<'PY'
import sys, time, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen(f"http://{sys.argv[1]}/api/press/openapi.json", timeout=2)
        break
    except OSError:
        time.sleep(0.5)
else:
    sys.exit(f"the CMS did not answer at {sys.argv[1]}")
PY
cd frontend
[ -x node_modules/.bin/astro ] || npm ci --no-audit --no-fund
export CMS_URL="http://$ADDR" CMS_NEWSROOM_URL="http://$ADDR/presse/"
npm run types
npx astro build
echo "Frontend: http://$FRONTEND_ADDR/  (CMS and admin: http://$ADDR/admin/)"
HOST="${FRONTEND_ADDR%:*}" PORT="${FRONTEND_ADDR##*:}" FRONTEND_WEBHOOK_SECRET="$SECRET" \
    node dist/server/entry.mjs
