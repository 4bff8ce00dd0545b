"""Forms for logging in and for the forced password change."""

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm

from .backends import find_account, login_identifier
from .models import User


class LabelledCaptchaInput(CaptchaTextInput):
    """The captcha's text box named for screen readers: Django renders the field as a fieldset without a label."""

    def __init__(self, attrs=None, **kwargs):
        super().__init__({"aria-label": _("Type the characters shown in the picture"), **(attrs or {})}, **kwargs)


class CaptchaLoginForm(LoginForm):
    """Wagtail's login form with an image captcha; a wrong captcha never reaches authentication."""

    captcha = CaptchaField(label=_("Captcha"), widget=LabelledCaptchaInput)

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Mobile number or user name")
        self.fields["username"].widget.attrs["placeholder"] = _("Mobile number or user name")
        self.fields["password"].label = _("Password")  # Wagtail's field has no label: Django shows its bare name

    def clean(self):
        if "captcha" in self.errors:
            return self.cleaned_data
        return super().clean()


class RequiredPasswordChangeForm(SetPasswordForm):
    """Replace a one-time password: the new one must differ from it and pass the password rules."""

    old_password = forms.CharField(label=_("Current (one-time) password"), strip=False, widget=forms.PasswordInput)

    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not self.user.check_password(old_password):
            raise forms.ValidationError(_("The current password is incorrect."), code="password_incorrect")
        return old_password

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password1") and cleaned.get("new_password1") == cleaned.get("old_password"):
            self.add_error("new_password1", _("The new password must differ from the old one."))
        return cleaned

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit)


class PortalLoginForm(AuthenticationForm):
    """Portal (enterprise and officer) login: user name or mobile, password and captcha."""

    captcha = CaptchaField(label=_("Captcha"), widget=LabelledCaptchaInput)

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("User name or mobile number")

    def clean(self):
        if "captcha" in self.errors:
            return self.cleaned_data
        return super().clean()

    def get_invalid_login_error(self):
        """The right password of an account that is not active (yet) says so, instead of "wrong password": an
        enterprise that registered with documents waits for its bureau's check."""
        account = find_account(login_identifier(self.cleaned_data.get("username")))
        if account is not None and not account.is_active and account.check_password(self.cleaned_data.get("password")):
            return forms.ValidationError(
                _(
                    "This account is not active. An account registered with documents can sign in once its bureau "
                    "has confirmed them (you will receive an SMS); otherwise ask your bureau."
                ),
                code="inactive",
            )
        return super().get_invalid_login_error()


class ProfileForm(forms.ModelForm):
    """An administrator's own details (seed 1.5.6.1); the mobile number is the login and stays fixed."""

    class Meta:
        model = User
        fields = ["real_name", "gender", "education", "major", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["real_name"].required = True
