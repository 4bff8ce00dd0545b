"""Who may write and publish where in the news tree.

Why per-organisation groups on per-organisation sections (rather than a custom permission policy):
Wagtail's page permissions are group- and tree-based, and every admin screen (explorer, add/edit,
action menu, dashboard, bulk actions) already honours them. So each organisation with administrators
gets its own section below /news/ and one group ("新闻编辑·组织#<id>") that

* may add and edit pages in its own section (never publish: its news must go through the workflow), and
* may publish in the sections of its direct child organisations, which is what Wagtail checks when the
  final workflow step publishes as the approver.

An administrator is kept in exactly the group of their own organisation (post_save of the user). Groups
exist only for organisations that have a section or administrators, so their number stays small.
The workflow's task (:class:`news.models.ParentOrganisationApprovalTask`) decides who may approve; the
publish grant only makes that approval effective.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page, Task, Workflow, WorkflowPage, WorkflowTask

from registry.models import Organisation

from .models import NewsIndexPage, NewsSectionPage, ParentOrganisationApprovalTask

GROUP_PREFIX = "新闻编辑·组织#"
WORKFLOW_NAME = "上级机构审核"
TASK_NAME = "上一级管理员审核"


def group_name(organisation):
    return f"{GROUP_PREFIX}{organisation.pk}"


def organisation_group(organisation):
    group, _created = Group.objects.get_or_create(name=group_name(organisation))
    return group


def page_permission(action):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{action}_page")


def grant(group, page, actions):
    for action in actions:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=page_permission(action))


@transaction.atomic
def ensure_section(organisation, index=None):
    """The organisation's news section, created with its permissions if missing (``None`` without /news/)."""
    section = NewsSectionPage.objects.filter(organisation=organisation).first()
    if section is None:
        index = index or NewsIndexPage.objects.first()
        if index is None:
            return None
        section = index.add_child(
            instance=NewsSectionPage(title=organisation.name, slug=f"org-{organisation.pk}", organisation=organisation)
        )
    grant(organisation_group(organisation), section, ["add", "change"])
    parent = organisation.get_parent()
    if parent is not None:
        grant(organisation_group(parent), section, ["publish"])
    return section


def sync_membership(user):
    """Keep an administrator in exactly their organisation's news group, and make sure the section exists."""
    stale = user.groups.filter(name__startswith=GROUP_PREFIX)
    wanted = None
    if user.is_administrator and user.is_active and user.organisation_id is not None:
        wanted = organisation_group(user.organisation)
        ensure_section(user.organisation)
        stale = stale.exclude(pk=wanted.pk)
    user.groups.remove(*stale)
    if wanted is not None:
        user.groups.add(wanted)


def ensure_sections_for_administrators(index):
    User = get_user_model()
    with_admins = User.objects.filter(kind=User.Kind.ADMINISTRATOR, is_active=True).exclude(role="")
    for organisation in Organisation.objects.filter(pk__in=with_admins.values("organisation")):
        ensure_section(organisation, index)
    for user in with_admins.select_related("organisation"):
        sync_membership(user)


def ensure_content_permissions(index):
    """Notices and policy documents speak for the national bureau: it writes them, the platform approves."""
    national = Organisation.objects.holding(Organisation.NATIONAL_BUREAU)
    if national is None:
        return
    grant(organisation_group(national), index, ["add", "change"])
    parent = national.get_parent()
    if parent is not None:
        grant(organisation_group(parent), index, ["publish"])


def ensure_workflow(*pages):
    """The parent-organisation approval workflow, attached to ``pages`` (their subtrees are moderated)."""
    task = ParentOrganisationApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = ParentOrganisationApprovalTask.objects.create(name=TASK_NAME)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=Task.objects.get(pk=task.pk), defaults={"sort_order": 0})
    for page in pages:
        WorkflowPage.objects.update_or_create(page=Page.objects.get(pk=page.pk), defaults={"workflow": workflow})
    return workflow
