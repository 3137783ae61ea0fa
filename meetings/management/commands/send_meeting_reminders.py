from django.core.management.base import BaseCommand

from meetings.services import send_due_reminders


class Command(BaseCommand):
    help = ("Send the day-before and hour-before meeting reminders that are due. Run it every few "
            "minutes (cron or the deployment's scheduler); running it again sends nothing twice.")

    def handle(self, *args, **options):
        reminded = send_due_reminders()
        self.stdout.write(f"Reminded the audience of {reminded} meeting(s).")
