"""The embedded broker (no Redis): a worker polling while beat or the web writes a message
never reads it half written (clinic/broker.py)."""

from __future__ import annotations

import builtins
import os
from pathlib import Path
from queue import Empty

from kombu import Connection

from clinic import config


class _WriteHook:
    """A file whose first write first lets a reader poll the queue (the race)."""

    def __init__(self, wrapped, before_write):
        self._wrapped, self._before_write = wrapped, before_write

    def write(self, data):
        hook, self._before_write = self._before_write, None
        if hook is not None:
            hook()
        return self._wrapped.write(data)

    def __getattr__(self, name):
        return getattr(self._wrapped, name)

    def __enter__(self):
        self._wrapped.__enter__()
        return self

    def __exit__(self, *args):
        return self._wrapped.__exit__(*args)


def test_a_message_is_never_read_half_written(tmp_path: Path, monkeypatch):
    """kombu's filesystem transport creates the message file, then writes it: a worker
    polling in between read an empty message and stopped (seen under `make run`: beat sent
    two tasks at once and the worker died with a JSONDecodeError, taking web and beat down)."""
    url, options = config.celery_broker(None, tmp_path)
    with Connection(url, transport_options=options) as connection:
        channel = connection.default_channel
        channel.queue_declare("celery")
        polled = []

        def poll_meanwhile():
            try:
                polled.append(channel._get("celery"))
            except Empty:
                polled.append("empty")

        real_open, real_fdopen = builtins.open, os.fdopen

        def hooked_open(file, mode="r", *args, **kwargs):
            handle = real_open(file, mode, *args, **kwargs)
            in_queue = str(file).startswith(options["data_folder_out"])
            return _WriteHook(handle, poll_meanwhile) if "w" in mode and in_queue else handle

        def hooked_fdopen(fd, mode="r", *args, **kwargs):
            return _WriteHook(real_fdopen(fd, mode, *args, **kwargs), poll_meanwhile)

        monkeypatch.setattr(builtins, "open", hooked_open)
        monkeypatch.setattr(os, "fdopen", hooked_fdopen)
        channel._put("celery", {"body": "heartbeat"})
        monkeypatch.undo()
        assert polled == ["empty"]
        assert channel._get("celery") == {"body": "heartbeat"}
