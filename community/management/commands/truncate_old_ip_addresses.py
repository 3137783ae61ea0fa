"""Daily retention job: IP addresses older than 7 days keep only their network part."""

from django.conf import settings
from django.core.management.base import BaseCommand

from community.security import IP_RETENTION_DAYS, truncate_old_ip_addresses, truncate_old_ip_addresses_in_log


class Command(BaseCommand):
    help = (
        f"Truncate IP addresses recorded more than {IP_RETENTION_DAYS} days ago (sessions, audit records "
        "and the security log file) to their /24 or /48 network. Idempotent; run daily."
    )

    def handle(self, *args, **options):
        for model_label, count in truncate_old_ip_addresses().items():
            self.stdout.write(f"{model_label}: {count} truncated")
        log_file = settings.SECURITY_LOG_FILE
        if log_file:
            try:
                count = truncate_old_ip_addresses_in_log(log_file)
            except FileNotFoundError:
                count = 0
            self.stdout.write(f"{log_file}: {count} truncated")
