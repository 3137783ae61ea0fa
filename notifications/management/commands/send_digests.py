from django.core.management.base import BaseCommand

from notifications.digest import send_digests


class Command(BaseCommand):
    help = (
        "Send this week's digest email to every member who has something in it. "
        "Safe to run more than once: each member gets at most one digest per week."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"Sent {sent} digest(s).")
