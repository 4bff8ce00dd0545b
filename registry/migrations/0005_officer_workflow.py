"""Create the officer review workflow (审核) and assign it to Chief Quality Officer records."""

from django.db import migrations


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    OfficerApprovalTask = apps.get_model("registry", "OfficerApprovalTask")

    task_type, _ = ContentType.objects.get_or_create(app_label="registry", model="officerapprovaltask")
    officer_type, _ = ContentType.objects.get_or_create(app_label="registry", model="chiefqualityofficer")
    task = OfficerApprovalTask.objects.filter(name="首席质量官审核").first()
    if task is None:
        task = OfficerApprovalTask.objects.create(name="首席质量官审核", content_type=task_type, active=True)
    workflow, _ = Workflow.objects.get_or_create(name="首席质量官审核流程", defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(content_type=officer_type, defaults={"workflow": workflow})


def remove_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name="首席质量官审核流程").delete()
    apps.get_model("registry", "OfficerApprovalTask").objects.filter(name="首席质量官审核").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_officerapprovaltask_importjob_chiefqualityofficer"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
