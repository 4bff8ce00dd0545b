"""Give every application the workflow and task states its stored state says (the stages are now workflow tasks).

Each submitted application gets a revision of itself. One in review gets a workflow state (submitted by its
creator) at the task of its stage, the stages before it approved; a returned one the same, with its returning
stage's task rejected (needs changes: the resubmission resumes there, the reviewer's comment kept); an awarded
one is published (live) as of its award. An application waiting at (or returned by) a stage its programme no
longer uses moves on to the programme's next stage: none is left without a task to act on. Times come from the
application and its review log, never the migration's. Not qualified, not recommended and not awarded
applications keep only their state.
"""

from django.db import migrations
from modelcluster.models import get_serializable_data_for_fields

#: (stage, task model, task name) in order, as filings.awards.models.review names them.
STAGES = (
    ("qualification", "QualificationTask", "质量奖申报资格审查"),
    ("recommendation", "RecommendationTask", "质量奖申报推荐单位意见"),
    ("expert_review", "ExpertReviewTask", "质量奖申报专家评审"),
    ("determination", "DeterminationTask", "质量奖申报评定"),
)
ORDER = [stage for stage, _model, _name in STAGES]


def stages_of(programme):
    return [
        row
        for row in STAGES
        if (row[0] != "recommendation" or programme.uses_recommendation)
        and (row[0] != "expert_review" or programme.uses_expert_review)
    ]


def used_stage(stage, stages):
    """``stage`` if the programme uses it, else the next stage it uses (qualification and determination always)."""
    return next(used for used in stages if ORDER.index(used) >= ORDER.index(stage))


def logged(log, default, **match):
    """The time of the newest entry of ``log`` matching ``match`` (``from_state``/``to_state``), or ``default``."""
    times = [entry.created_at for entry in log if all(getattr(entry, k) == v for k, v in match.items())]
    return times[-1] if times else default


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    Revision = apps.get_model("wagtailcore", "Revision")
    Application = apps.get_model("awards", "Application")
    ReviewLogEntry = apps.get_model("awards", "ReviewLogEntry")

    applications = Application.objects.exclude(state="draft").select_related("programme")
    if not applications.exists():
        return  # a new database: the code creates tasks and workflows when first needed
    application_type, _ = ContentType.objects.get_or_create(app_label="awards", model="application")
    task_state_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="taskstate")
    tasks = {}
    for stage, model_name, name in STAGES:
        model = apps.get_model("awards", model_name)
        task = model.objects.order_by("pk").first()  # by type, as the code finds it
        if task is None:
            task_type, _ = ContentType.objects.get_or_create(app_label="awards", model=model_name.lower())
            task = model.objects.create(name=name, content_type=task_type, active=True)
        tasks[stage] = task
    workflows = {}

    def workflow_of(programme):
        """The workflow of the programme's stages, found by its tasks as the code finds it (created once)."""
        rows = stages_of(programme)
        key = tuple(tasks[row[0]].pk for row in rows)
        if key not in workflows:
            for workflow in Workflow.objects.filter(workflow_tasks__task_id=key[0]).order_by("-active", "pk"):
                if tuple(workflow.workflow_tasks.order_by("sort_order").values_list("task_id", flat=True)) == key:
                    break
            else:
                name = "质量奖申报评审：" + "、".join(row[2].removeprefix("质量奖申报") for row in rows)
                workflow = Workflow.objects.create(name=name, active=True)
                for order, task_id in enumerate(key):
                    WorkflowTask.objects.create(workflow=workflow, task_id=task_id, sort_order=order)
            workflows[key] = workflow
        return workflows[key], [row[0] for row in rows]

    for application in applications.iterator():
        log = list(ReviewLogEntry.objects.filter(application=application).order_by("created_at", "pk"))
        submitted_at = application.submitted_at or application.created_at
        decided_at = logged(log, application.updated_at, to_state=application.state)
        revision = Revision.objects.create(
            content_type=application_type,
            base_content_type=application_type,
            object_id=str(application.pk),
            user_id=application.created_by_id,
            content=get_serializable_data_for_fields(application),
            object_str=application.submitted_project or str(application.pk),
            created_at=submitted_at,
        )
        awarded = application.state == "awarded"
        Application.objects.filter(pk=application.pk).update(
            latest_revision=revision,
            live=awarded,
            live_revision=revision if awarded else None,
            first_published_at=decided_at if awarded else None,
            last_published_at=decided_at if awarded else None,
        )
        returned = application.state == "returned"
        stage = application.returned_from if returned else application.state
        if stage not in ORDER:
            continue
        workflow, stages = workflow_of(application.programme)
        if stage not in stages:
            stage = used_stage(stage, stages)
            moved = {"returned_from": stage} if returned else {"state": stage}
            Application.objects.filter(pk=application.pk).update(**moved)
        state = WorkflowState.objects.create(
            content_type=application_type,
            base_content_type=application_type,
            object_id=str(application.pk),
            workflow=workflow,
            status="needs_changes" if returned else "in_progress",
            requested_by_id=application.created_by_id,
        )
        reason = log[-1].comment if returned and log else ""
        current = None
        started_at = submitted_at
        for passed in stages[: stages.index(stage) + 1]:
            now = passed == stage
            finished_at = decided_at if now else logged(log, started_at, from_state=passed)
            current = TaskState.objects.create(
                workflow_state=state,
                revision=revision,
                task=tasks[passed],
                status=("rejected" if returned else "in_progress") if now else "approved",
                finished_at=None if now and not returned else finished_at,
                comment=reason if now else "",
                content_type=task_state_type,
            )
            TaskState.objects.filter(pk=current.pk).update(started_at=logged(log, started_at, to_state=passed))
            started_at = finished_at
        WorkflowState.objects.filter(pk=state.pk).update(current_task_state=current, created_at=submitted_at)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0009_application_review_tasks"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
