"""What happens in training, one function per step: enrol, draw a paper, save an answer, submit and mark,
issue and revoke certificates. Views (portal and admin), demo data and tests all go through these."""

import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Organisation, certificate_expiry

from .models import (
    MAX_ATTEMPTS,
    Attempt,
    Certificate,
    CertificateSerial,
    Enrolment,
    PaperQuestion,
    Question,
)


def enrol(training, officer, user, *, by_bureau=False):
    """Enrol ``officer``; an enterprise must do it by the deadline, a bureau may add a late-comer."""
    if not by_bureau and not training.takes_enrolments():
        raise ValidationError(_("Enrolment for this training has closed."))
    enrolment = Enrolment(training=training, officer=officer, enrolled_by=user)
    with transaction.atomic():
        # The training row lock orders concurrent enrolments, so the capacity check cannot be passed twice.
        type(training).unscoped.select_for_update().filter(pk=training.pk).first()
        enrolment.full_clean()
        enrolment.save()
    return enrolment


def draw(exam):
    """Questions for one paper by the exam's rules: (question, points), without repeats, in rule order.

    Drawn from the organiser's bank and those of the bureaus above it (a city's exam may use the province's bank).
    Raises ValidationError when the banks hold too few questions for a rule.
    """
    path, step = exam.training.organisation.path, Organisation.steplen
    banks = Organisation.objects.filter(path__in=[path[:end] for end in range(step, len(path) + 1, step)])
    chosen, seen = [], set()
    for rule in exam.rules.all():
        pool = Question.unscoped.filter(organisation__in=banks, kind=rule.kind, active=True)
        if rule.topic:
            pool = pool.filter(topic=rule.topic)
        ids = [pk for pk in pool.values_list("pk", flat=True) if pk not in seen]
        if len(ids) < rule.count:
            raise ValidationError(
                _("The question bank holds %(have)d questions for “%(rule)s”, the paper needs %(need)d.")
                % {"have": len(ids), "need": rule.count, "rule": f"{rule.get_kind_display()} {rule.topic}".strip()}
            )
        picked = random.SystemRandom().sample(ids, rule.count)
        seen.update(picked)
        chosen += [(pk, rule.points) for pk in picked]
    return chosen


def attempts_left(enrolment, exam):
    return another_allowed(Attempt.unscoped.filter(enrolment=enrolment, exam=exam))


def another_allowed(attempts):
    """Whether another attempt may start after ``attempts`` (of one officer at one exam): none yet, or one failed
    (one retake), and none still open."""
    attempts = list(attempts)
    if any(attempt.submitted_at is None for attempt in attempts):
        return False
    return len(attempts) < MAX_ATTEMPTS and not any(attempt.passed for attempt in attempts)


def start(enrolment, exam, now=None):
    """A new attempt with its paper drawn, or the attempt already running; ValidationError when none may start."""
    now = now or timezone.now()
    running = Attempt.unscoped.filter(enrolment=enrolment, exam=exam, submitted_at__isnull=True).first()
    if running is not None:
        if running.accepts_answers(now):
            return running
        finish(running)
    if exam.training_id != enrolment.training_id:
        raise ValidationError(_("This exam belongs to another training."))
    if not enrolment.attended:
        raise ValidationError(_("The exam is open to officers whose attendance was recorded."))
    if not exam.is_open(now):
        raise ValidationError(_("The exam is not open now."))
    if not attempts_left(enrolment, exam):
        raise ValidationError(_("No attempt is left: the exam may be retaken once, after a fail."))
    paper = draw(exam)
    number = Attempt.unscoped.filter(enrolment=enrolment, exam=exam).count() + 1
    deadline = min(now + timezone.timedelta(minutes=exam.duration_minutes), exam.closes_at)
    with transaction.atomic():
        attempt = Attempt.unscoped.create(
            enrolment=enrolment, exam=exam, number=number, deadline=deadline, total=sum(p for _q, p in paper)
        )
        PaperQuestion.objects.bulk_create(
            PaperQuestion(attempt=attempt, position=position, question_id=pk, points=points)
            for position, (pk, points) in enumerate(paper, start=1)
        )
    return attempt


