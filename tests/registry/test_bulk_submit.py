"""``bulk_submit`` writes Wagtail's workflow tables itself (COPY on PostgreSQL): this pins it to what Wagtail's own
``save_revision`` + ``Workflow.start`` write for the same record, every column of every row, so a Wagtail upgrade
that changes those rows fails here instead of leaving imported records that Wagtail's views misread."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import ModelLogEntry, Revision, TaskState, WorkflowState

from registry.bulk import bulk_insert, reserve_ids
from registry.crypto import decrypt
from registry.models import ChiefQualityOfficer
from registry.officers.factories import OfficerFactory
from registry.officers.submission import bulk_submit, officer_workflow

pytestmark = pytest.mark.django_db

#: Columns whose values differ between any two runs: keys, times, random ids.
VOLATILE = {"id", "created_at", "started_at", "timestamp", "uuid", "updated_at"}


class Rollback(Exception):
    pass


def rows(officer):
    """Every row the submission of ``officer`` wrote, column by column, with keys replaced by what they point at."""
    officer = ChiefQualityOfficer.unscoped.get(pk=officer.pk)
    revisions = list(Revision.objects.for_instance(officer).order_by("pk"))
    workflow_states = list(WorkflowState.objects.for_instance(officer).order_by("pk"))
    task_states = list(TaskState.objects.filter(workflow_state__in=workflow_states).order_by("pk"))
    entries = list(ModelLogEntry.objects.for_instance(officer).order_by("pk"))
    names = {}
    for kind, objects in (("revision", revisions), ("workflow_state", workflow_states), ("task_state", task_states)):
        names.update({(kind, obj.pk): f"{kind}[{index}]" for index, obj in enumerate(objects)})

    def columns(obj, kind):
        values = {}
        for field in obj._meta.concrete_fields:
            if field.name in VOLATILE:
                continue
            value = getattr(obj, field.attname)
            target = {"revision": "revision", "workflow_state": "workflow_state", "current_task_state": "task_state"}
            if field.name in target and value is not None:
                value = names[(target[field.name], value)]
            if field.name == "object_id" and value == str(officer.pk):
                value = "officer"
            values[field.name] = value
        if kind == "revision":
            # Encrypted identifiers (registry.crypto) differ between any two encryptions of one value: compared plain.
            content = values["content"].items()
            values["content"] = {key: decrypt(value) for key, value in content if key not in VOLATILE}
            if values["content"]["pk"] == officer.pk:
                values["content"]["pk"] = "officer"
        if kind == "log" and "workflow" in values["data"]:
            workflow = dict(values["data"]["workflow"])
            workflow["task_state_id"] = names[("task_state", workflow["task_state_id"])]
            values["data"] = {**values["data"], "workflow": workflow}
        return values

    officer_columns = columns(officer, "officer")
    officer_columns["latest_revision"] = names[("revision", officer.latest_revision_id)]
    return {
        "officer": officer_columns,
        "revisions": [columns(obj, "revision") for obj in revisions],
        "workflow_states": [columns(obj, "workflow_state") for obj in workflow_states],
        "task_states": [columns(obj, "task_state") for obj in task_states],
        "log": [columns(obj, "log") for obj in entries],
    }


def by_wagtail(officer, user):
    officer.save_revision(user=user)
    officer_workflow().start(officer, user)
    return officer


def by_bulk_submit(officer, user):
    bulk_submit([officer], user)
    return officer


def as_imported(officer, user):
    """As the importer writes a new officer: the id of its first revision reserved and written in its row (on
    PostgreSQL: elsewhere there is none to reserve, and the revision is set afterwards)."""
    ChiefQualityOfficer.unscoped.filter(pk=officer.pk).delete()  # its place taken by the same record, new
    officer.pk = officer.id = None
    officer._state.adding = True
    revision_ids = reserve_ids(Revision, 1)
    officer.latest_revision_id = revision_ids[0] if revision_ids else None
    bulk_insert(ChiefQualityOfficer, [officer])
    bulk_submit([officer], user, revision_ids=revision_ids)
    return officer


def test_bulk_submit_writes_the_rows_wagtails_workflow_start_writes(orgs, make_admin):
    user = make_admin(orgs.changan)
    officer = OfficerFactory(organisation=orgs.changan, has_unpublished_changes=True)
    officer.full_clean()  # what the importer's rows went through (the birth date from the id number)
    officer.save()
    officer_workflow()  # created outside the compared runs
    ContentType.objects.get_for_model(ChiefQualityOfficer)
    results = []
    for submit in (by_wagtail, by_bulk_submit, as_imported):
        try:
            with transaction.atomic():
                submitted = submit(ChiefQualityOfficer.unscoped.get(pk=officer.pk), user)
                results.append(rows(submitted))
                raise Rollback
        except Rollback:
            pass
    expected, *actuals = results
    assert expected["log"] and expected["task_states"] and expected["revisions"]  # the comparison compares rows
    for actual in actuals:
        for table in expected:
            assert actual[table] == expected[table], (table, list(diff(actual[table], expected[table])))
    assert [entry["action"] for entry in expected["log"]] == ["wagtail.workflow.start"]


def diff(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in set(a) | set(b):
            yield from diff(a.get(key), b.get(key), f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from diff(x, y, f"{path}[{index}]")
    elif a != b:
        yield path, a, b


@pytest.mark.django_db(transaction=True)
def test_bulk_submit_with_no_transaction_of_its_callers_writes_its_rows_at_once(reference_data, orgs, make_admin):
    """A caller holding no transaction (a script, the benchmark's set-up): the workflow states point at task states
    written after them, which PostgreSQL would check at the end of each statement outside a transaction."""
    user = make_admin(orgs.changan)
    created = OfficerFactory.create_batch(3, organisation=orgs.changan, has_unpublished_changes=True)
    officers = list(ChiefQualityOfficer.unscoped.filter(pk__in=[officer.pk for officer in created]))
    bulk_submit(officers, user)
    states = WorkflowState.objects.filter(object_id__in=[str(officer.pk) for officer in officers])
    assert sorted(state.current_task_state.status for state in states) == [TaskState.STATUS_IN_PROGRESS] * 3
    assert not ChiefQualityOfficer.unscoped.filter(pk__in=[o.pk for o in officers], latest_revision=None).exists()
