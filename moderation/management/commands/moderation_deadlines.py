from django.core.management.base import BaseCommand

from moderation.services import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Remind moderators of items waiting more than 24 hours, escalate those waiting more than "
        "72 hours (and safeguarding concerns unanswered for a day) to the network. Safe to run "
        "as often as you like, e.g. every 15 minutes from cron: each item is chased once."
    )

    def handle(self, *args, **options):
        counts = send_deadline_reminders()
        self.stdout.write(
            f"{counts['reminded']} reminded, {counts['escalated']} escalated, "
            f"{counts['concerns_escalated']} concerns escalated"
        )
