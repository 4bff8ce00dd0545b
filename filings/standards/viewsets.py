"""Admin: regulators read the disclosures in their subtree; platform administrators keep the catalogue."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from registry import imports
from registry.imports import WORKBOOK_ACCEPT, SheetImport, WorkbookError, cell_text
from registry.models import Role
from registry.reports import AuditedExportMixin

from .models import CatalogueStandard, DisclosedStandard, StandardKind
from .models.catalogue import tidy_number

WRITE_ACTIONS = {"add", "change", "delete", "publish", "lock", "unlock"}


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Disclosures are the enterprises' own declarations: regulators inspect and export, never edit."""

    def user_has_permission(self, user, action):
        return action not in WRITE_ACTIONS and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class DisclosedStandardIndexView(AuditedExportMixin, IndexView):
    """Regulators' exports of the disclosures land in the audit log like every other export."""


class DisclosedStandardViewSet(SnippetViewSet):
    model = DisclosedStandard
    index_view_class = DisclosedStandardIndexView
    icon = "doc-full"
    menu_label = gettext_lazy("Disclosed standards")
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "standards/disclosed"
    list_display = [
        "number",
        "name",
        "enterprise_name",
        "kind",
        "status",
        "published_at",
        Column("abolished_at", label=gettext_lazy("abolished")),
    ]
    list_filter = ["kind", "status", "published_at", "abolished_at"]
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
        "status",
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
        "pledge",
    ]

    def get_queryset(self, request):
        return DisclosedStandard.objects.select_related("region").prefetch_related("products")


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Catalogue file (.xlsx, .xls or .csv)"),
        help_text=gettext_lazy(
            "Columns: 类型 (国家标准/行业标准/地方标准), 标准编号, 标准名称; first row is the heading."
        ),
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
    menu_order = 261
    add_to_admin_menu = True
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
