"""Daily job: discussion access the youth area no longer allows is taken away (a parent's
authorisation that expired overnight, a coordinator appointment ended in the admin)."""

from django.core.management.base import BaseCommand

from youth_panels.services import resync_everyone_in_discussions


class Command(BaseCommand):
    help = "Bring the youth spaces' discussion groups in line with who may see each space. Idempotent; run daily."

    def handle(self, *args, **options):
        changed = resync_everyone_in_discussions()
        self.stdout.write(f"{changed} discussion memberships changed")
