"""Pluggable SMS sending: console in development, memory in tests, a gateway in production."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

#: Messages sent by MemorySMSBackend, for tests (like django.core.mail.outbox).
outbox = []


class ConsoleSMSBackend:
    def send(self, mobile, text):
        print(f"[SMS to {mobile}] {text}")  # noqa: T201 - the console backend's whole purpose


class MemorySMSBackend:
    def send(self, mobile, text):
        outbox.append((mobile, text))


def send_sms(mobile, text):
    import_string(settings.SMS_BACKEND)().send(mobile, text)
