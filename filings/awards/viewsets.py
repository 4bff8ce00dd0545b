"""Administrator side in the Wagtail admin: filing review and the application review pipeline.

These are plain :class:`ViewSet`s with explicit querysets rather than model viewsets, because who sees an
application is not one subtree: the organiser's administrators see their programmes' applications, a
recommending unit's administrators those that chose a unit in their subtree (``access``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, DecimalField, F, Q, Sum, When
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.views.snippets import (
    CollectWorkflowActionDataView,
    EditView,
    HistoryView,
    SnippetViewSet,
    WorkflowActionView,
)

from registry import contributions, workflows
from registry.exports import ExportWorkbook, dated_filename
from registry.params import query_choice, query_id, query_string
from registry.reports import log_export
from registry.scoping import unscoped

from . import access
from .forms import AssignReviewerForm, FilingForm, ReviewActionForm
from .models import Application, AwardProgrammePage, OrganisationFiling, ReviewerAssignment
from .review import ReviewError, act, available_actions


class FilingPermissionPolicy(workflows.ApprovalPublishingPolicy):
    """Filings are the organiser's to read and decide (its administrators, those above, superusers); enterprises
    create and change them on the portal (the owner's actions), and publishing one is its approval."""

    def user_has_permission(self, user, action):
        if action in ("publish", "unpublish"):
            return super().user_has_permission(user, action)
        return action in ("view", "change") and access.can_review_filings(user)

    def administered(self, user):
        """Filings are not scoped by a subtree: whoever reviews filings reviews every one."""
        return OrganisationFiling.objects.all()

    def administers(self, user, instance):
        return True


class ApplicationPermissionPolicy(workflows.ApprovalPublishingPolicy):
    """Publishing an application is awarding it: only the determination's approval does (models.review). Its
    administrators are its organiser's and its recommending unit's (``access``), not one subtree's."""

    def administered(self, user):
        return access.administered_applications(user)

    def administers(self, user, instance):
        return access.administers_application(user, instance)


class FilingRecordViewSet(SnippetViewSet):
    """Each filing as a moderated record: Wagtail's review queue, workflow actions and history link here; the
    review screen (FilingReviewViewSet) stays the organiser's way in."""

    model = OrganisationFiling
    admin_url_namespace = "award_filing_records"
    base_url_path = "award-filing-records"
    icon = "clipboard-list"
    copy_view_enabled = False
    list_display = ["name", "enterprise", "submitted_at"]
    panels = FilingForm.Meta.fields  # what the enterprise files, without the economic years


#: Wagtail's own log actions of a workflow's steps: ``wagtail.workflow.approve``…
WORKFLOW_LOG_PREFIX = "wagtail.workflow."


class ApplicationRecordEditView(EditView):
    """An application is never edited in the admin: its reviewers' way in is the review screen."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("award_applications:detail", pk=kwargs["pk"])


class TaskDecidesMixin:
    """The stage's task decides who acts (``get_actions``: PermissionDenied for anyone else), so the application is
    read unscoped: its organiser sits outside the subtree of the recommending unit the application is scoped by."""

    def setup(self, request, *args, **kwargs):
        with unscoped():
            super().setup(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        with unscoped():
            return super().dispatch(request, *args, **kwargs)


class ApplicationWorkflowActionView(TaskDecidesMixin, WorkflowActionView):
    def post(self, request, *args, **kwargs):
        """A stage action its task refuses (``ReviewError``: scores still due…) is a message, not a server error;
        the task's atomic ``on_action`` changed nothing."""
        try:
            return super().post(request, *args, **kwargs)
        except ReviewError as error:
            messages.error(request, str(error))
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return self.render_modal_json(request, {"step": "success", "redirect": self.redirect_url})
            return redirect(self.redirect_url)


class ApplicationCollectWorkflowActionDataView(TaskDecidesMixin, CollectWorkflowActionDataView):
    pass


class ApplicationHistoryView(HistoryView):
    """An application's one history (Wagtail's log), for the administrators who reach it on the review screen (the
    same rule, not model permissions), the organiser's outside its recommending unit's subtree.

    Each review step is one entry: the awards' own (``awards.<action>``: its stage, the states it moved between and
    its reason). Wagtail's workflow entries for the same steps (started, approved, rejected, resumed, cancelled) are
    left out; they say less (a cancellation is "not qualified" or "not awarded") and would show each decision twice.
    So is the "published" of the award, which is the last stage's approval (``awards.award``).
    """

    any_permission_required = None

    def get_base_object_queryset(self):
        return access.administered_applications(self.request.user).select_related("latest_revision")

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .exclude(action__startswith=WORKFLOW_LOG_PREFIX)
            .exclude(action="wagtail.publish")
        )


