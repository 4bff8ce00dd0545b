"""Admin viewsets for the registry's own models.

Enterprises are scoped by their default manager (registry.scoping). Organisations and administrators
are not (workflows and logins must see across the tree), so their views filter the listing to the
user's subtree and :class:`SubtreeGuardMixin` turns any object outside it into a 404.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, ListingButton
from wagtail.log_actions import log
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup

from . import contributions
from .admin_forms import (
    AdministratorForm,
    EnterpriseAccountForm,
    EnterpriseForm,
    MoveOrganisationForm,
    OrganisationForm,
    UnitFilter,
    organisations_for,
    units_for_request,
)
from .models import (
    ROLE_RANK,
    Administrator,
    Division,
    EconomicType,
    EducationLevel,
    Enterprise,
    EnterpriseAccount,
    EnterpriseSize,
    IndustryCategory,
    Organisation,
)
from .params import query_id
from .reports import PASSWORD_RESET_ACTION
from .scoping import scope_for_user
from .validators import normalise


def in_subtree(user, organisation):
    prefix = scope_for_user(user)
    return prefix is None or (organisation is not None and organisation.path.startswith(prefix))


class SubtreeGuardMixin:
    """Any view that loads one object answers 404 when it lies outside the user's subtree."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not in_subtree(self.request.user, self.organisation_of(obj)):
            raise Http404
        return obj

    @staticmethod
    def organisation_of(obj):
        return obj if isinstance(obj, Organisation) else obj.organisation


class DrillDownColumn(Column):
    cell_template_name = "registry/tables/drilldown_cell.html"


def guarded(view_class, guard=SubtreeGuardMixin):
    return type(view_class.__name__, (guard, view_class), {})


# --- Organisation tree -------------------------------------------------------------------------


