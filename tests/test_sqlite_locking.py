"""SQLite: two writers queue instead of one failing with "database is locked" (the probe's concurrent approvals)."""

import sqlite3
import threading
import time

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.utils import OperationalError


def writer(path, options, errors, barrier):
    connection = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(path), "OPTIONS": options}, "probe")
    try:
        connection.ensure_connection()
        barrier.wait(timeout=10)
        connection._start_transaction_under_autocommit()  # what transaction.atomic() runs first: BEGIN [mode]
        cursor = connection.connection.cursor()
        cursor.execute("SELECT value FROM decision")  # both read "pending"...
        time.sleep(0.3)
        cursor.execute("UPDATE decision SET value = value + 1")  # ...then both write
        connection.connection.commit()
    except (OperationalError, sqlite3.OperationalError) as error:
        errors.append(str(error))
    finally:
        connection.close()


def race(path, options):
    setup = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(path), "OPTIONS": {}}, "setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS decision (value INTEGER)")
        cursor.execute("DELETE FROM decision")
        cursor.execute("INSERT INTO decision VALUES (0)")
    setup.close()
    errors, barrier = [], threading.Barrier(2)
    threads = [threading.Thread(target=writer, args=(path, options, errors, barrier)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite only")
def test_two_writers_queue_with_the_configured_transaction_mode(tmp_path, django_db_blocker):
    configured = settings.DATABASES["default"]["OPTIONS"]
    assert configured["transaction_mode"] == "IMMEDIATE"
    with django_db_blocker.unblock():
        assert race(tmp_path / "deferred.sqlite3", {"timeout": 5}) == ["database is locked"]  # the probe's failure
        assert race(tmp_path / "immediate.sqlite3", configured) == []
