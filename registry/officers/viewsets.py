"""The officer registry in the admin: a moderated snippet with filters, export, import, revoke and PDF."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button, HeaderButton, ListingButton
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, InspectView, SnippetViewSet

from .. import contributions
from ..crypto import masked
from ..models import ChiefQualityOfficer
from ..pagination import KeysetPaginationMixin
from ..params import raw
from ..reports import AuditedExportMixin
from . import admin_views, personal_data
from .admin_forms import officer_edit_handler
from .filters import OfficerFilterSet, search_officers
from .personal_data import may_erase, may_reveal
from .review import reviewable
from .submission import can_revoke

#: What a page of the listing loads: the displayed columns, the draft and lock state Wagtail's buttons and
#: lock indicator read, and ``organisation.path`` (the revoke button compares it, can_revoke). Every other column stays
#: in the database: the rows' transfer and decoding, not the index scan, is most of a page's database time.
LISTED_FIELDS = (
    "latest_revision",
    "live",
    "has_unpublished_changes",
    "locked",
    "locked_by",
    "real_name",
    "mobile",
    "appointment_date",
    "review_status",
    "enabled",
    "enterprise__name",
    "enterprise__region__name",
    "organisation__path",
    "erased_at",
)


def listing_queryset(queryset):
    """What a page of the officer listing loads (exports load everything)."""
    return queryset.select_related("enterprise__region", "organisation").only(*LISTED_FIELDS)


class ContactColumn(Column):
    """A mobile or ID number, masked in every listing (registry.crypto.masked); the whole value is the record's
    audited reveal (personal_data.reveal_view)."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if context["raw_value"]:
            context["value"] = masked(self.name, context["raw_value"])
        return context


class OfficerInspectView(InspectView):
    """ID number and mobile masked; administrators whose role needs them reveal them with a reason (audited)."""

    def masked_value(self, name):
        value = getattr(self.object, name)
        if not value:
            return "-"
        if not may_reveal(self.request.user, self.object):
            return masked(name, value)
        return format_html(
            '{} <a href="{}" class="w-ml-2" data-reveal>{}</a>',
            masked(name, value),
            admin_views.url("reveal", self.object.pk),
            _("Reveal"),
        )

    def get_id_number_display_value(self):
        return self.masked_value("id_number")

    def get_mobile_display_value(self):
        return self.masked_value("mobile")

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if may_reveal(self.request.user, self.object):
            buttons.append(
                Button(
                    _("Reveal ID number and mobile"),
                    url=admin_views.url("reveal", self.object.pk),
                    icon_name="view",
                    priority=30,
                )
            )
        return buttons


class OfficerIndexView(AuditedExportMixin, KeysetPaginationMixin, IndexView):
    #: "Add" beside the title: "Add Chief Quality Officer" and "Awaiting my review" squeezed the English title away.
    add_item_label = _("Add")

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if raw(self.request, "awaiting") == "me":  # 待我审核: the records whose review is the user's to decide
            queryset = reviewable(queryset, self.request.user)
        if self.is_export:
            return queryset.select_related("enterprise__region", "enterprise__industry", "education")
        return listing_queryset(queryset)

    def search_queryset(self, queryset):
        return search_officers(queryset, self.search_query) if self.is_searching else queryset

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        user = self.request.user
        if instance.live and can_revoke(instance, user):
            buttons.append(
                ListingButton(
                    _("Revoke review"), url=admin_views.url("revoke", instance.pk), icon_name="undo", priority=40
                )
            )
        if instance.erased_at is None:
            buttons.append(
                ListingButton(
                    _("Registration form (PDF)"),
                    url=admin_views.url("registration_form", instance.pk),
                    icon_name="doc-full",
                    priority=50,
                )
            )
            buttons.append(
                ListingButton(
                    _("Copy of personal data (xlsx)"),
                    url=admin_views.url("subject_export", instance.pk),
                    icon_name="download",
                    priority=60,
                )
            )
            if may_erase(user, instance):
                buttons.append(
                    ListingButton(
                        _("Erase personal data"),
                        url=admin_views.url("erase", instance.pk),
                        icon_name="bin",
                        priority=70,
                    )
                )
        return buttons

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        buttons.append(
            HeaderButton(_("Awaiting my review"), url=f"{admin_views.url('list')}?awaiting=me", icon_name="tasks")
        )
        return buttons

    @cached_property
    def header_more_buttons(self):
        """Rarer actions in the header's "…" menu, so the title keeps its room at 1280 px."""
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perm("registry.change_chiefqualityofficer"):
            listing = self.request.get_full_path()
            review_all = reverse("wagtail_bulk_action", args=["registry", "chiefqualityofficer", "review"])
            buttons.append(
                Button(
                    _("Review all matching"),
                    url=f"{review_all}?{urlencode({'id': 'all', 'next': listing})}",
                    icon_name="tasks",
                    priority=10,
                )
            )
        if self.request.user.has_perm("registry.add_chiefqualityofficer"):
            buttons.append(Button(_("Batch import"), url=admin_views.url("import"), icon_name="upload", priority=20))
        return buttons


