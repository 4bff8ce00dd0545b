"""Background tasks: the two-year continue-or-abolish reminder (run daily by the scheduler)."""

from django_tasks import task

from . import services


@task()
def send_two_year_reminders():
    return services.send_due_reminders()
