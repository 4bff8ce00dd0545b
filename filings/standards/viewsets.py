"""Admin: regulators read the disclosures in their subtree; platform administrators keep the catalogue."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import IndexView, InspectView, SnippetViewSet

from registry import contributions, imports
from registry.imports import WORKBOOK_ACCEPT, SheetImport, WorkbookError, cell_text
from registry.models import Role
from registry.policies import ScopePolicy
from registry.reports import AuditedExportMixin
from registry.uploads import MB, UploadValidator

from .models import CatalogueStandard, DisclosedStandard, EnterpriseVerification, Indicator, Product, StandardKind
from .models.catalogue import tidy_number

WRITE_ACTIONS = {"add", "change", "delete", "publish", "lock", "unlock"}


class ReadOnlyPolicy(ScopePolicy):
    """Disclosures are the enterprises' own declarations: regulators inspect and export, never edit."""

    def user_has_permission(self, user, action):
        return action not in WRITE_ACTIONS and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class DisclosedStandardIndexView(AuditedExportMixin, IndexView):
    """Regulators' exports of the disclosures land in the audit log like every other export."""


def shown(value):
    """A value as regulators read it: local time, "—" for nothing (never "None")."""
    if value is None or value == "" or (isinstance(value, FieldFile) and not value):
        return "—"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value


def local_time(field_name):
    return lambda standard: shown(getattr(standard, field_name))


class DisclosedStandardInspectView(InspectView):
    """Labels, local times and the products and indicators a regulator checks, of published standards only."""

    EXTRA_LABELS = {"products": gettext_lazy("Products"), "indicators": gettext_lazy("Technical indicators")}

    def get_object(self, queryset=None):
        return get_object_or_404(DisclosedStandard.objects.published(), pk=unquote(str(self.pk)))

    def get_field_label(self, field_name, field):
        if field_name in self.EXTRA_LABELS:
            return self.EXTRA_LABELS[field_name]
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        if field_name == "content" and not self.object.content:
            return "—"
        return shown(super().get_field_display_value(field_name, field))

    def get_full_text_display_value(self):
        if not self.object.full_text:
            return "—"
        url = reverse("standards:public_full_text", args=[self.object.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the full text (PDF)"))

    def get_products_display_value(self):
        products = self.object.products.select_related("category")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    p.name,
                    shown(p.common_name),
                    shown(p.barcode),
                    shown(p.brand),
                    shown(p.specification),
                    shown(p.model),
                    p.category.path_names(),
                )
                for p in products
            ),
        )
        headings = labels(Product, ["name", "common_name", "barcode", "brand", "specification", "model", "category"])
        return table(headings, rows) if products else "—"

    def get_indicators_display_value(self):
        indicators = self.object.indicators.select_related("category", "test_method_standard")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    i.name,
                    shown(i.category and i.category.name),
                    i.requirement_display(),
                    shown(i.test_method_display()),
                    shown(i.level_note),
                )
                for i in indicators
            ),
        )
        headings = [
            *labels(Indicator, ["name", "category"]),
            _("Requirement"),
            *labels(Indicator, ["test_method", "level_note"]),
        ]
        return table(headings, rows) if indicators else "—"


def labels(model, field_names):
    return [capfirst(model._meta.get_field(name).verbose_name) for name in field_names]


def table(headings, rows):
    head = format_html_join("", "<th>{}</th>", ((heading,) for heading in headings))
    return format_html('<table class="listing"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', head, rows)


