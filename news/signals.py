"""Keep administrators in their organisation's news group, and e-mail the computed approvers."""

from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.admin.mail import EmailNotificationMixin, Notifier
from wagtail.models import AbstractPage, TaskState

from registry.workflows import OrganisationApprovalTask

LOGIN_ONLY_FIELDS = {"last_login", "password"}


def user_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and set(update_fields) <= LOGIN_ONLY_FIELDS):
        return
    from .sections import sync_membership

    sync_membership(instance)


class OrganisationTaskSubmissionEmailNotifier(EmailNotificationMixin, Notifier):
    """Tells the administrators who may approve a submitted object (Wagtail only notifies group tasks)."""

    notification = "submitted"

    def __init__(self):
        super().__init__((TaskState,))

    def can_handle(self, instance, **kwargs):
        return super().can_handle(instance, **kwargs) and isinstance(instance.task.specific, OrganisationApprovalTask)

    def get_context(self, task_state, **kwargs):
        context = super().get_context(task_state, **kwargs)
        context["task"] = task_state.task.specific
        context["object"] = task_state.workflow_state.content_object
        context["model_name"] = context["object"]._meta.verbose_name
        if isinstance(context["object"], AbstractPage):
            context["page"] = context["object"].specific
        return context

    def get_recipient_users(self, task_state, **kwargs):
        task = task_state.task.specific
        content = task_state.workflow_state.content_object
        recipients = set(task.notification_recipients(content))
        if getattr(settings, "WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS", True):
            recipients |= set(get_user_model().objects.filter(is_superuser=True, is_active=True))
        recipients.discard(kwargs.get("user"))
        recipients.discard(task_state.workflow_state.requested_by)
        return recipients
