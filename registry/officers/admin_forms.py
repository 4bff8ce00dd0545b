"""The officer's admin form with the seed 000 form's company fields (issue 23 item 4): 单位名称, 信用代码, 规模, 行业,
性质. The enterprise is the one of that USCC when the registry holds it (within the administrator's subtree), else
a new record placed in the region its USCC names; choosing it in the enterprise chooser works as before."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, extract_panel_definitions_from_model_class

from ..admin_forms import LongSelect
from ..models import EconomicType, Enterprise, EnterpriseSize, IndustryCategory, Organisation, region_from_uscc
from ..scoping import ScopedAdminForm, scope_for_user
from ..validators import validate_uscc

COMPANY_FIELDS = ["company_name", "company_uscc", "company_size", "company_industry", "company_natures"]


class OfficerAdminForm(ScopedAdminForm):
    company_name = forms.CharField(label=_("Company name"), max_length=200, required=False)
    company_uscc = forms.CharField(label=_("Unified social credit code"), max_length=40, required=False)
    company_size = forms.ChoiceField(
        label=_("enterprise size"), choices=[("", "---------"), *EnterpriseSize.choices], required=False
    )
    company_industry = forms.ModelChoiceField(
        label=_("industry"), queryset=IndustryCategory.objects.filter(level="class"), required=False, widget=LongSelect
    )
    company_natures = forms.ModelMultipleChoiceField(
        label=_("enterprise nature"),
        queryset=EconomicType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.for_user = for_user
        self.new_enterprise = None
        self.fields["enterprise"].required = False
        self.fields["enterprise"].help_text = _("Choose the enterprise, or fill in the company fields below.")
        enterprise = self.instance.enterprise if self.instance.enterprise_id else None
        if enterprise is not None:
            self.initial.update(
                company_name=enterprise.name,
                company_uscc=enterprise.uscc,
                company_size=enterprise.size,
                company_industry=enterprise.industry_id,
                company_natures=list(enterprise.economic_types.values_list("pk", flat=True)),
            )

    def clean_company_uscc(self):
        code = self.cleaned_data["company_uscc"]
        return validate_uscc(code) if code.strip() else ""

    def clean(self):
        cleaned = super().clean()
        uscc, chosen = cleaned.get("company_uscc"), cleaned.get("enterprise")
        if "company_uscc" in self.errors or (chosen is not None and (not uscc or uscc == chosen.uscc)):
            return cleaned
        if not uscc:
            self.add_error("enterprise", _("Choose the enterprise, or enter its unified social credit code below."))
            return cleaned
        prefix = scope_for_user(self.for_user) if self.for_user else None
        enterprise = Enterprise.unscoped.filter(uscc=uscc).select_related("organisation").first()
        if enterprise is not None:
            if prefix is not None and not enterprise.organisation.path.startswith(prefix):
                self.add_error("company_uscc", _("This enterprise is registered outside your organisation's area."))
            else:
                cleaned["enterprise"] = enterprise
            return cleaned
        self.new_enterprise = self.enterprise_from(cleaned, uscc, prefix)
        return cleaned

    def enterprise_from(self, cleaned, uscc, prefix):
        """A new enterprise from the company fields, or ``None`` with the reason on its field."""
        if not cleaned.get("company_name", "").strip():
            self.add_error("company_name", _("The company is new to the registry: enter its name."))
            return None
        region = region_from_uscc(uscc)
        bureau = Organisation.objects.filter(division=region).first() if region else None
        if region is None or (prefix is not None and not (bureau and bureau.path.startswith(prefix))):
            self.add_error(
                "company_uscc",
                _("The region this code was registered in has no bureau in your organisation's area: check the code."),
            )
            return None
        return Enterprise(
            uscc=uscc,
            name=cleaned["company_name"].strip(),
            region=region,
            size=cleaned.get("company_size") or "",
            industry=cleaned.get("company_industry"),
        )

    def save(self, commit=True):
        if self.new_enterprise is not None:
            self.new_enterprise.save()
            self.new_enterprise.economic_types.set(self.cleaned_data.get("company_natures") or [])
            self.instance.enterprise = self.new_enterprise
        return super().save(commit)


def officer_edit_handler(model):
    """The model's own panels, with the company fields grouped right after the enterprise chooser."""
    panels = []
    for panel in extract_panel_definitions_from_model_class(model):
        panels.append(panel)
        if getattr(panel, "field_name", None) == "enterprise":
            panels.append(MultiFieldPanel([FieldPanel(name) for name in COMPANY_FIELDS], heading=_("Company")))
    return ObjectList(panels, base_form_class=OfficerAdminForm).bind_to_model(model)
