"""Enterprise-account helpers: the registry details an account last pulled, and SMS verification codes."""

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EnterpriseProfile(models.Model):
    """The enterprise details an account registered with, refreshed only by its "update" button.

    Disclosures snapshot these at publication (seed 002 FAQ 15/16: a standard published with the old
    legal representative keeps showing it, and the account shows old details until it pulls new ones).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="standards_profile"
    )
    enterprise_name = models.CharField(_("enterprise name"), max_length=200)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    registered_address = models.CharField(_("registered address"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("pulled from the registry"), default=timezone.now)

    class Meta:
        verbose_name = _("enterprise account profile")
        verbose_name_plural = _("enterprise account profiles")

    def __str__(self):
        return self.enterprise_name

    @classmethod
    def for_user(cls, user):
        """The account's profile, created from the registry record on first use."""
        profile = cls.objects.filter(user=user).first()
        if profile is None:
            profile = cls(user=user)
            profile.pull_from_registry()
        return profile

    def pull_from_registry(self):
        enterprise = self.user.enterprise
        self.enterprise_name = enterprise.name
        self.legal_representative = enterprise.legal_representative
        self.registered_address = enterprise.registered_address
        self.updated_at = timezone.now()
        self.save()


def hash_code(mobile, purpose, code):
    """Codes are stored as keyed hashes: a database reader cannot use a pending code."""
    message = f"{mobile}:{purpose}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


class SMSCode(models.Model):
    """A six-digit code sent by SMS for one purpose; single use, short-lived, few attempts."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("Registration")
        RESET_PASSWORD = "reset_password", _("Password reset")
        RECOVER_USERNAME = "recover_username", _("User name recovery")
        CHANGE_MOBILE_OLD = "change_mobile_old", _("Change of mobile (old number)")
        CHANGE_MOBILE_NEW = "change_mobile_new", _("Change of mobile (new number)")

    mobile = models.CharField(_("mobile"), max_length=11, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")
        indexes = [models.Index(fields=["mobile", "purpose", "-created_at"])]

    def __str__(self):
        return f"{self.mobile} {self.purpose}"

    def matches(self, code):
        return hmac.compare_digest(self.code_hash, hash_code(self.mobile, self.purpose, code))
