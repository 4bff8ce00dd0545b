"""Applicant forms: organisation filing, project, application; reviewer forms for the admin side."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from registry.models import Division, IndustryCategory
from registry.validators import normalise, validate_mobile

from .models import (
    Application,
    AwardProgrammePage,
    EconomicYear,
    Honour,
    IntellectualProperty,
    OrganisationFiling,
    Project,
    ReviewerAssignment,
)
from .snapshot import CONTACT_FIELDS, HONOUR_FIELDS, IP_FIELDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def required_filing_years(now=None):
    """Years of economic data a filing needs: those of open programmes, else the last three full years."""
    now = now or timezone.now()
    years = set()
    for programme in AwardProgrammePage.objects.live().filter(opens_at__lte=now, closes_at__gt=now):
        years.update(programme.data_years)
    if not years:
        years = {now.year - 3, now.year - 2, now.year - 1}
    return sorted(years)


class DivisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class FilingForm(forms.ModelForm):
    region = DivisionChoiceField(
        label=_("province / city"),
        queryset=Division.objects.filter(
            Q(level=Division.Level.CITY) | Q(level=Division.Level.COUNTY, parent__level=Division.Level.PROVINCE)
        ).select_related("parent"),
    )
    industry = forms.ModelChoiceField(
        label=_("industry and code"), queryset=IndustryCategory.objects.filter(level=IndustryCategory.Level.DIVISION)
    )

    class Meta:
        model = OrganisationFiling
        fields = [
            "name",
            "economic_type",
            "region",
            "address",
            "industry",
            "quality_head",
            "quality_phone",
            "size",
            "licence_copy",
        ]

    def clean_name(self):
        return normalise(self.cleaned_data["name"])


EconomicYearFormSet = forms.inlineformset_factory(
    OrganisationFiling,
    EconomicYear,
    fields=["year", "total_assets", "revenue", "other_revenue", "profit", "tax", "employees", "proof"],
    extra=3,
    can_delete=True,
)


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["name", "keywords", "introduction", "other_attachment"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 8})}


IntellectualPropertyFormSet = forms.inlineformset_factory(
    Project,
    IntellectualProperty,
    fields=[*IP_FIELDS, "proof"],
    widgets={"granted_on": DATE_INPUT},
    extra=2,
    can_delete=True,
)
HonourFormSet = forms.inlineformset_factory(
    Project,
    Honour,
    fields=[*HONOUR_FIELDS, "proof"],
    widgets={"awarded_on": DATE_INPUT},
    extra=2,
    can_delete=True,
)


class ApplicationForm(forms.ModelForm):
    """Everything the applicant fills; a draft may be incomplete, submission checks completeness."""

    accept_pledge = forms.BooleanField(label=_("I accept the pledge"), required=False)

    class Meta:
        model = Application
        fields = ["filing", "project", *CONTACT_FIELDS, "summary_material", "recommending_unit"]

    def __init__(self, *args, programme, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["filing"].queryset = OrganisationFiling.objects.filter(enterprise=enterprise, live=True)
        self.fields["filing"].help_text = _("Only approved filings can be used.")
        self.fields["project"].queryset = Project.objects.filter(enterprise=enterprise)
        if programme.uses_recommendation:
            self.fields["recommending_unit"].queryset = programme.recommending_units.all()
        else:
            del self.fields["recommending_unit"]
        self.fields["accept_pledge"].initial = bool(self.instance.pledge_accepted_at)

    def clean_contact_mobile(self):
        mobile = self.cleaned_data["contact_mobile"]
        return validate_mobile(mobile) if mobile else mobile

    def clean_contact_postcode(self):
        postcode = normalise(self.cleaned_data["contact_postcode"])
        if postcode and not (len(postcode) == 6 and postcode.isdigit()):
            raise forms.ValidationError(_("The postcode must be 6 digits."))
        return postcode

    def clean(self):
        cleaned = super().clean()
        project = cleaned.get("project")
        if project is not None:
            others = Application.unscoped.filter(programme=self.programme, project=project).exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("project", _("This project has already applied to this programme."))
        return cleaned

    def save(self, commit=True):
        application = super().save(commit=False)
        accepted = self.cleaned_data.get("accept_pledge")
        if accepted and not application.pledge_accepted_at:
            application.pledge_accepted_at = timezone.now()
        elif not accepted:
            application.pledge_accepted_at = None
        if commit:
            application.save()
        return application


class ReviewActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AssignReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("expert"), queryset=None)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        from registry.models import User

        taken = application.assignments.values_list("reviewer_id", flat=True)
        self.fields["reviewer"].queryset = (
            User.objects.filter(is_active=True).exclude(kind=User.Kind.ENTERPRISE).exclude(pk__in=taken)
        ).order_by("real_name")


class ConflictDeclarationForm(forms.ModelForm):
    conflict = forms.ChoiceField(
        label=_("conflict of interest"),
        choices=[c for c in ReviewerAssignment.Conflict.choices if c[0] != ReviewerAssignment.Conflict.UNDECLARED],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ReviewerAssignment
        fields = ["conflict", "conflict_note"]


class ScoreSheetForm(forms.Form):
    """One number per criterion of the programme, bounded by the criterion's maximum."""

    comment = forms.CharField(label=_("overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.DecimalField(
                label=str(criterion),
                min_value=0,
                max_value=criterion.max_score,
                decimal_places=1,
                initial=(initial_scores or {}).get(criterion.pk),
                error_messages={
                    "max_value": _("The score cannot exceed %(limit_value)s."),
                    "min_value": _("The score cannot be negative."),
                    "required": format_lazy(_("Score “{name}”."), name=criterion.name),
                },
            )

    def scores(self):
        return {criterion: self.cleaned_data[f"criterion_{criterion.pk}"] for criterion in self.criteria}
