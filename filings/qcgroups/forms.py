"""Portal forms of filing units: registration, profile, yearly counts, filings and import."""

import re

from captcha.fields import CaptchaField
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry import workflows
from registry.forms import LabelledCaptchaInput
from registry.imports import WORKBOOK_ACCEPT, check_workbook_upload
from registry.models import Division
from registry.uploads import MB, UploadValidator
from registry.validators import validate_mobile, validate_uscc

from .importing import EARLIEST_FOUNDING, MAX_ROWS
from .models import Filing, FilingUnit, FilingUnitApprovalTask, YearlySetting, current_year, normalise_text

USERNAME_PATTERN = re.compile(r"[A-Za-z0-9]{4,16}")


def year_choices():
    this_year = current_year()
    # Translators: a year offered in a drop-down list (Chinese adds 年).
    return [(year, gettext("%(year)d") % {"year": year}) for year in range(this_year + 1, this_year - 6, -1)]


def city_choices():
    """Cities grouped by province, so the list reads without JavaScript."""
    groups = {}
    for city in Division.objects.filter(level=Division.Level.CITY).select_related("parent"):
        groups.setdefault(city.parent.name, []).append((city.code, city.name))
    return [("", _("— none (municipality or not applicable) —"))] + list(groups.items())


class UnitDetailsForm(forms.ModelForm):
    """The unit's identity: name, USCC, licence and place; checked on registration and on resubmission."""

    city = forms.ChoiceField(label=_("City"), required=False)

    class Meta:
        model = FilingUnit
        fields = ["name", "uscc", "category", "licence", "province", "city"]
        widgets = {"licence": forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = city_choices()
        self.fields["province"].queryset = Division.objects.filter(level=Division.Level.PROVINCE)
        if self.instance.city_id:
            self.initial["city"] = self.instance.city_id

    def clean_name(self):
        name = normalise_text(self.cleaned_data["name"])
        if FilingUnit.unscoped.filter(name=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This unit is already registered (one account per unit)"))
        return name

    def clean_uscc(self):
        uscc = validate_uscc(self.cleaned_data["uscc"])
        if FilingUnit.unscoped.filter(uscc=uscc).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This unified social credit code is already registered"))
        return uscc

    def clean_city(self):
        code = self.cleaned_data.get("city")
        return Division.objects.get(code=code) if code else None

    def clean(self):
        cleaned = super().clean()
        province, city = cleaned.get("province"), cleaned.get("city")
        if province is not None:
            if city is not None and city.parent_id != province.code:
                self.add_error("city", _("The city is not in the chosen province"))
            elif city is None and province.children.filter(level=Division.Level.CITY).exists():
                self.add_error("city", _("Choose the city"))
        return cleaned


class RegistrationForm(UnitDetailsForm):
    """Registration of a filing unit and its one login account."""

    agree = forms.BooleanField(
        label=_("I have read and accept the registration agreement"),
        error_messages={"required": _("You must accept the agreement to register")},
    )
    username = forms.CharField(label=_("Login name"), max_length=16, help_text=_("4-16 letters or digits."))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    contact_mobile = forms.CharField(label=_("Contact's mobile"), max_length=20)
    captcha = CaptchaField(label=_("Captcha"), widget=LabelledCaptchaInput)

    class Meta(UnitDetailsForm.Meta):
        fields = UnitDetailsForm.Meta.fields + ["contact_name", "contact_mobile", "email"]

    field_order = ["agree", "name", "uscc", "category", "licence", "username", "password1", "password2",
                   "contact_name", "contact_mobile", "province", "city", "email", "captcha"]  # fmt: skip

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not USERNAME_PATTERN.fullmatch(username):
            raise forms.ValidationError(_("The login name must be 4-16 letters or digits"))
        if get_user_model().objects.filter(Q(username__iexact=username) | Q(mobile=username)).exists():
            raise forms.ValidationError(_("This login name is taken"))
        return username

    def clean_contact_mobile(self):
        return validate_mobile(self.cleaned_data["contact_mobile"])

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ"))
        elif password1:
            probe = get_user_model()(username=cleaned.get("username") or "", email=cleaned.get("email") or "")
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        User = get_user_model()
        account = User(
            username=self.cleaned_data["username"],
            email=self.cleaned_data["email"],
            kind=User.Kind.ENTERPRISE,
            real_name=self.cleaned_data["contact_name"],
        )
        account.set_password(self.cleaned_data["password1"])
        account.save()
        unit = super().save(commit=False)
        unit.account = account
        unit.live = False  # until the secretariat approves it
        unit.save()
        workflows.submit(unit, account, FilingUnitApprovalTask.workflow())
        return unit


class ResubmissionForm(UnitDetailsForm):
    """A rejected unit corrects its identity and sends it back for review."""

    @transaction.atomic
    def save(self, commit=True):
        unit = super().save()
        workflows.submit(unit, unit.account, FilingUnitApprovalTask.workflow())
        return unit


class ProfileForm(forms.ModelForm):
    """What a unit may change itself; its identity changes through the secretariat."""

    contact_mobile = forms.CharField(label=_("Contact's mobile"), max_length=20)

    class Meta:
        model = FilingUnit
        fields = ["contact_name", "contact_mobile", "email"]

    def clean_contact_mobile(self):
        return validate_mobile(self.cleaned_data["contact_mobile"])

    @transaction.atomic
    def save(self, commit=True):
        unit = super().save(commit)
        workflows.keep_revision(unit, unit.account)
        unit.account.email = unit.email
        unit.account.real_name = unit.contact_name
        unit.account.save(update_fields=["email", "real_name"])
        return unit


class YearlySettingForm(forms.ModelForm):
    class Meta:
        model = YearlySetting
        fields = ["qc_group_count", "trusted_team_count"]


class FilingForm(forms.ModelForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    class Meta:
        model = Filing
        fields = ["kind", "year", "topic", "group_name", "enterprise_name", "member_count", "leader", "founded_on"]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = self.instance.unit = unit
        self.fields["year"].choices = year_choices()
        self.fields["year"].initial = current_year()

    def clean_founded_on(self):
        founded_on = self.cleaned_data["founded_on"]
        if not EARLIEST_FOUNDING <= founded_on <= timezone.localdate():
            raise forms.ValidationError(_("The founding date must lie between 1950 and today"))
        return founded_on

    def clean(self):
        cleaned = super().clean()
        topic, group_name = normalise_text(cleaned.get("topic")), normalise_text(cleaned.get("group_name"))
        if topic and group_name:
            cleaned["topic"], cleaned["group_name"] = topic, group_name
            duplicates = Filing.unscoped.filter(unit=self.unit, topic=topic, group_name=group_name)
            if duplicates.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "group_name",
                    _("This topic and group name are already on file"),
                )
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Import file (.xlsx or .xls)"),
        widget=forms.FileInput(attrs={"accept": WORKBOOK_ACCEPT}),
        validators=[UploadValidator(["xlsx", "xls"], 10 * MB, label=_("Import file (.xlsx or .xls)"))],
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["year"].initial = current_year()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_workbook_upload(upload, MAX_ROWS)
        return upload


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the unit)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=1000
    )


class ApproveForm(forms.Form):
    remarks = forms.CharField(label=_("Remarks (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
