"""SMS verification codes: one flow for every portal form that proves a mobile number (standards accounts, award
applicants' registration)."""

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
