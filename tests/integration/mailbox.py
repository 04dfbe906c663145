"""An email backend for worker processes under test: a folder, and a gate that holds sends."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

# How often a held send looks whether the test opened the gate (not a timing assumption:
# the test either removes the gate file or kills the process).
GATE_POLL_SECONDS = 0.05


def mail_dir() -> Path:
    return Path(os.environ["TEST_MAIL_DIR"])


class FolderBackend(BaseEmailBackend):
    """Writes each message to TEST_MAIL_DIR/<uuid>.eml; waits while TEST_MAIL_DIR/block exists.

    While waiting it leaves TEST_MAIL_DIR/sending-<pid>, so the test knows which worker
    holds a send (and with it the delivery's claim, inside the open transaction).
    """

    def send_messages(self, messages) -> int:
        folder = mail_dir()
        gate = folder / "block"
        if gate.exists():
            (folder / f"sending-{os.getpid()}").touch()
            while gate.exists():
                time.sleep(GATE_POLL_SECONDS)
        for message in messages:
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(messages)
