"""CQO training (seed 003): sessions organised by a provincial or city bureau, enrolment and attendance, the
bureau's question bank, examinations drawn by rule, attempts, and the certificates that admit to the talent pool.

A certificate's number, issuer and validity are copied onto the officer record (the core's talent-pool rule reads
only those fields, registry.models.in_talent_pool), so the registry never needs this app.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel

from registry.models import Division
from registry.scoping import ScopedModelMixin

#: How long an attempt may still save its answers after its time is up (a request already on its way).
GRACE_SECONDS = 30
#: At most this many attempts per enrolment and exam: the first, and one retake after a fail.
MAX_ATTEMPTS = 2


def organises_training(organisation):
    """Provincial and city bureaus organise trainings (the seed's provincial training, and cities' own)."""
    return (
        organisation is not None
        and organisation.division_id is not None
        and organisation.division.level in (Division.Level.PROVINCE, Division.Level.CITY)
    )


def validate_organiser(organisation):
    if not organises_training(organisation):
        raise ValidationError({"organisation": _("Trainings are organised by a provincial or city bureau.")})


class Training(ScopedModelMixin):
    """One training session (培训班) of a year."""

    organisation = models.ForeignKey(
        "registry.Organisation", verbose_name=_("organising bureau"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=128)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)], db_index=True
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place"), max_length=255, blank=True, help_text=_("Required unless online."))
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    enrolment_deadline = models.DateField(_("enrolment deadline"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [
        FieldPanel("organisation"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("capacity")]),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on"), FieldPanel("enrolment_deadline")]),
        FieldRowPanel([FieldPanel("online"), FieldPanel("place")]),
    ]

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["organisation", "-starts_on"], name="training_org_starts")]

    def __str__(self):
        return f"{self.title}（{self.year}）"

    def clean(self):
        super().clean()
        if self.organisation_id:
            validate_organiser(self.organisation)
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last day cannot be before the first day.")
        if self.starts_on and self.enrolment_deadline and self.enrolment_deadline > self.ends_on:
            errors["enrolment_deadline"] = _("Enrolment must close by the last day of the training.")
        if not self.online and not self.place.strip():
            errors["place"] = _("Give the place, or mark the training as online.")
        if errors:
            raise ValidationError(errors)

    def takes_enrolments(self, today=None):
        return (today or timezone.localdate()) <= self.enrolment_deadline

    def reaches(self, enterprise):
        """Whether ``enterprise`` lies in the organising bureau's area (its officer may enrol)."""
        return enterprise.organisation.path.startswith(self.organisation.path)


class Enrolment(ScopedModelMixin):
    """An officer enrolled in a training, by the enterprise (portal) or the bureau (admin), and attendance."""

    scope_lookup = "training__organisation"

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.CASCADE, related_name="enrolments"
    )
    officer = models.ForeignKey(
        "registry.ChiefQualityOfficer", verbose_name=_("officer"), on_delete=models.CASCADE, related_name="+"
    )
    attended = models.BooleanField(_("attended"), default=False)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("enrolled"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "officer"],
                name="training_one_enrolment_per_officer",
                violation_error_message=_("This officer is already enrolled in this training."),
            )
        ]

    def __str__(self):
        return f"{self.officer.real_name} · {self.training.title}"

    def clean(self):
        super().clean()
        if not (self.training_id and self.officer_id):
            return
        if not self.officer.is_approved:
            raise ValidationError({"officer": _("Only an approved officer can be enrolled.")})
        if not self.training.reaches(self.officer.enterprise):
            raise ValidationError({"officer": _("The officer's enterprise lies outside the organising bureau's area.")})
        if self._state.adding:
            taken = Enrolment.unscoped.filter(training=self.training).count()
            if taken >= self.training.capacity:
                raise ValidationError({"training": _("The training is full.")})


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")


LETTERS = "ABCDEF"
#: The two options of a true-or-false question.
TRUE_FALSE_OPTIONS = [_("True"), _("False")]


class Question(ScopedModelMixin):
    """A question of a bureau's bank; ``answer`` is the letters of the right options ("A", "BD")."""

    organisation = models.ForeignKey(
        "registry.Organisation", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("type"), max_length=12, choices=QuestionKind.choices)
    topic = models.CharField(_("question topic"), max_length=64, db_index=True)
    text = models.TextField(_("question"))
    options = models.TextField(
        _("options"), blank=True, help_text=_("One option per line (A, B, C … in order); none for true or false.")
    )
    answer = models.CharField(
        _("answer"), max_length=6, help_text=_("The letters of the right options, e.g. A or BD; A (true) or B (false).")
    )
    active = models.BooleanField(_("in use"), default=True, help_text=_("Only questions in use are drawn."))

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["topic", "id"]
        indexes = [models.Index(fields=["organisation", "kind", "topic"], name="training_question_draw")]

    def __str__(self):
        return self.text[:60]

    def option_list(self):
        if self.kind == QuestionKind.TRUE_FALSE:
            return [str(option) for option in TRUE_FALSE_OPTIONS]
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.organisation_id:
            validate_organiser(self.organisation)
        problem = answer_problem(self.kind, self.option_list(), self.answer)
        if isinstance(problem, tuple):
            raise ValidationError({problem[0]: problem[1]})
        self.answer = problem