class ApplicationRecordViewSet(SnippetViewSet):
    """Each application under review as a moderated record, for Wagtail's review queue and workflow actions."""

    model = Application
    admin_url_namespace = "award_application_records"
    base_url_path = "award-application-records"
    icon = "form"
    copy_view_enabled = False
    edit_view_class = ApplicationRecordEditView
    history_view_class = ApplicationHistoryView
    workflow_action_view_class = ApplicationWorkflowActionView
    collect_workflow_action_data_view_class = ApplicationCollectWorkflowActionDataView
    list_display = ["submitted_organisation", "submitted_project", "state"]
    panels = ["contact_person"]  # never shown: the edit view opens the review screen


class FilingReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_review_filings(request.user)


class FilingReviewViewSet(ViewSet):
    """The organiser approves or rejects organisation filings (with a reason) through each filing's workflow."""

    menu_item_class = FilingReviewMenuItem
    name = "award_filings"
    icon = "clipboard-list"
    menu_label = _("Award filings")
    menu_order = 1
    menu_hook = contributions.menu_hook("awards")

    def index(self, request):
        # region__parent__parent: the city column prints the full province-first name (Division.full_name).
        filings = workflows.with_review_status(
            access.reviewable_filings(request.user).select_related("enterprise", "region__parent__parent")
        )
        status = query_choice(
            request, "status", OrganisationFiling.Status.values, default=OrganisationFiling.Status.PENDING
        )
        filings = filings.filter(review_status=status)
        return TemplateResponse(
            request,
            "awards/admin/filing_index.html",
            {
                "page_title": _("Award filings"),
                "filings": filings,
                "status": status,
                "statuses": OrganisationFiling.Status.choices,
            },
        )

    def detail(self, request, pk):
        filing = get_object_or_404(access.reviewable_filings(request.user), pk=pk)
        state = filing.current_workflow_state
        task_state = state.current_task_state if state and state.status == state.STATUS_IN_PROGRESS else None
        can_decide = task_state is not None and task_state.task.specific.user_can_approve(filing, request.user)
        if request.method == "POST":
            decision = request.POST.get("decision")
            reason = request.POST.get("reason", "").strip()
            if not can_decide:
                messages.error(request, _("This filing is not awaiting review."))
            elif decision == "reject" and not reason:
                messages.error(request, _("A reason is required to reject."))
            elif decision in ("approve", "reject"):
                workflows.decide(filing, request.user, decision, reason)
                messages.success(request, _("Reviewed."))
                return redirect(self.get_url_name("index"))
        return TemplateResponse(
            request,
            "awards/admin/filing_detail.html",
            {"page_title": filing.name, "filing": filing, "can_decide": can_decide},
        )

    def get_urlpatterns(self):
        return [path("", self.index, name="index"), path("<int:pk>/", self.detail, name="detail")]


