"""QC-group and trusted-team achievement filings (seed 004): filing units, yearly counts and filings.

Filing units register themselves on the portal and are reviewed by the secretariat: the organisation whose
function is ``qc_secretariat`` (the quality committee of the petroleum and chemical industry federation in the
shipped tree), through the unit's Wagtail workflow (:class:`FilingUnitApprovalTask`); an approved unit is a live
one. Every record is placed under that organisation, so the registry's scoping gives its administrators (and
those above it) every unit and filing, and answers 404 to everyone else.
"""

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from registry import workflows
from registry.files import PrivateFileField, administers
from registry.models import Organisation
from registry.policies import owns
from registry.scoping import ScopedModelMixin
from registry.validators import validate_mobile, validate_uscc

from .uploads import validate_licence

#: The organisation function of the secretariat (registered in QCGroupsConfig.ready).
SECRETARIAT = "qc_secretariat"


def secretariat():
    """The organisation whose administrators review units and see all filings."""
    return Organisation.objects.with_function(SECRETARIAT)


def current_year():
    return timezone.localdate().year


def normalise_text(value):
    """Trim and collapse inner whitespace (including the ideographic space), as typed text is compared."""
    return re.sub(r"\s+", " ", (value or "").replace("\u3000", " ")).strip()


def licence_path(instance, filename):
    """A random name: the uploader's file name never reaches the storage."""
    return f"qcgroups/licences/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class FilingUnit(
    workflows.ReviewedRecordMixin, WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ScopedModelMixin
):
    """An enterprise, group company, association or recommending body that files for its members.

    Registration submits it for review (``live`` False until the secretariat approves it).
    """

    class Category(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        GROUP = "group", _("Group of companies")
        ASSOCIATION = "association", _("Industry or professional association")
        RECOMMENDER = "recommender", _("Other recommending body")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("login account"), on_delete=models.PROTECT, related_name="qc_unit"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("secretariat"),
        on_delete=models.PROTECT,
        related_name="qc_filing_units",
        editable=False,
    )
    name = models.CharField(_("unit name"), max_length=200, unique=True, help_text=_("Full name, as registered."))
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    category = models.CharField(_("kind of unit"), max_length=16, choices=Category.choices, default=Category.ENTERPRISE)
    licence = PrivateFileField(
        _("business licence"),
        upload_to=licence_path,
        validators=[validate_licence],
        help_text=_("Business licence or registration certificate: PDF, JPEG or PNG, at most 5 MB."),
    )
    province = models.ForeignKey(
        "registry.Division",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    city = models.ForeignKey(
        "registry.Division",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "city"},
    )
    contact_name = models.CharField(_("contact person"), max_length=64)
    contact_mobile = models.CharField(_("contact's mobile"), max_length=11, validators=[validate_mobile])
    email = models.EmailField(_("e-mail"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    #: E-mails of the review (registry.workflows notifiers): qcgroups/notifications/filing_unit_<event>*.
    review_email_templates = "qcgroups/notifications/filing_unit"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("QC filing unit")
        verbose_name_plural = _("QC filing units")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.organisation_id is None:
            self.organisation = secretariat()
        super().save(*args, **kwargs)

    @property
    def is_approved(self):
        return self.live

    @property
    def review_reason(self):
        """The secretariat's remarks or reason for rejection, as its decision in the workflow recorded them."""
        return self.last_decision.comment if self.last_decision else ""

    def may_read_file(self, user, field_name):
        """The licence: the unit's own account and the administrators whose subtree holds the secretariat."""
        return owns(user, self) or administers(user, self)

    def name_prefixes(self):
        """Names a group name must not start with: the unit's full name and its name without legal suffix."""
        return [name for name in {self.name, short_name(self.name)} if name]


class FilingUnitApprovalTask(workflows.FunctionApprovalTask):
    """Registration review: approved by the administrators of the QC secretariat (whichever unit holds it)."""

    function = SECRETARIAT
    reviewed_model = "qcgroups.FilingUnit"
    default_names = ("申报单位注册审核", "申报单位注册审核流程")  # migration 0004's

    class Meta:
        verbose_name = _("QC filing unit approval task")
        verbose_name_plural = _("QC filing unit approval tasks")


LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司", "协会", "联合会")


def short_name(name):
    for suffix in LEGAL_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


class YearlySetting(ScopedModelMixin):
    """How many QC groups and trusted teams the unit registered as active this year."""

    scope_lookup = "unit__organisation"

    unit = models.ForeignKey(FilingUnit, verbose_name=_("filing unit"), on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    qc_group_count = models.PositiveIntegerField(_("QC groups registered this year"), default=0)
    trusted_team_count = models.PositiveIntegerField(_("trusted teams registered this year"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("yearly setting")
        verbose_name_plural = _("yearly settings")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="qcgroups_one_setting_per_unit_year")]

    def __str__(self):
        return f"{self.unit} {self.year}"


class Filing(ScopedModelMixin):
    """One QC group's or trusted team's achievement, filed by a unit for one of its enterprises."""

    scope_lookup = "unit__organisation"

    class Kind(models.TextChoices):
        QC_GROUP = "qc_group", _("QC group")
        TRUSTED_TEAM = "trusted_team", _("Trusted team")

    class Source(models.TextChoices):
        FORM = "form", _("Entered one by one")
        IMPORT = "import", _("Batch import")

    unit = models.ForeignKey(
        FilingUnit, verbose_name=_("filing unit"), on_delete=models.PROTECT, related_name="filings"
    )
    year = models.PositiveSmallIntegerField(_("year"), default=current_year, db_index=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.QC_GROUP)
    topic = models.CharField(_("topic"), max_length=200)
    group_name = models.CharField(
        _("group name"), max_length=100, help_text=_("Should not start with the unit's or a department's name.")
    )
    enterprise_name = models.CharField(
        _("enterprise"), max_length=200, help_text=_("The enterprise the group belongs to, named as on its seal.")
    )
    member_count = models.PositiveSmallIntegerField(
        _("member count"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    leader = models.CharField(_("leader"), max_length=64)
    founded_on = models.DateField(_("founding date"))
    source = models.CharField(
        _("entered by"), max_length=8, choices=Source.choices, default=Source.FORM, editable=False
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year", "kind", "pk"]
        verbose_name = _("QC achievement filing")
        verbose_name_plural = _("QC achievement filings")
        constraints = [
            # The seed's rule: a topic + group name already on file is never filed again.
            models.UniqueConstraint(fields=["unit", "topic", "group_name"], name="qcgroups_filing_unique_topic_group")
        ]
        indexes = [models.Index(fields=["unit", "year"], name="qcgroups_filing_unit_year")]

    def __str__(self):
        return f"{self.group_name}：{self.topic}"

    def save(self, *args, **kwargs):
        for field in ("topic", "group_name", "enterprise_name", "leader"):
            setattr(self, field, normalise_text(getattr(self, field)))
        super().save(*args, **kwargs)


#: Department words that, early in a group name, betray a department prefix ("催化车间QC小组").
DEPARTMENT_PREFIX = re.compile(
    r"^.{0,12}?(车间|分厂|分公司|子公司|事业部|工段|作业区|项目部|质量部|生产部|技术部|设备部|安环部|研究院|研究所|化验室|实验室)"
    r"(?=.{2,})"
)


def group_name_warnings(group_name, unit, enterprise_name=""):
    """Warnings when a group name starts with the unit's, the enterprise's or a department's name.

    The seed asks that group names carry no unit or department prefix; this is advice, never a refusal.
    """
    name = normalise_text(group_name)
    prefixes = set(unit.name_prefixes()) if unit is not None else set()
    if enterprise_name:
        enterprise_name = normalise_text(enterprise_name)
        prefixes |= {enterprise_name, short_name(enterprise_name)}
    for prefix in sorted(prefixes, key=len, reverse=True):
        if prefix and name.startswith(prefix):
            return [
                _("The group name “%(name)s” starts with the unit name “%(prefix)s”; leave the unit name out")
                % {"name": name, "prefix": prefix}
            ]
    match = DEPARTMENT_PREFIX.match(name)
    if match:
        return [
            _("The group name “%(name)s” seems to start with the department “%(department)s”; leave it out")
            % {"name": name, "department": match.group(0)}
        ]
    return []
