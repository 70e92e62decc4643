#!/bin/sh
# Sidecar loop for Wagtail's scheduled publishing: a release scheduled for 10:00 goes live
# (and an expired one goes offline) within PUBLISH_SCHEDULED_INTERVAL seconds of that time.
# Run exactly one of these per site, next to the web containers (see docker/compose.yaml).
# Where cron or a systemd timer is at hand, `python manage.py publish_scheduled` every
# minute does the same job.
set -eu

interval="${PUBLISH_SCHEDULED_INTERVAL:-60}"
sleeper=""
# Stop promptly on `docker stop` instead of waiting out the sleep, with status 0: the sleep may
# have ended already, and under `set -e` a failed kill would be the exit status.
trap 'if [ -n "$sleeper" ]; then kill "$sleeper" 2>/dev/null || true; fi; exit 0' TERM INT

while :; do
    python manage.py publish_scheduled || echo "publish_scheduled failed; retrying in ${interval}s" >&2
    # Photos whose rights have ended: documents rebuilt, pages purged, webhooks sent.
    python manage.py press_photo_rights_expire >/dev/null || echo "press_photo_rights_expire failed" >&2
    # Mailings whose worker died mid-way (the queue keeps its task "running"): queued again.
    python manage.py press_mailings_resume >/dev/null || echo "press_mailings_resume failed" >&2
    sleep "$interval" &
    sleeper=$!
    wait "$sleeper" || true
done
