"""Chief Quality Officers (首席质量官): one per enterprise, moderated, and their batch imports."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from ..crypto import EncryptedCharField, EncryptedDateField, KeyedHashField
from ..files import PrivateFileField, administers
from ..identity import DocumentType, birth_date, validate_document
from ..scoping import ScopedModelMixin
from ..uploads import MB, SCANS, UploadValidator
from ..validators import validate_mobile
from ..workflows import OrganisationApprovalTask
from .users import User

Gender = User.Gender


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Approval revoked")


class ChiefQualityOfficer(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ScopedModelMixin):
    """An enterprise's Chief Quality Officer: the seed 000 form plus the seed 003 talent-pool record.

    ``organisation`` is the unit whose administrators approve the record: the importing or entering
    administrator's unit, or the enterprise's supervising bureau when the enterprise files itself.
    Only live (approved) records count in statistics and appear on the public talent pool.
    """

    scope_lookup = "organisation"

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="officers"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("reviewing organisation"),
        on_delete=models.PROTECT,
        related_name="officers",
        editable=False,
        help_text=_("Administrators of this organisation approve the record."),
    )
    #: The enterprise's name, kept by database triggers (migration 0029) on every write to either table: the
    #: public talent pool searches and lists it without reading an enterprise row per officer. A migration that
    #: alters this column or ``Enterprise.name`` creates the triggers again (see 0029), and one that alters it or
    #: the other columns migration 0030's triggers read (its ``READ``) creates those again.
    enterprise_name = models.CharField(_("enterprise name"), max_length=200, editable=False, default="")
    real_name = models.CharField(_("real name"), max_length=64, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    education = models.ForeignKey(
        "registry.EducationLevel", verbose_name=_("education"), on_delete=models.PROTECT, null=True, blank=True
    )
    major = models.CharField(_("major"), max_length=64, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, db_index=True, validators=[validate_mobile])
    position = models.CharField(_("position"), max_length=64, blank=True)
    category = models.CharField(_("category"), max_length=32, blank=True)
    enabled = models.BooleanField(
        _("enabled"), default=True, help_text=_("A disabled officer cannot log in to the portal.")
    )
    remarks = models.TextField(_("remarks"), blank=True)

    # blank: a form or client that predates the field posts none, which means a resident ID (clean).
    id_document_type = models.CharField(
        _("ID document type"), max_length=16, choices=DocumentType.choices, default=DocumentType.RESIDENT_ID, blank=True
    )
    id_number = EncryptedCharField(_("ID document number"), max_length=18, blank=True)
    #: Exact-match lookups and duplicate checks (registry.crypto.keyed_hash): the number itself is encrypted.
    id_number_hash = KeyedHashField(source="id_number", db_index=True)
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    graduate_school = models.CharField(_("graduate school"), max_length=128, blank=True)
    title = models.CharField(_("professional title"), max_length=64, blank=True)
    quality_years = models.PositiveSmallIntegerField(_("years in quality work"), null=True, blank=True)
    concurrent_posts = models.CharField(
        _("concurrent posts"),
        max_length=128,
        blank=True,
        help_text=_("Other posts held in the enterprise: chairman, general manager, deputy general manager …"),
    )
    phone = models.CharField(_("telephone"), max_length=32, blank=True)
    fax = models.CharField(_("fax"), max_length=32, blank=True)
    address = models.CharField(_("postal address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    appointment_date = models.DateField(_("appointment date"), null=True, blank=True, db_index=True)
    training_certificate_number = models.CharField(_("training certificate number"), max_length=64, blank=True)
    training_certificate_issuer = models.CharField(_("certificate issuing body"), max_length=128, blank=True)
    #: The talent-pool rule as data (written by the app that issues certificates, never typed in): the officer
    #: appears publicly only while approved, this date is not past and the certificate is not revoked.
    certificate_valid_until = models.DateField(_("certificate valid until"), null=True, blank=True, editable=False)
    certificate_revoked_at = models.DateTimeField(_("certificate revoked"), null=True, blank=True, editable=False)
    work_history = models.TextField(
        _("work history"), blank=True, help_text=_("Quality-management experience and awards.")
    )
    registration_form = PrivateFileField(
        _("stamped registration form"),
        upload_to="officers/registration-forms/%Y/%m/",
        blank=True,
        validators=[UploadValidator(SCANS, 5 * MB)],
    )

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer_record",
        editable=False,
    )
    #: Stored, though mostly what ``live`` and the workflow say (registry.workflows.review_status): the listing
    #: filters and the statistics count it through an index over hundreds of thousands of records, and
    #: "approval revoked" (撤销审核) is a state Wagtail's workflows cannot express.
    review_status = models.CharField(
        _("review status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING, editable=False
    )
    review_comment = models.TextField(_("review comment"), blank=True, editable=False)
    self_filed = models.BooleanField(_("filed by the enterprise"), default=False, editable=False)
    erased_at = models.DateTimeField(
        _("personal data erased"), null=True, blank=True, editable=False, help_text=_("Kept for the statistics only.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("Chief Quality Officer")
        verbose_name_plural = _("Chief Quality Officers")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                name="registry_one_officer_per_enterprise",
                violation_error_message=_("This enterprise already has a Chief Quality Officer"),
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "-id"], name="registry_officer_org_id"),
            # The review queue (a unit's records by status, newest first) and its capped count, index-only.
            models.Index(fields=["organisation", "review_status", "-id"], name="registry_officer_org_status"),
            # The review queues: only records that can be in review (never published, or with an edit awaiting
            # approval), so a unit's million approved records cost its queue nothing (OfficerApprovalTask).
            models.Index(
                fields=["organisation"],
                name="registry_officer_in_review",
                condition=models.Q(live=False) | models.Q(has_unpublished_changes=True),
            ),
            # A subtree's records that have been in review (each entered it with a revision), read index-only: the
            # workflow reports find every review of a subtree from them (registry.reports.listable_states).
            models.Index(
                fields=["organisation", "id"],
                name="registry_officer_revised",
                condition=models.Q(latest_revision__isnull=False),
            ),
            # The public talent pool: approved, certified officers, latest appointments first, a page at a time.
            models.Index(
                fields=["-appointment_date", "-id"],
                name="registry_officer_pool",
                condition=models.Q(
                    live=True, certificate_valid_until__isnull=False, certificate_revoked_at__isnull=True
                ),
            ),
        ]

    def __str__(self):
        return f"{self.real_name}（{self.enterprise.name if self.enterprise_id else '—'}）"

    def clean(self):
        super().clean()
        self.id_document_type = self.id_document_type or DocumentType.RESIDENT_ID
        errors = {}
        validators = (
            ("mobile", validate_mobile),
            ("id_number", lambda number: validate_document(self.id_document_type, number)),
        )
        for name, validator in validators:
            value = getattr(self, name)
            if value:
                try:
                    setattr(self, name, validator(value))
                except ValidationError as error:
                    errors[name] = error.messages
        if errors:
            raise ValidationError(errors)
        if self.id_number and not self.birth_date:
            self.birth_date = birth_date(self.id_document_type, self.id_number)

    def save(self, *args, **kwargs):
        # Publishing (an approval, now or scheduled) is what makes a record approved.
        if self.live and self.review_status != ReviewStatus.APPROVED:
            self.review_status = ReviewStatus.APPROVED
            kwargs.pop("update_fields", None)
        if self.organisation_id is None and self.enterprise_id:
            self.organisation_id = self.enterprise.organisation_id
        super().save(*args, **kwargs)
        if self.account_id and self.account.is_active != self.enabled:
            self.account.is_active = self.enabled
            self.account.save(update_fields=["is_active"])

    #: Fields the certificate issuer writes on the live record: publishing an older revision keeps them.
    CERTIFICATE_FIELDS = (
        "training_certificate_number",
        "training_certificate_issuer",
        "certificate_valid_until",
        "certificate_revoked_at",
    )

    def with_content_json(self, content):
        """A revision published after a certificate was issued (or revoked) keeps the certificate, not the one the
        revision was drafted with."""
        obj = super().with_content_json(content)
        if self.certificate_valid_until is not None:
            for name in self.CERTIFICATE_FIELDS:
                setattr(obj, name, getattr(self, name))
        return obj

    @property
    def is_approved(self):
        return self.live and self.review_status == ReviewStatus.APPROVED

    def may_read_file(self, user, field_name):
        """The stamped form: the enterprise that filed it, the officer, administrators whose subtree holds it."""
        return user.is_authenticated and (
            (user.enterprise_id is not None and user.enterprise_id == self.enterprise_id)
            or (self.account_id is not None and self.account_id == user.pk)
            or administers(user, self)
        )


def in_talent_pool(today):
    """The talent-pool rule (seed 003): approved, holding a certificate valid on ``today`` and not revoked.

    Registry migration 0030's pair table (listing by character pair) and ``registry.officers.views.PAIR_PAGE``
    state it again in SQL: a change here is made there too, in a migration creating the triggers again."""
    return models.Q(live=True, certificate_valid_until__gte=today, certificate_revoked_at__isnull=True)


def certificate_expiry(year):
    """A certificate issued for ``year``'s training is valid to the end of the following year."""
    import datetime

    return datetime.date(year + 1, 12, 31)