def answer_problem(kind, options, answer):
    """The answer normalised ("ca" → "AC"), or (field, message) when it does not fit the type and options."""
    letters = "".join(sorted(set(answer.upper().replace(",", "").replace("，", "").replace(" ", ""))))
    if kind != QuestionKind.TRUE_FALSE and not 2 <= len(options) <= len(LETTERS):
        return ("options", _("Give between 2 and 6 options, one per line."))
    allowed = LETTERS[: len(options)]
    if not letters or any(letter not in allowed for letter in letters):
        return ("answer", _("The answer must be letters among %(letters)s.") % {"letters": allowed})
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and len(letters) != 1:
        return ("answer", _("This type has exactly one right option."))
    if kind == QuestionKind.MULTIPLE and len(letters) < 2:
        return ("answer", _("A multiple-choice question has at least two right options."))
    return letters


class Exam(ScopedModelMixin, ClusterableModel):
    """The examination of a training: its paper is drawn per attempt from the organiser's bank by its rules."""

    scope_lookup = "training__organisation"

    training = models.ForeignKey(Training, verbose_name=_("training"), on_delete=models.CASCADE, related_name="exams")
    title = models.CharField(_("title"), max_length=128)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("time allowed (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(240)], default=60
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)], default=60
    )

    panels = [
        FieldPanel("training"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("pass_mark")]),
        InlinePanel("rules", min_num=1, label=_("Paper rule")),
    ]

    class Meta:
        verbose_name = _("examination")
        verbose_name_plural = _("examinations")
        ordering = ["-opens_at", "-id"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The exam must close after it opens.")})

    def is_open(self, now=None):
        return self.opens_at <= (now or timezone.now()) < self.closes_at


class ExamRule(models.Model):
    """Draw ``count`` questions of ``kind`` (on ``topic``, or any topic when blank), ``points`` each."""

    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("type"), max_length=12, choices=QuestionKind.choices)
    topic = models.CharField(_("question topic"), max_length=64, blank=True, help_text=_("Blank: any topic."))
    count = models.PositiveSmallIntegerField(
        _("number of questions"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    points = models.PositiveSmallIntegerField(_("points each"), default=1, validators=[MinValueValidator(1)])

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("topic"), FieldPanel("count"), FieldPanel("points")])]

    class Meta:
        verbose_name = _("paper rule")
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.topic} × {self.count}"


def new_token():
    return secrets.token_urlsafe(32)


class Attempt(ScopedModelMixin):
    """One sitting of an exam; its ``token`` in the exam's address is the officer's pass to the paper."""

    scope_lookup = "enrolment__training__organisation"

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="attempts"
    )
    exam = models.ForeignKey(Exam, verbose_name=_("examination"), on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    deadline = models.DateTimeField(_("time up"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("points scored"), null=True, blank=True)
    total = models.PositiveSmallIntegerField(_("points possible"), default=0)
    passed = models.BooleanField(_("passed"), null=True)

    class Meta:
        verbose_name = _("exam attempt")
        verbose_name_plural = _("exam attempts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "exam", "number"], name="training_one_attempt_per_number")
        ]

    def __str__(self):
        return f"{self.enrolment.officer.real_name} · {self.exam.title} #{self.number}"

    @property
    def percent(self):
        return round(100 * self.score / self.total) if self.total and self.score is not None else None

    def accepts_answers(self, now=None):
        now = now or timezone.now()
        return self.submitted_at is None and now <= self.deadline + timezone.timedelta(seconds=GRACE_SECONDS)


class PaperQuestion(models.Model):
    """A question of one attempt's paper, in order, and the answer given (saved as soon as it is chosen)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="paper")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(default=1)
    answer = models.CharField(max_length=6, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="training_paper_position")]

    def __str__(self):
        return f"{self.attempt_id}.{self.position}"


class Certificate(ScopedModelMixin):
    """A training certificate (培训合格证书): issued by the province on passing, valid to the end of the next year.

    Number format: ``CQO`` + the issuing province's two-digit GB/T 2260 code + ``-`` + the training year + ``-`` +
    a six-digit serial per province and year, e.g. ``CQO13-2026-000042``.
    """

    organisation = models.ForeignKey(
        "registry.Organisation", verbose_name=_("issuing bureau"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    officer = models.ForeignKey(
        "registry.ChiefQualityOfficer", verbose_name=_("holder"), on_delete=models.CASCADE, related_name="+"
    )
    holder_name = models.CharField(_("holder's name"), max_length=64)
    attempt = models.OneToOneField(
        Attempt, verbose_name=_("exam attempt"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    training = models.ForeignKey(Training, verbose_name=_("training"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    issued_on = models.DateField(_("issued"))
    valid_until = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True, editable=False)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-id"]

    def __str__(self):
        return self.number

    def status(self, today=None):
        if self.revoked_at:
            return "revoked"
        return "valid" if (today or timezone.localdate()) <= self.valid_until else "expired"


class CertificateSerial(models.Model):
    """The last serial a province gave in a year (taken under a row lock: numbers are never given twice)."""

    province = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="training_one_serial_per_year")]

    def __str__(self):
        return f"{self.province}-{self.year}: {self.last}"
