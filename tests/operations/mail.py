"""An e-mail backend for the tests: the locmem outbox, except that the SMTP server refuses
the addresses listed in REFUSED (set through settings.MAILERS, as production sets SMTP)."""

import smtplib
import time

from django.core.mail.backends.locmem import EmailBackend

REFUSED = {"coordinator@riga.example"}


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            refused = REFUSED.intersection(message.to)
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    {address: (550, b"mailbox unavailable") for address in refused}
                )
        return super().send_messages(messages)


class SlowBackend(EmailBackend):
    """The locmem outbox behind a slow SMTP server: two runs at once overlap while sending."""

    def send_messages(self, messages):
        time.sleep(0.3)
        return super().send_messages(messages)