class OfficerApprovalTask(OrganisationApprovalTask):
    """审核: approved by the other administrators of the record's own unit and by those of its parent unit.

    So a county with a single administrator has its records approved by its city; nobody approves their own.
    """

    approver_levels = (0, 1)

    def object_unit(self, obj):
        return getattr(obj, "organisation", None)

    def objects_of_units(self, units):
        # A record in review is unpublished or has unpublished changes (publishing ends its workflow): the
        # partial index registry_officer_in_review skips the units' approved records.
        return ChiefQualityOfficer.unscoped.filter(
            models.Q(live=False) | models.Q(has_unpublished_changes=True), organisation__in=units
        )

    # review_status follows the workflow here (and in bulk review, which writes what these do set-based).

    def start(self, workflow_state, user=None):
        """A record sent into review awaits it (待审核); one whose approval was revoked says so until decided."""
        ChiefQualityOfficer.unscoped.filter(pk=workflow_state.object_id, live=False).exclude(
            review_status=ReviewStatus.REVOKED
        ).update(review_status=ReviewStatus.PENDING)
        return super().start(workflow_state, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        """ "Request changes" marks the record rejected (已驳回) with the approver's comment."""
        result = super().on_action(task_state, user, action_name, **kwargs)
        if action_name == "reject":
            ChiefQualityOfficer.unscoped.filter(pk=task_state.workflow_state.object_id).update(
                review_status=ReviewStatus.REJECTED, review_comment=kwargs.get("comment") or ""
            )
        return result

    class Meta:
        verbose_name = _("officer approval task")
        verbose_name_plural = _("officer approval tasks")


class ImportJob(models.Model):
    """One uploaded officer workbook: its progress (for the progress bar) and its outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Rejected: errors found")
        INTERRUPTED = "interrupted", _("Interrupted: nothing written")
        DONE = "done", _("Imported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.CASCADE, related_name="+"
    )
    workbook = PrivateFileField(
        _("workbook"), upload_to="officers/imports/%Y/%m/", validators=[UploadValidator(["xlsx"], 10 * MB)]
    )
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("officers created"), default=0)
    unchanged_count = models.PositiveIntegerField(_("rows already imported"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    #: Written by the import task from the checked workbook, never uploaded.
    marked_workbook = PrivateFileField(
        _("workbook with errors marked"), upload_to="officers/imports/%Y/%m/", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: Last sign of life from the worker running the job (registry.officers.tasks.fail_interrupted_imports).
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("officer import")
        verbose_name_plural = _("officer imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    def may_read_file(self, user, field_name):
        """Only the administrator who imported the workbook (the job page is theirs alone)."""
        return user.is_authenticated and user.is_active and user.pk == self.user_id

    @property
    def progress_percent(self):
        if not self.total_rows:
            return 100 if self.finished_at else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class ReviewJob(models.Model):
    """One bulk review (批量审核): the records chosen, the decision, and its progress for the progress page."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Failed")
        DONE = "done", _("Done")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    officer_ids = models.JSONField(_("records"), default=list)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("records chosen"), default=0)
    processed = models.PositiveIntegerField(_("records processed"), default=0)
    reviewed_count = models.PositiveIntegerField(_("records reviewed"), default=0)
    skipped_count = models.PositiveIntegerField(_("records not yours to review"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk review")
        verbose_name_plural = _("bulk reviews")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_decision_display()} × {self.total}"

    @property
    def progress_percent(self):
        if not self.total:
            return 100 if self.finished_at else 0
        return min(100, round(100 * self.processed / self.total))
