"""Back-office forms for the organisation tree, administrators and enterprises."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import ROLE_RANK, Administrator, Division, Enterprise, Organisation, Role
from .scoping import scope_for_user
from .validators import validate_mobile


def organisations_for(user):
    prefix = scope_for_user(user)
    queryset = Organisation.objects.all()
    return queryset if prefix is None else queryset.filter(path__startswith=prefix)


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
    target = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("New parent unit"))

    def __init__(self, *args, node, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = organisations_for(user).exclude(path__startswith=node.path).order_by("path")


class AdministratorForm(WagtailAdminModelForm):
    """Create or edit an administrator: only inside the editor's subtree, never with a higher role."""

    class Meta:
        model = Administrator
        fields = ["mobile", "real_name", "gender", "education", "major", "email", "organisation", "role", "is_active"]
        fields += ["remarks"]
        labels = {"is_active": _("Enabled")}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.for_user = for_user
        for name in ("mobile", "real_name", "organisation", "role"):
            self.fields[name].required = True
        self.fields["organisation"].queryset = organisations_for(for_user).order_by("path")
        rank = for_user.role_rank
        self.fields["role"].choices = [(r.value, r.label) for r in Role if ROLE_RANK[r] <= rank]

    def clean_mobile(self):
        return validate_mobile(self.cleaned_data["mobile"])

    def clean_role(self):
        role = self.cleaned_data["role"]
        if ROLE_RANK.get(role, 0) > self.for_user.role_rank:
            raise forms.ValidationError(_("不能授予高于自己的角色 / You cannot grant a role above your own."))
        return role

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.pk == self.for_user.pk and cleaned.get("is_active") is False:
            self.add_error("is_active", _("不能禁用自己的账户 / You cannot disable your own account."))
        return cleaned

    def save(self, commit=True):
        administrator = super().save(commit=False)
        administrator.kind = Administrator.Kind.ADMINISTRATOR
        administrator.username = administrator.mobile
        if commit:
            administrator.save()
        return administrator


class LongSelect(forms.Select):
    """Django's ``<select>`` markup, written in one pass instead of a template per option.

    The national region list (3,200 divisions) and the industry classes (1,400) took a third of a second each
    through Django's option templates, and Wagtail renders an edit form's widgets twice (the page and its
    JavaScript copy): more than half a second of every enterprise page for national and provincial users.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(item) for item in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            mark = " selected" if option_value in selected else ""
            options.append(f'<option value="{escape(option_value)}"{mark}>{escape(label)}</option>')
        attrs = {**self.build_attrs(self.attrs, attrs), "name": name}
        return mark_safe(f"<select{flatatt(attrs)}>{''.join(options)}</select>")  # noqa: S308 - every value escaped


class EnterpriseForm(WagtailAdminModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "name",
            "legal_representative",
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
