"""Uploads kept across a failed submit and never used are deleted by the daily cron job once their token expires."""

import datetime

import time_machine
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from filings.standards import kept_uploads
from filings.standards.factories import SCAN


def kept_path(owner):
    token = kept_uploads.keep(SimpleUploadedFile("licence.pdf", SCAN), owner)
    return signing.loads(token, salt=kept_uploads.SALT)["path"]


def test_expired_kept_uploads_are_deleted_and_fresh_ones_stay():
    store = kept_uploads.storage()
    with time_machine.travel(timezone.now() - datetime.timedelta(seconds=kept_uploads.MAX_AGE + 60)):
        stale = kept_path(1)
    fresh = kept_path(2)
    call_command("prune_kept_uploads", verbosity=0)
    assert not store.exists(stale)
    assert store.exists(fresh)
    store.delete(fresh)