def save_answer(attempt, position, letters, now=None):
    """Keep one answer as soon as it is chosen; False when the attempt no longer takes answers."""
    if not attempt.accepts_answers(now):
        return False
    letters = "".join(sorted(set(letters.upper())))[:6]
    return bool(PaperQuestion.objects.filter(attempt=attempt, position=position).update(answer=letters))


def finish(attempt, now=None):
    """Submit and mark ``attempt`` once: of two submissions (two tabs, a retry), the second finds it done.

    A pass issues the certificate. Returns the attempt as marked.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if not Attempt.unscoped.filter(pk=attempt.pk, submitted_at__isnull=True).update(submitted_at=now):
            return Attempt.unscoped.get(pk=attempt.pk)
        paper = PaperQuestion.objects.filter(attempt=attempt).values_list("answer", "question__answer", "points")
        score = sum(points for given, right, points in paper if given and given == right)
        attempt = Attempt.unscoped.select_related("exam__training__organisation", "enrolment__officer").get(
            pk=attempt.pk
        )
        attempt.score = score
        attempt.passed = bool(attempt.total) and score * 100 >= attempt.exam.pass_mark * attempt.total
        attempt.save(update_fields=["score", "passed"])
        if attempt.passed:
            issue(attempt.enrolment, attempt=attempt, today=timezone.localdate(now))
    return attempt


def issuing_province(organisation):
    """The provincial bureau above (or at) a training's organiser: certificates are the province's."""
    code = organisation.division_id[:2] + "0000"
    return Organisation.objects.get(division_id=code)


def next_number(province_code, year):
    """The next certificate number for a province and year (documented on :class:`Certificate`)."""
    with transaction.atomic():
        serial, _created = CertificateSerial.objects.get_or_create(province=province_code, year=year)
        CertificateSerial.objects.filter(pk=serial.pk).update(last=F("last") + 1)
        last = CertificateSerial.objects.select_for_update().values_list("last", flat=True).get(pk=serial.pk)
    return f"CQO{province_code}-{year}-{last:06d}"


def issue(enrolment, attempt=None, today=None):
    """Issue the certificate of ``enrolment``'s training and write it onto the officer's record."""
    today = today or timezone.localdate()
    training = enrolment.training
    officer = enrolment.officer
    province = issuing_province(training.organisation)
    certificate = Certificate.unscoped.create(
        organisation=province,
        number=next_number(province.division_id[:2], training.year),
        officer=officer,
        holder_name=officer.real_name,
        attempt=attempt,
        training=training,
        year=training.year,
        issued_on=today,
        valid_until=certificate_expiry(training.year),
    )
    write_onto_officer(officer)
    return certificate


def revoke(certificate, reason, now=None):
    """Revoke a certificate: its holder leaves the talent pool at once (the officer record is saved)."""
    Certificate.unscoped.filter(pk=certificate.pk).update(revoked_at=now or timezone.now(), revoke_reason=reason)
    write_onto_officer(certificate.officer)


def write_onto_officer(officer):
    """Copy the officer's latest certificate (number, issuer, validity, revocation) onto the registry record.

    The latest one decides: a revoked renewal is not rescued by last year's certificate. Saved with ``save`` so the
    public page cache sees the change.
    """
    latest = (
        Certificate.unscoped.filter(officer=officer).select_related("organisation").order_by("-year", "-id").first()
    )
    officer.refresh_from_db()
    if latest is None:
        officer.certificate_valid_until = officer.certificate_revoked_at = None
    else:
        officer.training_certificate_number = latest.number
        officer.training_certificate_issuer = latest.organisation.name
        officer.certificate_valid_until = latest.valid_until
        officer.certificate_revoked_at = latest.revoked_at
    officer.save(update_fields=list(officer.CERTIFICATE_FIELDS))
