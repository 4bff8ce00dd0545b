"""Officer imports as background tasks (django-tasks), with progress stored on the ImportJob for the progress bar.

A worker that dies mid-import (killed, out of memory, machine restarted) leaves no partial data — the import
writes in one transaction — but would leave its job "running" for ever. Each job therefore records a heartbeat
as it progresses, and the clock's ``bin/cron minute`` runs ``fail_interrupted_imports``, which marks a running job
whose heartbeat is older than :data:`STALLED_AFTER` as interrupted, with a message; its owner can retry it from
the job page.
"""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.log_actions import log

from ..mail import language_of
from ..models import ImportJob
from ..reports import IMPORT_ACTION
from ..statistics import caching
from .importing import OfficerImporter
from .workbooks import marked_workbook

logger = logging.getLogger(__name__)

#: A running job silent for this long has lost its worker: 5,000 rows validate with a heartbeat every 500 rows
#: and write in well under a minute, so ten minutes leaves a wide margin.
STALLED_AFTER = datetime.timedelta(minutes=10)


def run_import_job(job):
    """Validate and write one uploaded workbook, recording progress and the outcome on ``job``.

    Returns ``None`` without doing anything when the job is no longer queued (run twice, or retried).
    """
    started = timezone.now()
    if not ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, heartbeat_at=started
    ):
        return None
    job.status, job.heartbeat_at = ImportJob.Status.RUNNING, started
    with job.workbook.open("rb") as handle:
        data = handle.read()

    def progress(done, total):
        ImportJob.objects.filter(pk=job.pk).update(
            processed_rows=done, total_rows=total or done, heartbeat_at=timezone.now()
        )

    with translation.override(language_of(job.user)):
        report = OfficerImporter(job.user, on_progress=progress).run(data)
    if report.written:  # written by COPY, which sends no save signal: the dashboard's figures are told here
        caching.GENERATION.bump()
    with translation.override(language_of(job.user)):
        job.errors = [error.as_dict() for error in report.errors]
        if report.errors and any(error["row"] for error in job.errors):
            marked = ContentFile(marked_workbook(data, job.errors))
            job.marked_workbook.save(f"errors-{job.pk}.xlsx", marked, save=False)
    job.total_rows = job.processed_rows = report.rows
    job.created_count, job.unchanged_count = report.created, report.unchanged
    job.status = ImportJob.Status.DONE if report.written else ImportJob.Status.FAILED
    job.finished_at = job.heartbeat_at = timezone.now()
    job.save()
    if report.written:
        data = {"file": job.original_name, "created": report.created, "unchanged": report.unchanged}
        log(job.user.organisation or job.user, IMPORT_ACTION, user=job.user, data=data)
    return report


def interrupted_message(user, reason):
    with translation.override(language_of(user)):
        return _("The import stopped unexpectedly and wrote nothing; retry it. (%(reason)s)") % {"reason": reason}


def mark_interrupted(jobs, reason):
    """Jobs whose run ended without an outcome: nothing was written (one transaction); say why."""
    now = timezone.now()
    for job in jobs:
        message = interrupted_message(job.user, reason)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.INTERRUPTED,
            errors=[{"row": 0, "column": "", "header": "", "value": "", "message": message}],
            finished_at=now,
        )


def fail_interrupted_imports(now=None):
    """Mark running jobs whose worker fell silent as interrupted; returns how many."""
    now = now or timezone.now()
    stalled = list(
        ImportJob.objects.filter(status=ImportJob.Status.RUNNING, heartbeat_at__lt=now - STALLED_AFTER)
        .select_related("user")
        .only("pk", "user")
    )
    minutes = int(STALLED_AFTER.total_seconds() // 60)
    for job in stalled:
        with translation.override(language_of(job.user)):
            reason = _("no sign of progress for %(minutes)d minutes") % {"minutes": minutes}
        mark_interrupted([job], reason)
        logger.warning("Officer import job %s (user %s) was interrupted: no heartbeat", job.pk, job.user_id)
    return len(stalled)


def retry(job):
    """Queue an interrupted job again, for its owner."""
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.INTERRUPTED).update(
            status=ImportJob.Status.QUEUED,
            errors=[],
            processed_rows=0,
            finished_at=None,
            heartbeat_at=None,
        )
        if updated:
            transaction.on_commit(lambda: import_officers_task.enqueue(job.pk))
    return bool(updated)


@task()
def import_officers_task(job_id):
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    try:
        run_import_job(job)
    except Exception as error:
        logger.exception("Officer import job %s (%s, user %s) crashed", job.pk, job.original_name, job.user_id)
        mark_interrupted([job], error)
        raise  # the task backend records the failure and traceback too
