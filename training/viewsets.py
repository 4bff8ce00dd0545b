"""Admin viewsets of the training menu: trainings, enrolments (with attendance), the question bank, examinations,
exam attempts and certificates. Every model is scoped (registry.scoping): a bureau sees its subtree's records."""

from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import CreateView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from registry import contributions
from registry.policies import ScopePolicy
from registry.reports import AuditedExportMixin

from . import admin_views
from .models import Attempt, Certificate, Enrolment, Exam, Question, Training


def index_view(*related, buttons=()):
    """A listing that joins the rows its columns print and exports through registry.exports; ``buttons``: (label,
    url name, icon) header buttons."""

    class View(AuditedExportMixin, IndexView):
        def get_base_queryset(self):
            return super().get_base_queryset().select_related(*related)

        @property
        def header_buttons(self):
            return super().header_buttons + [
                HeaderButton(label, reverse(name), icon_name=icon) for label, name, icon in buttons
            ]

    return View


class TrainingViewSet(ModelViewSet):
    model = Training
    name = "training_sessions"
    url_prefix = "training/sessions"
    icon = "calendar"
    menu_label = _("Trainings")
    menu_order = 1
    menu_hook = contributions.menu_hook("training")
    index_view_class = index_view("organisation")
    copy_view_enabled = False
    list_display = [
        TitleColumn("title", label=_("title"), url_name="training_sessions:edit"),
        "year",
        Column("organisation", label=_("organising bureau")),
        DateColumn("starts_on", label=_("first day")),
        DateColumn("enrolment_deadline", label=_("enrolment deadline")),
        "capacity",
        BooleanColumn("online", label=_("online")),
    ]
    list_filter = ["year", "online"]
    list_export = [
        "title",
        "year",
        "organisation",
        "starts_on",
        "ends_on",
        "online",
        "place",
        "capacity",
        "enrolment_deadline",
    ]
    search_fields = ["title", "place"]


