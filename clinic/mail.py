"""Which errors of a send may pass, so the send is tried again: one rule for every email."""

from __future__ import annotations

# smtplib's errors are OSErrors, as are a refused, reset or timed-out connection and a mail
# server's name that does not resolve for a moment (socket.gaierror). Their text is never
# logged: an SMTP refusal's names the address.
MAIL_ERRORS: tuple[type[BaseException], ...] = (OSError,)

# How a task whose email did not go retries it: after about 30 s, 1, 2, 4, 8 and 10 minutes
# (Celery's backoff, each wait drawn up to that; under Redis's one-hour visibility timeout).
MAIL_RETRY: dict[str, object] = {"retry_backoff": 30, "retry_backoff_max": 600, "max_retries": 6}