class DisclosedStandardViewSet(SnippetViewSet):
    """Published (and abolished) standards only: drafts stay the enterprise's own."""

    model = DisclosedStandard
    index_view_class = DisclosedStandardIndexView
    inspect_view_class = DisclosedStandardInspectView
    icon = "doc-full"
    menu_label = gettext_lazy("Disclosed standards")
    menu_order = 1
    menu_hook = contributions.menu_hook("standards")
    url_prefix = "standards/disclosed"
    list_display = [
        "number",
        "name",
        "enterprise_name",
        Column("kind", label=gettext_lazy("kind"), accessor="kind_label"),
        Column("published_at", label=gettext_lazy("published"), accessor=local_time("published_at")),
        Column("abolished_at", label=gettext_lazy("abolished"), accessor=local_time("abolished_at")),
    ]
    list_filter = ["kind", "published_at", "abolished_at"]
    search_fields = ["number", "name", "enterprise_name", "enterprise_uscc"]
    list_export = [
        "number",
        "name",
        "kind",
        "status",
        "enterprise_name",
        "enterprise_uscc",
        "region",
        "published_at",
        "abolished_at",
        "revises",
        "products_summary",
    ]
    export_headings = {"products_summary": gettext_lazy("products")}
    export_filename = "disclosed-standards"
    inspect_view_enabled = True
    inspect_view_fields = [
        "kind",
        "number",
        "name",
        "published_at",
        "abolished_at",
        "revises",
        "enterprise",
        "enterprise_name",
        "enterprise_uscc",
        "legal_representative",
        "registered_address",
        "region",
        "content",
        "full_text",
        "products",
        "indicators",
        "pledge",
    ]

    def get_queryset(self, request):
        return DisclosedStandard.objects.published().select_related("region").prefetch_related("products")


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Catalogue file (.xlsx, .xls or .csv)"),
        help_text=gettext_lazy(
            "Columns: 类型 (国家标准/行业标准/地方标准), 标准编号, 标准名称; first row is the heading."
        ),
        validators=[
            UploadValidator(["xlsx", "xls", "csv"], 10 * MB, label=gettext_lazy("Catalogue file (.xlsx, .xls or .csv)"))
        ],
        widget=forms.FileInput(attrs={"accept": f"{WORKBOOK_ACCEPT},.csv"}),
    )


KIND_BY_LABEL = {
    "国家标准": StandardKind.NATIONAL,
    "行业标准": StandardKind.INDUSTRY,
    "地方标准": StandardKind.LOCAL,
    **{kind.value: kind.value for kind in StandardKind if kind != StandardKind.ENTERPRISE},
}


class CatalogueSheet(SheetImport):
    """The catalogue file: kind, number and name (a CSV from Excel, in UTF-8 or GBK, is accepted too)."""

    #: The national, industry and local catalogues together hold well under this many standards.
    max_rows = 200_000
    accept_csv = True
    columns = [
        imports.Column("kind", "类型", True, aliases=("kind",)),
        imports.Column("number", "标准编号", True, aliases=("number",)),
        imports.Column("name", "标准名称", True, aliases=("name",)),
    ]

    def parse(self, data):
        """(kind, number, name) entries; every bad row is reported by row and column in ``self.errors``."""
        entries, seen = [], {}
        for row_number, cells in self.rows(data):
            kind_label, number, name = (cell_text(cells.get(key)) for key in ("kind", "number", "name"))
            kind = KIND_BY_LABEL.get(kind_label)
            number = tidy_number(number)
            if kind is None:
                self.fail(row_number, "kind", kind_label, _("The kind must be 国家标准, 行业标准 or 地方标准."))
            if not number:
                self.fail(row_number, "number", "", _("This cell is required."))
            elif number in seen:
                self.fail(row_number, "number", number, _("Duplicates row %(row)d.") % {"row": seen[number]})
            if not name:
                self.fail(row_number, "name", "", _("This cell is required."))
            seen.setdefault(number, row_number)
            entries.append((kind, number, name))
        return entries


@transaction.atomic
def import_catalogue(entries):
    created = updated = 0
    for kind, number, name in entries:
        _entry, was_created = CatalogueStandard.objects.update_or_create(
            number=number, defaults={"kind": kind, "name": name}
        )
        created += was_created
        updated += not was_created
    return created, updated


class CatalogueStandardIndexView(AuditedExportMixin, IndexView):
    """The catalogue exports in the columns its import reads."""