class OrganisationIndexView(generic.IndexView):
    """One level of the tree at a time: the children of ``?parent=`` (default: the user's unit)."""

    search_fields = ["name"]
    default_ordering = "path"

    @property
    def parent(self):
        user = self.request.user
        parent_id = query_id(self.request, "parent")
        if parent_id:
            parent = get_object_or_404(Organisation, pk=parent_id)
            if not in_subtree(user, parent):
                raise Http404
            return parent
        return user.organisation if not user.is_superuser else None

    def get_base_queryset(self):
        parent = self.parent
        if self.is_searching:
            return organisations_for(self.request.user).select_related("division")
        if parent is None:
            return Organisation.get_root_nodes()
        return Organisation.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)

    def get_table(self, object_list):
        """Search results name each unit by its path: two 桥西区市场监督管理局 are told apart."""
        if self.is_searching:
            labels = Organisation.path_labels(object_list)
            for unit in object_list:
                unit.where = labels[unit.pk]
        return super().get_table(object_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parent = self.parent
        context["parent"] = parent
        context["ancestors"] = [
            node for node in (parent.get_ancestors() if parent else []) if in_subtree(self.request.user, node)
        ]
        return context

    @property
    def columns(self):
        return [
            TitleColumn(
                "where" if self.is_searching else "name", label=gettext_lazy("Name"), url_name=self.edit_url_name
            ),
            Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display"),
            Column("function", label=gettext_lazy("Function"), accessor="get_function_display"),
            DrillDownColumn("numchild", label=gettext_lazy("Sub-units")),
        ]


class OrganisationCreateView(generic.CreateView):
    def get_parent(self):
        parent_id = query_id(self.request, "parent") or self.request.user.organisation_id
        parent = get_object_or_404(Organisation, pk=parent_id)
        if not in_subtree(self.request.user, parent):
            raise Http404
        return parent

    def save_instance(self):
        return self.get_parent().add_child(instance=self.form.instance)

    def get_add_url(self):
        return f"{super().get_add_url()}?parent={self.get_parent().pk}"


class OrganisationDeleteView(guarded(generic.DeleteView)):
    """Refuse to delete a unit whose subtree still holds people or records, saying what blocks it."""

    def blocked_reason(self):
        if self.object == self.request.user.organisation:
            return _("You cannot delete your own unit.")
        blockers = self.object.deletion_blockers()
        if blockers:
            return _("This unit cannot be deleted while it or its sub-units hold: %(what)s") % {
                "what": "、".join(str(b) for b in blockers)
            }
        return None

    def get(self, request, *args, **kwargs):
        reason = self.blocked_reason()
        if reason:
            messages.error(request, reason)
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        reason = self.blocked_reason()
        if reason:
            messages.error(request, reason)
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        parent = self.object.get_parent()
        url = reverse(self.index_url_name)
        return f"{url}?parent={parent.pk}" if parent and in_subtree(self.request.user, parent) else url


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = gettext_lazy("Organisations")
    menu_order = 1
    menu_hook = contributions.menu_hook("registry")
    url_prefix = "organisations"
    name = "organisations"
    index_view_class = OrganisationIndexView
    add_view_class = OrganisationCreateView
    edit_view_class = guarded(generic.EditView)
    delete_view_class = OrganisationDeleteView
    history_view_class = guarded(generic.HistoryView)
    usage_view_class = guarded(generic.UsageView)
    inspect_view_enabled = False
    copy_view_enabled = False
    index_template_name = "registry/organisation_index.html"

    def get_form_class(self, for_update=False):
        return OrganisationForm

    def move_view(self, request, pk):
        node = get_object_or_404(Organisation, pk=pk)
        if not in_subtree(request.user, node) or node == request.user.organisation:
            raise Http404
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise Http404
        form = MoveOrganisationForm(request.POST or None, node=node, user=request.user)
        if request.method == "POST" and form.is_valid():
            target = form.cleaned_data["target"]
            node.move(target, "last-child")
            messages.success(request, _("Moved under %(target)s") % {"target": target.path_label})
            return redirect(f"{reverse(self.get_url_name('index'))}?parent={target.pk}")
        return TemplateResponse(
            request, "registry/organisation_move.html", {"form": form, "node": node, "header_icon": self.icon}
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("move/<int:pk>/", self.move_view, name="move")]


# --- Administrators ----------------------------------------------------------------------------


class AdministratorFilterSet(WagtailFilterSet):
    organisation = UnitFilter(label=gettext_lazy("Organisation"), queryset=units_for_request)

    class Meta:
        model = Administrator
        fields = ["role", "is_active"]


def manageable(user, queryset):
    """The administrators ``user`` may open: inside the subtree and not above their own role (User.can_manage)."""
    prefix = scope_for_user(user)
    if prefix is not None:
        queryset = queryset.filter(organisation__path__startswith=prefix)
    if not user.is_superuser:
        queryset = queryset.filter(role__in=[role for role, rank in ROLE_RANK.items() if rank <= user.role_rank])
    return queryset


class AdministratorIndexView(generic.IndexView):
    """Only accounts the user can open are listed (a row that answers 404 when clicked is a broken promise)."""

    search_fields = ["real_name", "mobile", "organisation__name"]
    filterset_class = AdministratorFilterSet

    def get_base_queryset(self):
        return manageable(self.request.user, Administrator.objects.select_related("organisation"))

    def get_list_more_buttons(self, instance):
        return [
            ListingButton(
                _("Reset password"),
                url=reverse("administrators:reset_password", args=[instance.pk]),
                icon_name="key",
                priority=5,
            ),
            *super().get_list_more_buttons(instance),
        ]

    @property
    def columns(self):
        from .officers.viewsets import ContactColumn

        return [
            self._get_title_column("real_name"),  # with the row's buttons (reset password, edit, delete)
            ContactColumn("mobile", label=gettext_lazy("Mobile")),
            Column("organisation", label=gettext_lazy("Organisation")),
            Column("role", label=gettext_lazy("Role"), accessor="get_role_display"),
            Column("is_active", label=gettext_lazy("Enabled")),
        ]


class ManageGuardMixin(SubtreeGuardMixin):
    """Editing, deleting or resetting needs rank too: nobody touches an administrator above them."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.request.user.can_manage(obj):
            raise Http404
        return obj


def one_time_password_response(request, administrator, password, *, created):
    """The one-time password, on this response only: never stored, never in a message cookie."""
    response = TemplateResponse(
        request,
        "registry/administrator_password.html",
        {"administrator": administrator, "password": password, "created": created},
    )
    add_never_cache_headers(response)
    return response


class AdministratorCreateView(generic.CreateView):
    def save_instance(self):
        administrator = self.form.save(commit=False)
        self.one_time_password = administrator.issue_one_time_password()
        administrator.save()
        self.form.save_m2m()
        log(administrator, "wagtail.create", user=self.request.user)
        return administrator

    def save_action(self):
        return one_time_password_response(self.request, self.object, self.one_time_password, created=True)


class AdministratorEditView(ManageGuardMixin, generic.EditView):
    @cached_property
    def header_more_buttons(self):
        return [
            Button(
                _("Reset password"),
                url=reverse("administrators:reset_password", args=[self.object.pk]),
                icon_name="key",
                priority=5,
            ),
            *super().header_more_buttons,
        ]


class AdministratorDeleteView(ManageGuardMixin, generic.DeleteView):
    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj == self.request.user:
            raise Http404
        return obj


class AdministratorViewSet(ModelViewSet):
    model = Administrator
    icon = "user"
    menu_label = gettext_lazy("Administrators")
    menu_order = 2
    menu_hook = contributions.menu_hook("registry")
    url_prefix = "administrators"
    name = "administrators"
    index_view_class = AdministratorIndexView
    add_view_class = AdministratorCreateView
    edit_view_class = AdministratorEditView
    delete_view_class = AdministratorDeleteView
    history_view_class = guarded(generic.HistoryView)
    usage_view_class = guarded(generic.UsageView)
    inspect_view_enabled = False
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return AdministratorForm

    def reset_password_view(self, request, pk):
        """Issue a new one-time password (POST only) and show it once."""
        administrator = get_object_or_404(manageable(request.user, Administrator.objects.all()), pk=pk)
        if not request.user.can_manage(administrator):
            raise Http404
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise Http404
        if request.method == "POST":
            password = administrator.issue_one_time_password()
            administrator.save()
            log(administrator, PASSWORD_RESET_ACTION, user=request.user)
            return one_time_password_response(request, administrator, password, created=False)
        return TemplateResponse(request, "registry/administrator_reset_password.html", {"administrator": administrator})

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("reset-password/<int:pk>/", self.reset_password_view, name="reset_password")
        ]


# --- Enterprises -------------------------------------------------------------------------------


class EnterpriseFilterSet(WagtailFilterSet):
    organisation = UnitFilter(label=gettext_lazy("Supervising bureau"), queryset=units_for_request)
    size = django_filters.ChoiceFilter(label=gettext_lazy("enterprise size"), choices=EnterpriseSize.choices)

    class Meta:
        model = Enterprise
        fields = []


class EnterpriseSearchForm(BaseFilterForm):
    """The chooser's search (Wagtail's needs a search index the registry does not keep): part of the name, or the
    start of the USCC as typed with spaces or full-width characters."""

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Enterprise name or unified social credit code")}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(Q(name__icontains=query) | Q(uscc__startswith=normalise(query)))
            self.is_searching, self.search_query = True, query
        return objects


class EnterpriseChooserViewSet(SnippetChooserViewSet):
    choose_view_class = type("EnterpriseChooseView", (ChooseView,), {"filter_form_class": EnterpriseSearchForm})
    choose_results_view_class = type(
        "EnterpriseChooseResultsView", (ChooseResultsView,), {"filter_form_class": EnterpriseSearchForm}
    )


class EnterpriseViewSet(SnippetViewSet):
    model = Enterprise
    chooser_viewset_class = EnterpriseChooserViewSet
    icon = "site"
    menu_label = gettext_lazy("Enterprises")
    menu_order = 3
    menu_hook = contributions.menu_hook("registry")
    url_prefix = "enterprises"
    list_display = ["name", "uscc", "region", "industry", "size"]
    filterset_class = EnterpriseFilterSet
    search_fields = ["name", "uscc"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "uscc",
        "name",
        "legal_representative",
        "registered_address",
        "region",
        "organisation",
        "industry",
        "economic_types",
        "employees",
        "revenue",
        "assets",
        "size",
    ]

    def get_form_class(self, for_update=False):
        return EnterpriseForm

    def get_queryset(self, request):
        return Enterprise.objects.select_related("region", "industry")


# --- Enterprise accounts: the bureau keeps their contact and mobile (seed 002 FAQ 10) ---------------------------


def enterprise_accounts(user):
    """The enterprise accounts of the enterprises in ``user``'s subtree."""
    queryset = EnterpriseAccount.objects.select_related("enterprise")
    prefix = scope_for_user(user)
    return queryset if prefix is None else queryset.filter(enterprise__organisation__path__startswith=prefix)


