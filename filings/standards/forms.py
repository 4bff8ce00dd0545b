"""Forms of enterprise accounts (registration, recovery, account page) and of standard disclosure."""

import re

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from registry.crypto import keyed_hash
from registry.identity import DocumentType, validate_document
from registry.models import Organisation, SMSCode, User
from registry.sms_codes import SMSCodeMixin
from registry.uploads import MB, SCANS, UploadValidator
from registry.validators import normalise, validate_mobile, validate_resident_id, validate_uscc

from . import services
from .kept_uploads import KeptFileInput
from .models import (
    CatalogueStandard,
    DisclosedStandard,
    Indicator,
    IndicatorCategory,
    Product,
    ProductCategory,
    StandardKind,
)
from .models.catalogue import tidy_number

USERNAME_RE = re.compile(r"[A-Za-z0-9_]{6,20}")


class EnterpriseDetailsForm(forms.Form):
    """The five registry fields; valid only when they match the registry record (seed 002 §2.1)."""

    code = forms.CharField(label=_("Unified social credit code (organisation code)"), max_length=40)
    name = forms.CharField(label=_("Enterprise name"), max_length=200)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=64)
    legal_representative_document_type = forms.ChoiceField(
        label=_("Legal representative's ID document"), choices=DocumentType.choices, required=False
    )
    legal_representative_id_number = forms.CharField(label=_("Legal representative's ID number"), max_length=40)
    registered_address = forms.CharField(label=_("Registered address"), max_length=255)

    enterprise = None
    #: The details the registry lacks, which the bureau checks against uploaded documents instead.
    unrecorded = ()

    def clean_legal_representative_id_number(self):
        kind = self.cleaned_data.get("legal_representative_document_type") or DocumentType.RESIDENT_ID
        return validate_document(kind, self.cleaned_data["legal_representative_id_number"])

    def clean_code(self):
        """A mistyped code is told apart from one the registry lacks (issue 21): it is checked first."""
        code = normalise(self.cleaned_data["code"]).replace("-", "")
        if len(code) == 9 and code.isalnum() and code.isascii():  # the old organisation code
            return code
        return validate_uscc(code)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.enterprise, errors = services.match_enterprise(cleaned)
        for field, message in errors.items():
            self.add_error(field, message)
        if self.enterprise is not None:
            self.unrecorded = services.unrecorded_fields(self.enterprise)
        return cleaned

    def claim(self):
        """The details as typed, which a bureau's check of the documents turns into the registry's."""
        data = self.cleaned_data
        return {
            "legal_representative": data["legal_representative"].strip(),
            "legal_representative_document_type": data["legal_representative_document_type"]
            or DocumentType.RESIDENT_ID,
            "legal_representative_id_number": data["legal_representative_id_number"],
            "registered_address": data["registered_address"].strip(),
        }


def check_password_pair(form, password_field="password1", confirm_field="password2", user=None):
    password, confirm = form.cleaned_data.get(password_field), form.cleaned_data.get(confirm_field)
    if password and confirm and password != confirm:
        form.add_error(confirm_field, _("The two passwords differ"))
    elif password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            form.add_error(password_field, error)


def bureau_queryset():
    return Organisation.objects.filter(kind=Organisation.Kind.BUREAU, division__isnull=False)