class CatalogueStandardViewSet(SnippetViewSet):
    model = CatalogueStandard
    index_view_class = CatalogueStandardIndexView
    list_export = ["kind", "number", "name"]
    export_headings = {"kind": "类型", "number": "标准编号", "name": "标准名称"}
    icon = "list-ul"
    menu_label = gettext_lazy("Standards catalogue")
    menu_order = 2
    menu_hook = contributions.menu_hook("standards")
    url_prefix = "standards/catalogue"
    list_display = ["number", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["number", "number_digits", "name"]

    def import_view(self, request):
        user = request.user
        if not (user.is_superuser or (user.is_administrator and user.role == Role.PLATFORM)):
            raise PermissionDenied
        form = CatalogueImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            sheet = CatalogueSheet()
            try:
                entries = sheet.parse(form.cleaned_data["file"].read())
                errors = sheet.errors
            except WorkbookError as error:
                errors = [error]
            if not errors:
                created, updated = import_catalogue(entries)
                messages.success(
                    request,
                    _("Imported: %(created)d new, %(updated)d updated.") % {"created": created, "updated": updated},
                )
                return redirect(self.get_url_name("list"))
        return TemplateResponse(
            request, "standards/catalogue_import.html", {"form": form, "errors": errors, "view": self}
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("import/", self.import_view, name="import")]


# --- Registration by documents (issue 21): the bureau's check ------------------------------------------------


class RejectVerificationForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (sent to the applicant by SMS)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=200,
    )


class VerificationReviewView(View):
    """The documents beside the details they prove; confirm, or reject with a reason. Scoped: 404 outside."""

    model = EnterpriseVerification  # the scoping sweep probes this URL

    def dispatch(self, request, pk):
        if not request.user.has_perm("standards.view_enterpriseverification"):
            raise PermissionDenied
        self.verification = get_object_or_404(
            EnterpriseVerification.objects.select_related("enterprise", "organisation", "decided_by"), pk=pk
        )
        return super().dispatch(request, pk)

    def get(self, request, pk, reject_form=None):
        verification = self.verification
        enterprise = verification.enterprise
        rows = [
            (_("Legal representative"), verification.legal_representative, enterprise.legal_representative),
            (
                _("Legal representative's ID document"),
                f"{verification.get_legal_representative_document_type_display()} "
                f"{verification.legal_representative_id_number}",
                enterprise.legal_representative_id_number
                and f"{enterprise.get_legal_representative_document_type_display()} "
                f"{enterprise.legal_representative_id_number}",
            ),
            (_("Registered address"), verification.registered_address, enterprise.registered_address),
        ]
        return TemplateResponse(
            request,
            "standards/admin/verification_review.html",
            {
                "page_title": _("Registration by documents"),
                "header_icon": "doc-full",
                "verification": verification,
                "rows": [(label, typed, recorded or "—") for label, typed, recorded in rows],
                "can_decide": verification.status == EnterpriseVerification.Status.PENDING
                and request.user.has_perm("standards.change_enterpriseverification"),
                "reject_form": reject_form or RejectVerificationForm(),
            },
        )

    def post(self, request, pk):
        if not request.user.has_perm("standards.change_enterpriseverification"):
            raise PermissionDenied
        verification = self.verification
        if verification.status != EnterpriseVerification.Status.PENDING:
            messages.error(request, _("This registration has already been checked."))
        elif "reject" in request.POST:
            form = RejectVerificationForm(request.POST)
            if not form.is_valid():
                return self.get(request, pk, reject_form=form)
            verification.reject(request.user, form.cleaned_data["reason"])
            messages.success(request, _("Rejected; the applicant has been told the reason by SMS."))
        elif "confirm" in request.POST:
            verification.confirm(request.user)
            messages.success(
                request, _("Confirmed: the account can sign in and the registry record holds the checked details.")
            )
        return redirect("standards_verifications:review", pk=pk)


class EnterpriseVerificationViewSet(ModelViewSet):
    model = EnterpriseVerification
    name = "standards_verifications"
    url_prefix = "standards/verifications"
    icon = "doc-full"
    menu_label = gettext_lazy("Registrations to check")
    menu_order = 3
    menu_hook = contributions.menu_hook("standards")
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        TitleColumn("enterprise", label=gettext_lazy("enterprise"), url_name="standards_verifications:review"),
        "username",
        "organisation",
        Column("status", label=gettext_lazy("status"), accessor="get_status_display"),
        DateColumn("created_at", label=gettext_lazy("submitted")),
    ]
    list_filter = ["status"]
    search_fields = ["enterprise__name", "enterprise__uscc", "username"]
    form_fields = ["status"]  # never edited here (ReadOnlyPolicy): decisions go through the review view

    def get_queryset(self, request):
        return EnterpriseVerification.objects.select_related("enterprise", "organisation")

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("review/<int:pk>/", VerificationReviewView.as_view(), name="review")]
