"""Officer imports as background tasks (django-tasks), with progress stored on the ImportJob for the progress bar."""

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log

from ..models import ImportJob
from ..reports import IMPORT_ACTION
from .importing import OfficerImporter, estimated_rows
from .workbooks import marked_workbook

logger = logging.getLogger(__name__)


def run_import_job(job):
    """Validate and write one uploaded workbook, recording progress and the outcome on ``job``."""
    with job.workbook.open("rb") as handle:
        data = handle.read()
    job.status = ImportJob.Status.RUNNING
    job.total_rows = estimated = estimated_rows(data)
    job.save(update_fields=["status", "total_rows"])

    def progress(done, total):
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total or max(estimated, done))

    report = OfficerImporter(job.user, on_progress=progress).run(data)
    job.total_rows = job.processed_rows = report.rows
    job.created_count, job.unchanged_count = report.created, report.unchanged
    job.errors = [error.as_dict() for error in report.errors]
    job.status = ImportJob.Status.DONE if report.written else ImportJob.Status.FAILED
    if report.errors and any(error["row"] for error in job.errors):
        job.marked_workbook.save(f"errors-{job.pk}.xlsx", ContentFile(marked_workbook(data, job.errors)), save=False)
    job.finished_at = timezone.now()
    job.save()
    if report.written:
        data = {"file": job.original_name, "created": report.created, "unchanged": report.unchanged}
        log(job.user.organisation or job.user, IMPORT_ACTION, user=job.user, data=data)
    return report


def mark_job_crashed(job, error):
    """A crash must not leave the job "running" forever: the import wrote nothing (one transaction), say why."""
    message = (
        f"导入意外中止，未写入任何数据，请重试 / The import stopped unexpectedly and wrote nothing; try again ({error})"
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED,
        errors=[{"row": 0, "column": "", "header": "", "value": "", "message": message}],
        finished_at=timezone.now(),
    )


@task()
def import_officers_task(job_id):
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    try:
        run_import_job(job)
    except Exception as error:
        logger.exception("Officer import job %s (%s, user %s) crashed", job.pk, job.original_name, job.user_id)
        mark_job_crashed(job, error)
        raise  # the task backend records the failure and traceback too