class EnrolmentCreateView(CreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        instance.enrolled_by = self.request.user
        instance.save()
        return instance


class EnrolmentViewSet(ModelViewSet):
    model = Enrolment
    name = "training_enrolments"
    url_prefix = "training/enrolments"
    icon = "user"
    menu_label = _("Enrolments and attendance")
    menu_order = 2
    menu_hook = contributions.menu_hook("training")
    index_view_class = index_view(
        "training",
        "officer__enterprise",
        buttons=[(_("Enrol from a workbook"), "training_enrolments:import", "upload")],
    )
    add_view_class = EnrolmentCreateView
    copy_view_enabled = False
    form_fields = ["training", "officer", "attended"]
    list_display = [
        TitleColumn("officer", label=_("officer"), url_name="training_enrolments:edit", accessor="officer.real_name"),
        Column("enterprise", label=_("enterprise"), accessor="officer.enterprise.name"),
        Column("training", label=_("training")),
        BooleanColumn("attended", label=_("attended")),
        DateColumn("created_at", label=_("enrolled")),
    ]
    list_filter = ["training", "attended"]
    list_export = ["officer.real_name", "officer.enterprise.name", "training", "attended", "created_at"]
    export_headings = {"officer.real_name": _("officer"), "officer.enterprise.name": _("enterprise")}
    search_fields = ["officer__real_name", "officer__enterprise__name"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("import/", admin_views.enrolment_import_view, name="import"),
            path("template.xlsx", admin_views.enrolment_template_view, name="template"),
        ]


class QuestionViewSet(ModelViewSet):
    model = Question
    name = "training_questions"
    url_prefix = "training/questions"
    icon = "help"
    menu_label = _("Question bank")
    menu_order = 3
    menu_hook = contributions.menu_hook("training")
    index_view_class = index_view(
        "organisation",
        buttons=[
            (_("Import from a workbook"), "training_questions:import", "upload"),
            (_("Download the bank"), "training_questions:export", "download"),
        ],
    )
    copy_view_enabled = False
    form_fields = ["organisation", "kind", "topic", "text", "options", "answer", "active"]
    list_display = [
        TitleColumn("text", label=_("question"), url_name="training_questions:edit"),
        "kind",
        "topic",
        Column("organisation", label=_("bureau")),
        BooleanColumn("active", label=_("in use")),
    ]
    list_filter = ["kind", "topic", "active"]
    search_fields = ["text", "topic"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("import/", admin_views.import_view, name="import"),
            path("template.xlsx", admin_views.template_view, name="template"),
            path("bank.xlsx", admin_views.export_view, name="export"),
        ]


class ExamViewSet(ModelViewSet):
    model = Exam
    name = "training_exams"
    url_prefix = "training/exams"
    icon = "form"
    menu_label = _("Examinations")
    menu_order = 4
    menu_hook = contributions.menu_hook("training")
    index_view_class = index_view("training")
    copy_view_enabled = False
    list_display = [
        TitleColumn("title", label=_("title"), url_name="training_exams:edit"),
        Column("training", label=_("training")),
        "opens_at",
        "closes_at",
        "duration_minutes",
        "pass_mark",
    ]
    search_fields = ["title"]


class ViewOnlyPolicy(ScopePolicy):
    """Records made by the portal (attempts) or by passing (certificates): looked at, never added or edited here."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


class ViewOnlyViewSet(ModelViewSet):
    """Listing, inspect and history only (its model's policy is :class:`ViewOnlyPolicy`, see wagtail_hooks)."""

    exclude_form_fields = []
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name not in {"add", "edit", "delete"}]


class AttemptViewSet(ViewOnlyViewSet):
    """Exam results, read only: attempts are made on the portal and marked automatically."""

    model = Attempt
    name = "training_attempts"
    url_prefix = "training/attempts"
    icon = "tick"
    menu_label = _("Exam results")
    menu_order = 5
    menu_hook = contributions.menu_hook("training")
    index_view_class = index_view("exam", "enrolment__officer__enterprise")
    list_display = [
        TitleColumn(
            "officer", label=_("officer"), url_name="training_attempts:inspect", accessor="enrolment.officer.real_name"
        ),
        Column("enterprise", label=_("enterprise"), accessor="enrolment.officer.enterprise.name"),
        Column("exam", label=_("examination")),
        "number",
        "score",
        "total",
        BooleanColumn("passed", label=_("passed")),
        "submitted_at",
    ]
    list_filter = ["exam", "passed"]
    list_export = [
        "enrolment.officer.real_name",
        "enrolment.officer.enterprise.name",
        "exam",
        "number",
        "score",
        "total",
        "passed",
        "started_at",
        "submitted_at",
    ]
    export_headings = {
        "enrolment.officer.real_name": _("officer"),
        "enrolment.officer.enterprise.name": _("enterprise"),
    }
    inspect_view_fields = [
        "enrolment",
        "exam",
        "number",
        "started_at",
        "deadline",
        "submitted_at",
        "score",
        "total",
        "passed",
    ]


class StatusColumn(Column):
    def get_value(self, instance):
        labels = {"valid": _("Valid"), "expired": _("Expired"), "revoked": _("Revoked")}
        return labels[instance.status()]


class ActionsColumn(Column):
    def get_value(self, instance):
        pdf = reverse("training_certificates:pdf", args=[instance.pk])
        if instance.revoked_at:
            return format_html('<a href="{}">PDF</a>', pdf)
        revoke = reverse("training_certificates:revoke", args=[instance.pk])
        return format_html('<a href="{}">PDF</a> · <a href="{}">{}</a>', pdf, revoke, _("Revoke"))


class CertificateViewSet(ViewOnlyViewSet):
    model = Certificate
    name = "training_certificates"
    url_prefix = "training/certificates"
    icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 6
    menu_hook = contributions.menu_hook("training")
    index_view_class = index_view("officer__enterprise")
    list_display = [
        TitleColumn("number", label=_("certificate number"), url_name="training_certificates:inspect"),
        "holder_name",
        Column("enterprise", label=_("enterprise"), accessor="officer.enterprise.name"),
        "year",
        DateColumn("valid_until", label=_("valid until")),
        StatusColumn("status", label=_("Status")),
        ActionsColumn("actions", label=""),
    ]
    list_filter = ["year"]
    list_export = ["number", "holder_name", "officer.enterprise.name", "year", "issued_on", "valid_until", "revoked_at"]
    export_headings = {"officer.enterprise.name": _("enterprise")}
    search_fields = ["number", "holder_name"]
    inspect_view_fields = [
        "number",
        "holder_name",
        "organisation",
        "training",
        "year",
        "issued_on",
        "valid_until",
        "revoked_at",
        "revoke_reason",
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("revoke/<int:pk>/", admin_views.revoke_view, name="revoke"),
            path("pdf/<int:pk>/", admin_views.certificate_pdf_view, name="pdf"),
        ]
