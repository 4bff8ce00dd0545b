"""Enterprise-account helpers: the registry details an account last pulled."""

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
