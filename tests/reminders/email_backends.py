"""Email backends that fail on purpose, for the retry and crash tests.

``FlakyBackend`` runs in the test's own process. ``WorkerBackend`` is what a real worker
subprocess is given (EMAIL_BACKEND in its environment): it writes each message to a file, as
Django's file backend does, and misbehaves when told to through files in its mail folder, so a
test can switch the behaviour of a running worker:

- ``fail-next``: the next send raises SMTPException (the file is used up);
- ``hang``: the send announces itself by writing ``hanging`` and then blocks, until the test
  kills the worker.
"""

import time
from pathlib import Path
from smtplib import SMTPException

from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise SMTPException("451 Temporary local problem")
        return super().send_messages(messages)


class WorkerBackend(FileBackend):
    def send_messages(self, messages):
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        fail = folder / "fail-next"
        try:
            fail.unlink()
        except FileNotFoundError:
            pass
        else:
            raise SMTPException("451 Temporary local problem")
        if (folder / "hang").exists():
            (folder / "hanging").write_text("sending")
            time.sleep(600)
        return super().send_messages(messages)


class DownBackend(LocmemBackend):
    """A mail server that refuses connections."""

    calls = 0

    def send_messages(self, messages):
        DownBackend.calls += 1
        raise ConnectionRefusedError(111, "Connection refused")
