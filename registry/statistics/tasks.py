"""The dashboard snapshot's refresh as a background task (enqueued when a snapshot is found stale)."""

from django_tasks import task

from . import snapshot


@task()
def refresh_statistics():
    return snapshot.refresh()