class EnterpriseAccountGuardMixin(SubtreeGuardMixin):
    @staticmethod
    def organisation_of(obj):
        return obj.enterprise.organisation if obj.enterprise_id else None


class EnterpriseAccountIndexView(generic.IndexView):
    search_fields = ["username", "real_name", "mobile", "enterprise__name", "enterprise__uscc"]

    def get_base_queryset(self):
        return enterprise_accounts(self.request.user)

    @property
    def columns(self):
        from .officers.viewsets import ContactColumn

        return [
            self._get_title_column("username"),
            Column("enterprise", label=gettext_lazy("Enterprise")),
            Column("real_name", label=gettext_lazy("Contact name")),
            ContactColumn("mobile", label=gettext_lazy("Mobile")),
            Column("is_active", label=gettext_lazy("Enabled")),
        ]


class EnterpriseAccountViewSet(ModelViewSet):
    """Edits land in the record's history (the audit log) like every admin edit; no accounts are made here."""

    model = EnterpriseAccount
    icon = "user"
    menu_label = gettext_lazy("Enterprise accounts")
    menu_order = 6
    menu_hook = contributions.menu_hook("registry")
    url_prefix = "enterprise-accounts"
    name = "enterprise_accounts"
    index_view_class = EnterpriseAccountIndexView
    edit_view_class = guarded(generic.EditView, EnterpriseAccountGuardMixin)
    delete_view_class = guarded(generic.DeleteView, EnterpriseAccountGuardMixin)
    history_view_class = guarded(generic.HistoryView, EnterpriseAccountGuardMixin)
    usage_view_class = guarded(generic.UsageView, EnterpriseAccountGuardMixin)
    inspect_view_enabled = False
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return EnterpriseAccountForm


# --- Reference data (read-only, wagtail-modeladmin) --------------------------------------------


class ReadOnlyPermissionHelper(PermissionHelper):
    """Reference tables come from the shipped, verified files: nobody edits them in the admin."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class ReferenceAdmin(ModelAdmin):
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True
    list_per_page = 50


class DivisionAdmin(ReferenceAdmin):
    model = Division
    menu_icon = "site"
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


class IndustryCategoryAdmin(ReferenceAdmin):
    model = IndustryCategory
    menu_icon = "list-ul"
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


class EconomicTypeAdmin(ReferenceAdmin):
    model = EconomicType
    menu_icon = "tag"
    list_display = ["code", "name", "order"]


class EducationLevelAdmin(ReferenceAdmin):
    model = EducationLevel
    menu_icon = "tag"
    list_display = ["code", "name", "order"]


class ReferenceDataGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Reference data")
    menu_icon = "folder-open-inverse"
    add_to_settings_menu = True
    items = [DivisionAdmin, IndustryCategoryAdmin, EconomicTypeAdmin, EducationLevelAdmin]
