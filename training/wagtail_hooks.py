"""The training menu group and its viewsets."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from registry import contributions

from .models import Attempt, Certificate
from .viewsets import (
    AttemptViewSet,
    CertificateViewSet,
    EnrolmentViewSet,
    ExamViewSet,
    QuestionViewSet,
    TrainingViewSet,
    ViewOnlyPolicy,
)

for model in (Attempt, Certificate):
    register_permission_policy(model, ViewOnlyPolicy(model))
contributions.add_menu_group("training", _("Training and certificates"), "calendar", 240)


@hooks.register("register_log_actions")
def register_revoke_action(actions):
    actions.register_action("training.revoke", _("Revoke certificate"), _("Certificate revoked"))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [
        TrainingViewSet(),
        EnrolmentViewSet(),
        QuestionViewSet(),
        ExamViewSet(),
        AttemptViewSet(),
        CertificateViewSet(),
    ]
