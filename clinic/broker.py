"""The embedded broker: kombu's filesystem transport, writing each message atomically.

kombu's own transport creates a message's file in the queue folder and then writes it
(under an advisory lock its reader does not take), so a worker polling in between moves
and reads an empty file and stops on a JSONDecodeError. Here a message is written to a
hidden file beside the queue and renamed into place when complete (``os.replace``, atomic
on one file system): a reader sees the whole message or none. Readers skip the hidden
file, whose name does not end in ``.<queue>.msg``. Used as ``atomicfs://``
(``clinic.config.celery_broker``); Redis in production needs none of this.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

SCHEME = "atomicfs"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put ``payload`` on ``queue``: written in full, then renamed into the queue."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        fd, staging = tempfile.mkstemp(dir=self.data_folder_out, prefix=".", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(staging, os.path.join(self.data_folder_out, name))
        except OSError as exc:
            if os.path.exists(staging):
                os.remove(staging)
            raise ChannelError(f"Cannot add a message to {self.data_folder_out!r}") from exc


class Transport(filesystem.Transport):
    Channel = Channel
    driver_name = SCHEME


TRANSPORT_ALIASES.setdefault(SCHEME, "clinic.broker:Transport")
