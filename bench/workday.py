"""The writes of a working day, for the portal's working-day load test (bench/portal.py).

``python -m bench.workday SECONDS RATE`` runs in its own process with the served site's environment (same
database, same Redis namespace), so its writes reach the page cache exactly as the application's own would: for
``SECONDS`` it makes ``RATE`` writes a second in the mix of administrators at work (logins, draft saves of
records under review, SMS codes, standard drafts, import progress) with one approval in ten, which is a public
change (the talent pool grows), and starts one officer import in the middle. The import runs as the task worker
runs it in production: in a process of its own, at the worker's lower CPU priority (``nice -n 10`` in the
Procfile), while the administrators go on writing. It prints one JSON line of counts.
"""

import itertools
import json
import multiprocessing
import os
import sys
import time
from datetime import timedelta

import django

#: The task worker's niceness (Procfile, bin/prod, docs/deployment.md): background jobs yield the cores to requests.
WORKER_NICENESS = 10


def writers():
    """One callable per kind of write; each makes one write like the application's own."""
    from django.contrib.auth.models import update_last_login
    from django.utils import timezone

    from filings.standards.models import DisclosedStandard
    from registry.models import ChiefQualityOfficer, Enterprise, ImportJob, SMSCode, User
    from registry.workflows import approval as approval_publishes

    administrators = list(User.objects.filter(kind=User.Kind.ADMINISTRATOR, is_active=True)[:50])
    officers = list(ChiefQualityOfficer.unscoped.order_by("id")[:200])
    enterprises = list(Enterprise.unscoped.order_by("id")[:200])
    if not administrators or not officers or not enterprises:
        raise RuntimeError("the working day needs the demo data (administrators, officers, enterprises)")
    job = ImportJob.objects.create(user=administrators[0], original_name="working-day.xlsx", total_rows=5000)
    cycle = itertools.count()

    def login():
        update_last_login(None, administrators[next(cycle) % len(administrators)])

    def draft_save():
        officers[next(cycle) % len(officers)].save_revision(user=administrators[0])

    def sms_code():
        now = timezone.now()
        SMSCode.objects.create(
            mobile="13800000000",
            purpose=SMSCode.Purpose.REGISTER,
            code_hash="0" * 64,
            expires_at=now + timedelta(minutes=5),
        )

    def standard_draft():
        enterprise = enterprises[next(cycle) % len(enterprises)]
        DisclosedStandard.unscoped.create(
            enterprise=enterprise,
            kind="enterprise",
            number=f"Q/WD {next(cycle):05d}-2026",
            name="工作日草稿标准",
            status=DisclosedStandard.Status.DRAFT,
            region=enterprise.region,
        )

    def import_progress():
        job.processed_rows = (job.processed_rows + 100) % job.total_rows
        job.save(update_fields=["processed_rows"])

    def approval():
        officer = officers[next(cycle) % len(officers)]
        with approval_publishes():  # as the review task publishes an approved record
            officer.save_revision(user=administrators[0]).publish(user=administrators[-1])

    private = [login, draft_save, sms_code, standard_draft, import_progress]
    # Nine private writes for each approval.
    return [*private, *private[:4], approval], job


def officer_import():
    """A 500-row officer import through the importer the admin runs, rolled back afterwards, at the task worker's
    priority."""
    os.nice(WORKER_NICENESS)
    from bench.officers import import_workbook, importer_admin, rolled_back
    from registry.officers.importing import OfficerImporter

    data = import_workbook(500)
    rolled_back(lambda: OfficerImporter(importer_admin()).run(data))


def start_officer_import():
    """The import in a forked process, as the task worker would run it beside the web requests."""
    from django.db import connections

    connections.close_all()  # each process opens its own connection: a forked socket must not be shared
    process = multiprocessing.get_context("fork").Process(target=officer_import)
    process.start()
    return process


def main(seconds, rate):
    django.setup()
    from django.db import transaction

    mix, job = writers()
    # Django's set-up takes seconds on a busy machine: the load test waits for this line, so the writes span it.
    sys.stdout.write("WORKDAY_READY\n")
    sys.stdout.flush()
    counts = {work.__name__: 0 for work in mix}
    interval = 1 / rate
    deadline = time.monotonic() + seconds
    importer = None
    try:
        for work in itertools.cycle(mix):
            started = time.monotonic()
            if started >= deadline:
                break
            if importer is None and started >= deadline - seconds / 2:
                importer = start_officer_import()
            with transaction.atomic():
                work()
            counts[work.__name__] += 1
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
        if importer is not None:
            importer.join()
            if importer.exitcode:
                raise RuntimeError(f"the officer import exited with status {importer.exitcode}")
            counts["officer_import"] = 1
    finally:
        job.delete()
    sys.stdout.write("WORKDAY_JSON " + json.dumps(counts) + "\n")


if __name__ == "__main__":
    main(float(sys.argv[1]), float(sys.argv[2]))