class ApplicationReviewViewSet(ViewSet):
    """Qualification review, recommending units' opinions, expert assignment, determination and export."""

    name = "award_applications"
    icon = "form"
    menu_label = _("Award applications")
    menu_order = 2
    menu_hook = contributions.menu_hook("awards")

    def visible(self, request):
        return access.administered_applications(request.user).select_related("programme", "recommending_unit")

    def filtered(self, request):
        applications = self.visible(request)
        programme = query_id(request, "programme")
        state = query_choice(request, "state", Application.State.values)
        if programme is not None:
            applications = applications.filter(programme_id=programme)
        if state:
            applications = applications.filter(state=state)
        # 平均分: the mean of the submitted experts' totals (their scores' sum over the experts who scored).
        submitted = Q(assignments__submitted_at__isnull=False)
        return (
            applications.annotate(
                reviewers=Count("assignments", distinct=True),
                scored=Count("assignments", filter=submitted, distinct=True),
                score_sum=Sum("assignments__scores__score", filter=submitted),
            )
            .annotate(
                average_score=Case(
                    When(
                        scored__gt=0, then=F("score_sum") / Cast("scored", DecimalField(max_digits=5, decimal_places=0))
                    ),
                    default=None,
                    output_field=DecimalField(max_digits=8, decimal_places=2),
                )
            )
            .order_by("programme_id", "-submitted_at")
        )

    def index(self, request):
        return TemplateResponse(
            request,
            "awards/admin/application_index.html",
            {
                "page_title": _("Award applications"),
                "applications": self.filtered(request),
                "programmes": AwardProgrammePage.objects.all().order_by("-opens_at"),
                "states": [c for c in Application.State.choices if c[0] != Application.State.DRAFT],
                "query": query_string(request),
            },
        )

    def detail(self, request, pk):
        application = get_object_or_404(self.visible(request).select_related("submission"), pk=pk)
        if request.method == "POST":
            form = ReviewActionForm(request.POST)
            if form.is_valid():
                try:
                    act(application, form.cleaned_data["action"], request.user, form.cleaned_data["comment"])
                    messages.success(request, _("Done."))
                except ReviewError as error:
                    messages.error(request, str(error))
            return redirect(self.get_url_name("detail"), pk=pk)
        organiser = access.is_organiser_admin(request.user, application.programme)
        assignments = application.assignments.select_related("reviewer").prefetch_related("scores__criterion")
        return TemplateResponse(
            request,
            "awards/admin/application_detail.html",
            {
                "page_title": str(application),
                "application": application,
                "dossier": application.dossier,
                "actions": available_actions(application, request.user),
                "assignments": assignments,
                "criteria": application.programme.criteria.all(),
                "assign_form": AssignReviewerForm(application=application)
                if organiser and application.state == Application.State.EXPERT_REVIEW
                else None,
            },
        )

    def assign(self, request, pk):
        application = get_object_or_404(self.visible(request), pk=pk, state=Application.State.EXPERT_REVIEW)
        if not access.is_organiser_admin(request.user, application.programme):
            raise PermissionDenied
        form = AssignReviewerForm(request.POST, application=application)
        if form.is_valid():
            ReviewerAssignment.objects.create(
                application=application, reviewer=form.cleaned_data["reviewer"], assigned_by=request.user
            )
            messages.success(request, _("Expert assigned."))
        else:
            messages.error(request, _("Choose an expert."))
        return redirect(self.get_url_name("detail"), pk=pk)

    def export(self, request):
        """The applications in the current filter with every expert's scores, as xlsx (registry.exports)."""
        applications = list(
            self.filtered(request).prefetch_related("assignments__scores__criterion", "assignments__reviewer")
        )
        workbook = ExportWorkbook()
        sheet = workbook.sheet(
            _("Applications"),
            [
                _("No."),
                _("Programme"),
                _("Applicant"),
                _("Project"),
                _("Recommending unit"),
                _("Status"),
                _("Submitted at"),
                _("Experts"),
                _("Average score"),
            ],
        )
        for application in applications:
            sheet.append(
                [
                    application.pk,
                    application.programme.title,
                    application.submitted_organisation,
                    application.submitted_project,
                    application.recommending_unit.name if application.recommending_unit else "",
                    application.get_state_display(),
                    application.submitted_at,
                    application.reviewers,
                    application.average_score,
                ]
            )
        scores = workbook.sheet(
            _("Scores"),
            [
                _("No."),
                _("Applicant"),
                _("Expert"),
                _("Conflict of interest"),
                _("Criterion"),
                _("Score"),
                _("Comment"),
            ],
        )
        for application in applications:
            for assignment in application.assignments.all():
                for score in assignment.scores.all():
                    scores.append(
                        [
                            application.pk,
                            application.submitted_organisation,
                            str(assignment.reviewer),
                            assignment.get_conflict_display(),
                            score.criterion.name,
                            score.score,
                            assignment.comment,
                        ]
                    )
        log_export(request, self.menu_label, "xlsx")
        return workbook.response(dated_filename(self.menu_label))

    def get_urlpatterns(self):
        return [
            path("", self.index, name="index"),
            path("export/", self.export, name="export"),
            path("<int:pk>/", self.detail, name="detail"),
            path("<int:pk>/assign/", require_POST(self.assign), name="assign"),
        ]


filing_review_viewset = FilingReviewViewSet()
application_review_viewset = ApplicationReviewViewSet()