class OfficerCreateView(CreateView):
    """A record an administrator enters goes into review (by the entering unit and its parent), whichever button."""

    def get_action(self, request):
        action = super().get_action(request)
        return "submit" if action == "create" and "submit" in self.get_available_actions() else action

    def get_initial_form_instance(self):
        return self.model(organisation=self.request.user.organisation, live=False)


class OfficerEditView(EditView):
    """Wagtail checks only the model permission here; the policy also refuses records kept for statistics only."""

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission_for_instance("change", self.object):
            messages.info(request, _("This record is kept for the statistics only and can no longer be edited."))
            return redirect(admin_views.url("inspect", self.object.pk))
        return super().dispatch(request, *args, **kwargs)


class OfficerViewSet(SnippetViewSet):
    model = ChiefQualityOfficer
    icon = "user"
    menu_label = _("Chief Quality Officers")
    menu_order = 4
    menu_hook = contributions.menu_hook("registry")
    index_view_class = OfficerIndexView
    add_view_class = OfficerCreateView
    edit_view_class = OfficerEditView
    inspect_view_class = OfficerInspectView
    filterset_class = OfficerFilterSet
    # Wagtail's default: each row renders its action menu (≈ 1.5 ms), and 20 rows keep a page near a record's cost.
    list_per_page = 20
    list_display = [
        "real_name",
        "enterprise",
        Column("region", label=_("Region"), accessor="enterprise.region"),
        ContactColumn("mobile", label=_("Mobile")),
        "appointment_date",
        "review_status",
        "enabled",
    ]
    list_export = [
        "real_name",
        "gender",
        "education",
        "mobile",
        "enterprise",
        "enterprise.uscc",
        "enterprise.region",
        "enterprise.industry",
        "enterprise.size",
        "position",
        "appointment_date",
        "review_status",
        "enabled",
        "created_at",
    ]
    export_headings = {
        "enterprise.uscc": _("unified social credit code"),
        "enterprise.region": _("Region"),
        "enterprise.industry": _("industry"),
        "enterprise.size": _("enterprise size"),
    }
    export_filename = "chief-quality-officers"
    search_fields = ["real_name", "mobile", "enterprise__name", "enterprise__uscc", "enterprise__region__name"]
    inspect_view_enabled = True
    #: Wagtail's publishing machinery (scheduling, revisions, locks) says nothing about an officer: review does.
    exclude_form_fields = ["go_live_at", "expire_at", "first_published_at"]
    inspect_view_fields_exclude = [
        "id",
        "id_number_hash",
        "live",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "live_revision",
        "latest_revision",
        "go_live_at",
        "expire_at",
        "expired",
        "locked",
        "locked_at",
        "locked_by",
    ]

    def get_edit_handler(self):
        return officer_edit_handler(self.model)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("import/", admin_views.import_view, name="import"),
            path("import/template/", admin_views.import_template_view, name="import_template"),
            path("import/<int:pk>/", admin_views.import_job_view, name="import_job"),
            path("revoke/<int:pk>/", admin_views.revoke_view, name="revoke"),
            path("review/<int:pk>/", admin_views.review_job_view, name="review_job"),
            path("password/<int:pk>/", admin_views.reset_password_view, name="reset_password"),
            path("registration-form/<int:pk>.pdf", admin_views.registration_form_view, name="registration_form"),
            path("personal-data/<int:pk>.xlsx", personal_data.subject_export_view, name="subject_export"),
            path("erase/<int:pk>/", personal_data.erase_view, name="erase"),
            path("reveal/<int:pk>/", personal_data.reveal_view, name="reveal"),
        ]
