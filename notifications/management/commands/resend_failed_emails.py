from django.core.management.base import BaseCommand

from notifications.services import resend_failed_emails


class Command(BaseCommand):
    help = (
        "Send again the immediate notification emails the mail server refused or missed. "
        "After a day they wait for the weekly digest instead. Safe to run at any time."
    )

    def handle(self, *args, **options):
        sent, to_digest = resend_failed_emails()
        self.stdout.write(f"Sent {sent} email(s) again; {to_digest} now wait for the digest.")
