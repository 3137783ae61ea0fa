#!/bin/sh
# The platform's periodic jobs, for one scheduler container (compose.yaml) or a plain shell.
# Every job is idempotent, so a restart or an overlap repeats nothing: reminders and moderation
# deadlines are chased once per item, digests go out once per member per week.
set -u
FREQUENT_EVERY=${SCHEDULER_INTERVAL_SECONDS:-300}
last_daily=""

run() {
    python manage.py "$@" || echo "scheduler: '$*' failed; trying again next round" >&2
}

while :; do
    run send_meeting_reminders
    run resend_failed_emails
    run moderation_deadlines
    today=$(date -u +%F)
    if [ "$today" != "$last_daily" ]; then
        run truncate_old_ip_addresses
        run sync_youth_discussions
        run send_digests
        last_daily=$today
    fi
    sleep "$FREQUENT_EVERY"
done
