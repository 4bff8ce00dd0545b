"""The audit log is kept at least 180 days and pruned after AUDIT_LOG_KEEP_DAYS by the daily cron job."""

import datetime
import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from registry.reports import EXPORT_ACTION

pytestmark = pytest.mark.django_db


def entry_aged(organisation, user, days):
    entry = ModelLogEntry.objects.log_action(organisation, EXPORT_ACTION, user=user, data={"what": f"{days} days"})
    ModelLogEntry.objects.filter(pk=entry.pk).update(timestamp=timezone.now() - datetime.timedelta(days=days))
    return entry.pk


def test_entries_past_the_keeping_time_are_deleted_and_the_rest_kept(orgs, make_admin, settings):
    settings.AUDIT_LOG_KEEP_DAYS = 200
    admin = make_admin(orgs.changan)
    kept = [entry_aged(orgs.changan, admin, days) for days in (0, 181, 199)]
    pruned = entry_aged(orgs.changan, admin, 201)
    call_command("prune_audit_log", verbosity=0)
    assert set(ModelLogEntry.objects.values_list("pk", flat=True)) >= set(kept)
    assert not ModelLogEntry.objects.filter(pk=pruned).exists()


def test_a_keeping_time_under_six_months_is_refused(monkeypatch):
    import cqosite.settings.base as base

    monkeypatch.setenv("AUDIT_LOG_KEEP_DAYS", "90")
    with pytest.raises(ImproperlyConfigured):
        importlib.reload(base)
    monkeypatch.delenv("AUDIT_LOG_KEEP_DAYS")
    importlib.reload(base)


def test_the_daily_cron_job_prunes_the_audit_log():
    from pathlib import Path

    cron = (Path(__file__).resolve().parents[2] / "bin" / "cron").read_text()
    daily = cron.split("daily)", 1)[1]
    assert "prune_audit_log" in daily and "axes_reset_logs" in daily
