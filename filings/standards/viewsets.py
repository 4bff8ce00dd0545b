"""Admin: regulators read the disclosures in their subtree; platform administrators keep the catalogue."""

import csv
import io

import openpyxl
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from registry import contributions
from registry.models import Role
from registry.reports import AuditedExportMixin
from registry.uploads import check_xlsx

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
    menu_order = 1
    menu_hook = contributions.menu_hook("standards")
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
        label=gettext_lazy("Catalogue file (.xlsx or .csv)"),
        help_text=gettext_lazy(
            "Columns: 类型 (国家标准/行业标准/地方标准), 标准编号, 标准名称; first row is the heading."
        ),
    )


KIND_BY_LABEL = {
    "国家标准": StandardKind.NATIONAL,
    "行业标准": StandardKind.INDUSTRY,
    "地方标准": StandardKind.LOCAL,
    **{kind.value: kind.value for kind in StandardKind if kind != StandardKind.ENTERPRISE},
}


#: The national, industry and local catalogues together hold well under this many standards.
CATALOGUE_MAX_ROWS = 200_000


def read_rows(upload):
    """Rows of an .xlsx (checked by its ZIP magic, then for bombs) or UTF-8 .csv file, heading skipped."""
    head = upload.read(4)
    upload.seek(0)
    if head == b"PK\x03\x04":
        check_xlsx(upload, max_rows=CATALOGUE_MAX_ROWS)
        sheet = openpyxl.load_workbook(upload, read_only=True, data_only=True).active
        rows = [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    elif upload.name.lower().endswith(".csv"):
        rows = [[v.strip() for v in row] for row in csv.reader(io.StringIO(upload.read().decode("utf-8-sig")))]
    else:
        raise ValidationError(_("仅支持 .xlsx 或 .csv 文件 / Only .xlsx or .csv files are accepted"))
    return rows[1:]


def parse_catalogue(rows):
    """(entries, errors): every bad row is reported by row and column; nothing is written on errors."""
    entries, errors, seen = [], [], set()
    for row_number, row in enumerate(rows, start=2):
        if not any(row):
            continue
        kind_label, number, name = (list(row) + ["", "", ""])[:3]
        kind = KIND_BY_LABEL.get(kind_label)
        number = tidy_number(number)
        if kind is None:
            errors.append(
                _("第%(row)d行A列“类型”无效：%(value)s / Row %(row)d, column A (kind) is invalid: %(value)s")
                % {"row": row_number, "value": kind_label}
            )
        if not number:
            errors.append(_("第%(row)d行B列缺少标准编号 / Row %(row)d, column B: number missing") % {"row": row_number})
        elif number in seen:
            errors.append(
                _("第%(row)d行B列标准编号重复：%(value)s / Row %(row)d, column B: duplicate number %(value)s")
                % {"row": row_number, "value": number}
            )
        if not name:
            errors.append(_("第%(row)d行C列缺少标准名称 / Row %(row)d, column C: name missing") % {"row": row_number})
        seen.add(number)
        entries.append((kind, number, name))
    return entries, errors


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


class CatalogueStandardViewSet(SnippetViewSet):
    model = CatalogueStandard
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
            try:
                entries, errors = parse_catalogue(read_rows(form.cleaned_data["file"]))
            except ValidationError as error:
                errors = error.messages
            if not errors:
                created, updated = import_catalogue(entries)
                messages.success(
                    request,
                    _("已导入：新增%(created)d条，更新%(updated)d条 / Imported: %(created)d new, %(updated)d updated")
                    % {"created": created, "updated": updated},
                )
                return redirect(self.get_url_name("list"))
        return TemplateResponse(
            request, "standards/catalogue_import.html", {"form": form, "errors": errors, "view": self}
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("import/", self.import_view, name="import")]
