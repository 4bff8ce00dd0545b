"""Back-office forms for the organisation tree, administrators and enterprises."""

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import (
    LOWEST_ROLE,
    ROLE_RANK,
    Administrator,
    Division,
    Enterprise,
    EnterpriseAccount,
    Organisation,
    Role,
    fitting_roles,
)
from .scoping import scope_for_user, subtree_filter
from .validators import validate_mobile


def organisations_for(user):
    prefix = scope_for_user(user)
    queryset = Organisation.objects.all()
    return queryset if prefix is None else queryset.filter(path__startswith=prefix)


class LongSelect(forms.Select):
    """Django's ``<select>`` markup, written in one pass instead of a template per option.

    The national region list (3,200 divisions) and the industry classes (1,400) took a third of a second each
    through Django's option templates, and Wagtail renders an edit form's widgets twice (the page and its
    JavaScript copy): more than half a second of every enterprise page for national and provincial users.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(item) for item in self.format_value(value)}
        attrs = {**self.build_attrs(self.attrs, attrs), "name": name}
        return mark_safe(f"<select{flatatt(attrs)}>{self.options_markup(selected)}</select>")  # noqa: S308 - escaped

    def options_markup(self, selected):
        """The ``<option>`` tags, those whose value is in ``selected`` (strings) selected."""
        return "".join(option_tag(value, label, option_value(value) in selected) for value, label in self.choices)


def option_value(value):
    return "" if value is None else str(value)


def option_tag(value, label, selected=False):
    """An ``<option>`` with its value and label escaped."""
    value = option_value(value)
    return f'<option value="{escape(value)}"{" selected" if selected else ""}>{escape(label)}</option>'


def with_selected(options, selected):
    """``options`` (markup written by :func:`option_tag`, none selected) with the options of ``selected`` selected."""
    for value in selected:
        tag = f'<option value="{escape(value)}">'
        options = options.replace(tag, f"{tag[:-1]} selected>", 1)
    return options


class SearchableSelect(LongSelect):
    """A long ``<select>`` with a box above it that narrows the options to those holding every word typed."""

    search_placeholder = _("Type to narrow the list")

    class Media:
        js = ["registry/searchable_select.js"]

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        search = flatatt(
            {
                "type": "search",
                "class": "cqo-select-search",
                "data-select-search": self.build_attrs(self.attrs, attrs).get("id", ""),
                "placeholder": self.search_placeholder,
                "aria-label": self.search_placeholder,
                "autocomplete": "off",
                "style": "width: 100%; box-sizing: border-box; margin-bottom: 0.5rem",
            }
        )
        return mark_safe(f"<input{search}>{select}")  # noqa: S308 - flatatt and the select escape every value


class UnitSelect(SearchableSelect):
    search_placeholder = _("Type to find a unit")


class UnitChoiceIterator(ModelChoiceIterator):
    """Options labelled with the unit's path (Organisation.row_labels): two queries however many units, and plain
    values rather than a model instance per unit (the national bureau's filter lists thousands)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        key = self.field.to_field_name or "pk"
        rows = list(self.queryset.values_list("pk", "path", "name", "division__name", key))
        labels = Organisation.row_labels(row[:4] for row in rows)
        for pk, *_unit, value in rows:
            yield (ModelChoiceIteratorValue(value, pk), labels[pk])


class UnitChoiceField(forms.ModelChoiceField):
    """The one way to choose an organisation in the admin: options in tree order, labelled with their path,
    searchable ("河北省 / 石家庄市 / 桥西区市场监督管理局" and "河北省 / 张家口市 / 桥西区市场监督管理局")."""

    iterator = UnitChoiceIterator
    widget = UnitSelect

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset=Organisation.objects.none() if queryset is None else queryset, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset.select_related("division").order_by("path"))

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj):
        return obj.path_label


class UnitFilter(django_filters.ModelChoiceFilter):
    """Records of the chosen unit's whole subtree (``field_name``: the path to the record's organisation)."""

    field_class = UnitChoiceField

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(**{f"{self.field_name}__in": subtree_filter(value.path)})


def units_for_request(request):
    """The units a listing's unit filter offers: the user's subtree (every unit for a filter set built in code)."""
    return Organisation.objects.all() if request is None else organisations_for(request.user)


