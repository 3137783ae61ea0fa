"""An email backend for tests: refuses messages to "refused…" addresses the way an SMTP server
refuses a recipient, and delivers the rest to the test outbox."""

import smtplib

from django.core.mail.backends import locmem


class EmailBackend(locmem.EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            if any(address.startswith("refused") for address in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"5.1.1 No such user")})
        return super().send_messages(messages)