class RegistrationAccountForm(SMSCodeMixin, forms.Form):
    """Step two: user name, contact, supervising bureau, password, mobile with SMS code, terms."""

    sms_purpose = SMSCode.Purpose.REGISTER

    username = forms.CharField(
        label=_("User name"), max_length=20, help_text=_("6-20 letters, digits or underscores; used to log in.")
    )
    real_name = forms.CharField(label=_("Contact name"), max_length=64)
    id_number = forms.CharField(label=_("Contact's ID number"), max_length=40)
    bureau = forms.ModelChoiceField(label=_("Supervising bureau"), queryset=bureau_queryset())
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Confirm password"), strip=False, widget=forms.PasswordInput)
    mobile = forms.CharField(label=_("Mobile"), max_length=20)
    sms_code = forms.CharField(label=_("SMS code"), max_length=6)
    accept_terms = forms.BooleanField(
        label=_("I have read and agree to the terms of service of the product standard disclosure platform"),
        error_messages={"required": _("Please accept the terms of service")},
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if not USERNAME_RE.fullmatch(username):
            raise ValidationError(_("The user name must be 6-20 letters, digits or underscores"))
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This user name is taken"))
        return username

    def clean_id_number(self):
        number = validate_resident_id(self.cleaned_data["id_number"])
        if User.objects.filter(id_number_hash=keyed_hash(number)).exists():
            raise ValidationError(_("This ID number is already registered"))
        return number

    def clean_mobile(self):
        return validate_mobile(self.cleaned_data["mobile"])

    def clean(self):
        cleaned = super().clean()
        check_password_pair(
            self, user=User(username=cleaned.get("username", ""), real_name=cleaned.get("real_name", ""))
        )
        self.check_sms_code()
        # Only the number's holder, who has just proved it with the code, learns that it is taken.
        if not self.errors and User.objects.filter(mobile=cleaned["mobile"]).exists():
            self.add_error(
                "mobile",
                _(
                    "This mobile number is already registered: use another one, or recover the user name of "
                    "the account that uses it."
                ),
            )
        return cleaned


class DocumentedRegistrationForm(RegistrationAccountForm):
    """Step two for an enterprise whose registry record lacks a detail: the documents the bureau checks."""

    business_licence = forms.FileField(
        label=_("Business licence (scan or photo)"),
        validators=[UploadValidator(SCANS, 5 * MB)],
        widget=KeptFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    representative_document = forms.FileField(
        label=_("Legal representative's ID document (scan or photo)"),
        validators=[UploadValidator(SCANS, 5 * MB)],
        widget=KeptFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class ForgotPasswordDetailsForm(EnterpriseDetailsForm):
    """One answer whichever detail is wrong: naming the field would tell a guesser which ones are right."""

    username = forms.CharField(
        label=_("User name"), max_length=20, help_text=_("The user name you registered, not the enterprise name.")
    )

    account = None

    def clean(self):
        cleaned = forms.Form.clean(self)
        if self.errors:
            return cleaned
        enterprise, mismatches = services.match_enterprise(cleaned)
        if enterprise is not None and not mismatches:
            self.enterprise = enterprise
            self.account = User.objects.filter(
                username=cleaned["username"], enterprise=enterprise, kind=User.Kind.ENTERPRISE
            ).first()
        if self.account is None:
            raise ValidationError(
                _(
                    "These details do not match an enterprise account. Check each of them against the business "
                    "licence; the user name is the one you registered, not the enterprise name."
                ),
                code="no_match",
            )
        return cleaned


class NewPasswordForm(SMSCodeMixin, forms.Form):
    sms_purpose = SMSCode.Purpose.RESET_PASSWORD

    sms_code = forms.CharField(label=_("SMS code"), max_length=6)
    password1 = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Confirm password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, account, *args, **kwargs):
        self.account = account
        super().__init__(*args, **kwargs)

    def code_mobile(self):
        return self.account.mobile

    def clean(self):
        cleaned = super().clean()
        check_password_pair(self, user=self.account)
        self.check_sms_code()
        return cleaned


class ForgotUsernameForm(SMSCodeMixin, forms.Form):
    sms_purpose = SMSCode.Purpose.RECOVER_USERNAME

    code = forms.CharField(label=_("Unified social credit code (organisation code)"), max_length=40)
    mobile = forms.CharField(label=_("Registered mobile"), max_length=20)
    sms_code = forms.CharField(label=_("SMS code"), max_length=6)

    account = None

    def clean_mobile(self):
        return validate_mobile(self.cleaned_data["mobile"])

    def clean(self):
        cleaned = super().clean()
        self.check_sms_code()
        if self.errors:
            return cleaned
        enterprise = services.find_enterprise(cleaned["code"])
        self.account = User.objects.filter(
            enterprise=enterprise, mobile=cleaned["mobile"], kind=User.Kind.ENTERPRISE
        ).first()
        if enterprise is None or self.account is None:
            self.add_error(
                "mobile",
                _("No account of this enterprise is registered with this mobile"),
            )
        return cleaned


class ContactForm(forms.ModelForm):
    """Contact name and ID number are editable; the user name is not (seed 002 §6)."""

    class Meta:
        model = User
        fields = ["real_name", "id_number"]
        labels = {"real_name": _("Contact name"), "id_number": _("Contact's ID number")}

    def clean_id_number(self):
        number = validate_resident_id(self.cleaned_data["id_number"] or "")
        if User.objects.filter(id_number_hash=keyed_hash(number)).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("This ID number is already registered"))
        return number


class OldMobileForm(SMSCodeMixin, forms.Form):
    sms_purpose = SMSCode.Purpose.CHANGE_MOBILE_OLD

    sms_code = forms.CharField(label=_("Code sent to the current mobile"), max_length=6)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def code_mobile(self):
        return self.user.mobile

    def clean(self):
        cleaned = super().clean()
        if not self.user.check_password(cleaned.get("password") or ""):
            self.add_error("password", _("The password is incorrect"))
        self.check_sms_code()
        return cleaned


class NewMobileForm(SMSCodeMixin, forms.Form):
    sms_purpose = SMSCode.Purpose.CHANGE_MOBILE_NEW

    mobile = forms.CharField(label=_("New mobile"), max_length=20)
    sms_code = forms.CharField(label=_("Code sent to the new mobile"), max_length=6)

    def clean_mobile(self):
        mobile = validate_mobile(self.cleaned_data["mobile"])
        if User.objects.filter(mobile=mobile).exists():
            raise ValidationError(_("This mobile number is already registered"))
        return mobile

    def clean(self):
        cleaned = super().clean()
        self.check_sms_code()
        return cleaned


# --- disclosure -----------------------------------------------------------------------------------


class StandardForm(forms.ModelForm):
    """Number and name of one kind of standard, and (where allowed) the disclosed content."""

    pledge_accepted = forms.BooleanField(label=_("I make the pledge above"), required=False)

    class Meta:
        model = DisclosedStandard
        fields = ["number", "name", "content", "full_text"]
        widgets = {"content": forms.RadioSelect, "full_text": KeptFileInput}

    def __init__(self, *args, kind, enterprise, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.enterprise = enterprise
        self.instance.kind = kind
        self.instance.enterprise = enterprise
        self.fields["name"].required = False
        self.fields["full_text"].widget.attrs["accept"] = "application/pdf,.pdf"
        self.fields["content"].choices = [c for c in DisclosedStandard.Content.choices if c[0]]
        self.fields["content"].required = False
        if kind == StandardKind.ENTERPRISE:
            self.fields["number"].help_text = _("Q/…-YYYY, e.g. Q/SJZ 001-2024")
        else:
            self.fields["number"].help_text = _(
                "Search the catalogue by the digits of the number (e.g. 13456 for GB/T 13456-2014)."
            )
        if locked:
            for name in ("number", "name"):
                self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        number = tidy_number(cleaned.get("number") or "")
        entry = None
        if number and self.kind != StandardKind.ENTERPRISE:
            entry = CatalogueStandard.objects.filter(kind=self.kind, number=number).first()
            if entry is None and self.kind == StandardKind.NATIONAL:
                self.add_error(
                    "number",
                    _("This national standard is not in the catalogue; choose one"),
                )
        self.instance.catalogue_entry = entry
        if entry is not None:
            cleaned["name"] = self.instance.name = entry.name
        elif not cleaned.get("name"):
            self.add_error("name", _("Enter the standard name"))
        if entry is not None:
            cleaned["content"] = ""
            cleaned["full_text"] = None
        return cleaned


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "common_name", "barcode", "brand", "specification", "model", "category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()

    def clean_barcode(self):
        return "".join((self.cleaned_data.get("barcode") or "").split())


def category_choices():
    """Three-level product categories as optgroups "segment / family" → classes."""
    choices = [("", "---------")]
    classes = ProductCategory.objects.filter(level=3).select_related("parent__parent").order_by("code")
    groups = {}
    for category in classes:
        family = category.parent
        groups.setdefault(f"{family.parent.name} / {family.name}", []).append((category.pk, category.name))
    choices.extend(groups.items())
    return choices


class IndicatorForm(forms.ModelForm):
    category_name = forms.CharField(label=_("Indicator category"), max_length=32, required=False)

    class Meta:
        model = Indicator
        fields = [
            "name",
            "requirement_type",
            "lower_limit",
            "lower_plus",
            "lower_minus",
            "lower_operator",
            "quantity",
            "upper_operator",
            "upper_limit",
            "upper_plus",
            "upper_minus",
            "unit",
            "text_requirement",
            "text_file",
            "test_method",
            "level_note",
        ]
        widgets = {"text_requirement": forms.Textarea(attrs={"rows": 2}), "text_file": KeptFileInput}

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        if self.instance.category_id:
            self.initial["category_name"] = self.instance.category.name

    def clean(self):
        cleaned = super().clean()
        method = tidy_number(cleaned.get("test_method") or "")
        self.instance.test_method_standard = CatalogueStandard.objects.filter(number=method).first() if method else None
        return cleaned

    def save(self, commit=True):
        name = self.cleaned_data.get("category_name", "").strip()
        if name:
            category = IndicatorCategory.objects.filter(name=name, enterprise=None).first()
            if category is None:
                category, _created = IndicatorCategory.objects.get_or_create(name=name, enterprise=self.enterprise)
            self.instance.category = category
        else:
            self.instance.category = None
        return super().save(commit)


class BaseRequiredFormSet(forms.BaseInlineFormSet):
    minimum_message = ""

    def live_forms(self):
        return [f for f in self.forms if f.has_changed() and not (self.can_delete and self._should_delete_form(f))]


ProductFormSet = inlineformset_factory(
    DisclosedStandard, Product, form=ProductForm, formset=BaseRequiredFormSet, extra=1, can_delete=True
)


class BaseIndicatorFormSet(BaseRequiredFormSet):
    def __init__(self, *args, enterprise=None, **kwargs):
        self.enterprise = enterprise
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "enterprise": self.enterprise}


IndicatorFormSet = inlineformset_factory(
    DisclosedStandard, Indicator, form=IndicatorForm, formset=BaseIndicatorFormSet, extra=1, can_delete=True
)