class OrganisationForm(WagtailAdminModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "function", "contact_phone", "address"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        # A function works for the whole platform: only its operators hand one out.
        if for_user is None or for_user.role_rank < ROLE_RANK[Role.PLATFORM]:
            self.fields["function"].disabled = True

    def clean_function(self):
        function = self.cleaned_data["function"]
        holder = Organisation.objects.holding(function) if function else None
        if holder is not None and holder.pk != self.instance.pk:
            raise forms.ValidationError(
                _("“%(organisation)s” already has this function: clear it there first.") % {"organisation": holder}
            )
        return function


class MoveOrganisationForm(forms.Form):
    target = UnitChoiceField(label=_("New parent unit"))

    def __init__(self, *args, node, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = organisations_for(user).exclude(path__startswith=node.path)


class AdministratorForm(WagtailAdminModelForm):
    """Create or edit an administrator: inside the editor's subtree, in a role that fits the unit and is not
    above the editor's own, so that the editor can always open the account afterwards."""

    class Meta:
        model = Administrator
        fields = ["mobile", "real_name", "gender", "education", "major", "email", "organisation", "role", "is_active"]
        fields += ["remarks"]
        labels = {"is_active": _("Enabled")}
        field_classes = {"organisation": UnitChoiceField}
        help_texts = {
            "role": _(
                "A provincial administrator belongs to a province's unit, the national bureau's and the platform "
                "operator's administrators to theirs; an institution administrator fits every unit."
            )
        }

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.for_user = for_user
        for name in ("mobile", "real_name", "organisation", "role"):
            self.fields[name].required = True
        self.fields["organisation"].queryset = organisations_for(for_user)
        rank = for_user.role_rank
        self.fields["role"].choices = [(r.value, r.label) for r in Role if ROLE_RANK[r] <= rank]
        if not self.instance.pk:
            self.fields["role"].initial = LOWEST_ROLE

    def clean_mobile(self):
        return validate_mobile(self.cleaned_data["mobile"])

    def clean_role(self):
        role = self.cleaned_data["role"]
        if ROLE_RANK.get(role, 0) > self.for_user.role_rank:
            raise forms.ValidationError(_("You cannot grant a role above your own."))
        return role

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.pk == self.for_user.pk and cleaned.get("is_active") is False:
            self.add_error("is_active", _("You cannot disable your own account."))
        organisation, role = cleaned.get("organisation"), cleaned.get("role")
        if organisation and role and role not in fitting_roles(organisation):
            fitting = fitting_roles(organisation)
            grantable = [r for r in Role if r in fitting and ROLE_RANK[r] <= self.for_user.role_rank]
            self.add_error(
                "role",
                _("A %(role)s cannot belong to %(unit)s: choose %(fitting)s.")
                % {
                    "role": Role(role).label,
                    "unit": organisation.name,
                    "fitting": _(" or ").join(str(r.label) for r in grantable),
                },
            )
        return cleaned

    def save(self, commit=True):
        administrator = super().save(commit=False)
        administrator.kind = Administrator.Kind.ADMINISTRATOR
        administrator.username = administrator.mobile
        if commit:
            administrator.save()
        return administrator


class EnterpriseAccountForm(WagtailAdminModelForm):
    """What a bureau maintains of an enterprise account: the contact and the mobile that receives its codes."""

    # Longer than the stored 11 digits: people type spaces, dashes and +86, which clean_mobile removes.
    mobile = forms.CharField(label=_("Mobile"), max_length=20)

    class Meta:
        model = EnterpriseAccount
        fields = ["real_name", "mobile", "email", "is_active"]
        labels = {"real_name": _("Contact name"), "is_active": _("Enabled")}

    def clean_mobile(self):
        mobile = validate_mobile(self.cleaned_data["mobile"])
        if EnterpriseAccount._base_manager.filter(mobile=mobile).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This mobile number belongs to another account."))
        return mobile


class EnterpriseForm(WagtailAdminModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "name",
            "legal_representative",
            "legal_representative_document_type",
            "legal_representative_id_number",
            "registered_address",
            "region",
            "industry",
            "economic_types",
            "employees",
            "revenue",
            "assets",
            "size",
        ]
        widgets = {"economic_types": forms.CheckboxSelectMultiple, "region": LongSelect, "industry": LongSelect}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        regions = Division.objects.filter(organisation__isnull=False).select_related("parent__parent").order_by("code")
        prefix = scope_for_user(for_user) if for_user else None
        if prefix is not None:
            regions = regions.filter(organisation__path__startswith=prefix)
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = lambda division: f"{division.code} {division.full_name}"
