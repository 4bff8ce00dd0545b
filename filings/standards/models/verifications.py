"""Registration by documents: for an enterprise whose registry record lacks a detail the form matches (issue 21).

The applicant uploads the business licence and the legal representative's document; the account waits, inactive,
until an administrator of the bureau holding the enterprise (or above it) confirms the documents, which also
completes the registry record, or rejects them with a reason. Either way the applicant is told by SMS.
"""

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from wagtail.log_actions import log

from registry.crypto import EncryptedCharField
from registry.files import PrivateFileField, administers
from registry.identity import DocumentType
from registry.mail import send_templated_mail, site_url
from registry.scoping import ScopedModelMixin
from registry.sms import send_sms
from registry.uploads import MB, SCANS, UploadValidator

CONFIRM_ACTION = "standards.verification_confirmed"
REJECT_ACTION = "standards.verification_rejected"
#: The notices, translated into the site's language when sent (the applicant never chose the reviewer's).
CONFIRMED_NOTICE = gettext_noop(
    "[CQO Portal] The bureau has confirmed the registration of %(enterprise)s: sign in with the user name %(username)s."
)
REJECTED_NOTICE = gettext_noop(
    "[CQO Portal] The registration of %(enterprise)s was not confirmed: %(reason)s. Correct it and register again."
)


class EnterpriseVerification(ScopedModelMixin):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the bureau's check")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="verifications"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("checking bureau"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The bureau holding the enterprise; its administrators and those above check the documents."),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprise_verification",
    )
    # Kept apart from the account, which a rejection deletes so that the applicant can register again.
    username = models.CharField(_("user name"), max_length=150)
    mobile = models.CharField(_("mobile"), max_length=11)
    legal_representative = models.CharField(_("legal representative"), max_length=64)
    legal_representative_document_type = models.CharField(
        _("legal representative's ID document type"), max_length=16, choices=DocumentType.choices
    )
    legal_representative_id_number = EncryptedCharField(_("legal representative's ID document number"), max_length=18)
    registered_address = models.CharField(_("registered address"), max_length=255)
    business_licence = PrivateFileField(
        _("business licence"), upload_to="standards/verifications/%Y/%m/", validators=[UploadValidator(SCANS, 5 * MB)]
    )
    representative_document = PrivateFileField(
        _("legal representative's ID document"),
        upload_to="standards/verifications/%Y/%m/",
        validators=[UploadValidator(SCANS, 5 * MB)],
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason for rejection"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration by documents")
        verbose_name_plural = _("registrations by documents")
        ordering = ["-id"]
        indexes = [models.Index(fields=["organisation", "status", "-id"], name="standards_verif_queue")]

    def __str__(self):
        return f"{self.enterprise.name}（{self.username}）"

    def may_read_file(self, user, field_name):
        return administers(user, self)

    @transaction.atomic
    def confirm(self, reviewer):
        """Activate the account and complete the registry record with the details the documents proved."""
        enterprise = self.enterprise
        for field in (
            "legal_representative",
            "legal_representative_document_type",
            "legal_representative_id_number",
            "registered_address",
        ):
            setattr(enterprise, field, getattr(self, field))
        enterprise.save()
        log(enterprise, "wagtail.edit", user=reviewer)
        if self.account_id:
            self.account.is_active = True
            self.account.save(update_fields=["is_active"])
        self._decide(self.Status.CONFIRMED, reviewer, "")
        log(self, CONFIRM_ACTION, user=reviewer)
        self._notify(CONFIRMED_NOTICE)

    @transaction.atomic
    def reject(self, reviewer, reason):
        """Delete the waiting account (its user name, mobile and ID number are free again) and tell the reason."""
        account = self.account
        self._decide(self.Status.REJECTED, reviewer, reason)
        if account is not None:
            self.account = None
            self.save(update_fields=["account"])
            account.delete()
        log(self, REJECT_ACTION, user=reviewer, data={"reason": reason})
        self._notify(REJECTED_NOTICE)

    def tell_bureau(self):
        """E-mail the checking bureau's administrators, each in their language, that documents wait for them."""
        from registry.models import User

        administrators = (
            User.objects.filter(organisation=self.organisation, kind=User.Kind.ADMINISTRATOR, is_active=True)
            .exclude(email="")
            .select_related("wagtail_userprofile")
        )
        review_url = site_url(reverse("standards_verifications:review", args=[self.pk]))
        context = {"verification": self, "review_url": review_url}
        for administrator in administrators:
            send_templated_mail("standards/mail/verification_pending", context, administrator.email, administrator)

    def _decide(self, status, reviewer, reason):
        self.status, self.reason, self.decided_by, self.decided_at = status, reason, reviewer, timezone.now()
        self.save(update_fields=["status", "reason", "decided_by", "decided_at"])

    def _notify(self, text):
        with translation.override(settings.LANGUAGE_CODE):
            message = translation.gettext(text)
        details = {"enterprise": self.enterprise.name, "username": self.username, "reason": self.reason}
        send_sms(self.mobile, message % details)
