"""Settings of worker processes in the integration tests: tests.settings plus test hooks.

- Email goes to ``tests.integration.mailbox.FolderBackend``: one file per message in
  TEST_MAIL_DIR, and while TEST_MAIL_DIR/block exists a send waits there (so a test can
  kill a worker while it holds a claimed delivery, deterministically).
- ``tests.integration.poison``: a task whose process dies while it runs.
- TEST_VISIBILITY_TIMEOUT (seconds) shortens Redis's visibility timeout, so a message whose
  worker was killed is delivered again within the test instead of after an hour.
"""

import os

import tests.integration.poison  # noqa: F401  # registers the dying task
from tests.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.integration.mailbox.FolderBackend"

if os.environ.get("TEST_VISIBILITY_TIMEOUT"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "visibility_timeout": int(os.environ["TEST_VISIBILITY_TIMEOUT"]),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
