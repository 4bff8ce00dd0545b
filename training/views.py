"""The portal side of training: the enterprise (or the officer's own account) enrols its officer and opens the
exam; the exam itself, reached by its attempt's secret address; the certificate PDF; the public verification.

Who sits the exam: the enterprise account, signed in on the portal, starts an attempt for its enrolled officer and
gets the attempt's address (a random token, shown as a link and a QR code for the officer's phone). The address is
the officer's pass to that one paper until it is submitted or its time is up; nothing else is reachable with it.
An officer with a portal account of their own (issued by the bureau) may start it the same way.
"""

import base64
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry.models import ChiefQualityOfficer, Organisation
from registry.params import query_text
from registry.policies import owned
from registry.security import client_ip, take

from . import services
from .models import LETTERS, Attempt, Certificate, Enrolment, Exam, PaperQuestion, QuestionKind, Training
from .pdf import certificate_response, qr_png

#: Verification look-ups a visitor may make per hour (a certificate holder checks a few; a scraper is stopped).
VERIFY_LIMIT = 30
VERIFY_WINDOW = 3600


def officer_account_required(view):
    """Enterprise accounts and officers' own accounts; a visitor goes to the portal login, others are refused."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        # The officers this account acts for (the scope policy's owners): its enterprise's, or its own record.
        officers = list(owned(request.user, ChiefQualityOfficer).select_related("enterprise__organisation"))
        if not officers:
            raise PermissionDenied(_("Only an enterprise account with a filed officer can use this area."))
        return view(request, officers, *args, **kwargs)

    return wrapped


def reaching(enterprise):
    """Trainings whose organiser's area holds ``enterprise``: organised by one of its bureau's ancestors."""
    path, step = enterprise.organisation.path, Organisation.steplen
    return Training.unscoped.filter(organisation__path__in=[path[:end] for end in range(step, len(path) + 1, step)])


@officer_account_required
def home(request, officers):
    today, now = timezone.localdate(), timezone.now()
    officer_ids = [officer.pk for officer in officers]
    enrolments = list(
        Enrolment.unscoped.filter(officer_id__in=officer_ids)
        .select_related("training", "officer")
        .prefetch_related(
            Prefetch("training__exams", queryset=Exam.unscoped.order_by("opens_at")),
            Prefetch("attempts", queryset=Attempt.unscoped.order_by("number")),
        )
        .order_by("-training__starts_on")
    )
    for enrolment in enrolments:
        enrolment.exam_rows = [exam_row(enrolment, exam, now) for exam in enrolment.training.exams.all()]
    enrolled = {(enrolment.training_id, enrolment.officer_id) for enrolment in enrolments}
    open_trainings = []
    for officer in officers:
        for training in (
            reaching(officer.enterprise).filter(enrolment_deadline__gte=today).select_related("organisation")
        ):
            if (training.pk, officer.pk) not in enrolled:
                open_trainings.append((training, officer))
    certificates = Certificate.unscoped.filter(officer_id__in=officer_ids).order_by("-year", "-id")
    return TemplateResponse(
        request,
        "training/home.html",
        {
            "officers": officers,
            "open_trainings": open_trainings,
            "enrolments": enrolments,
            "certificates": [(certificate, certificate.status(today)) for certificate in certificates],
        },
    )


def exam_row(enrolment, exam, now):
    """What the officer can do about ``exam``: its attempts, the running one's address, whether one may start."""
    attempts = [
        # One left open past its time (the phone went away) is marked now, with the answers it saved.
        services.finish(attempt, now) if attempt.submitted_at is None and not attempt.accepts_answers(now) else attempt
        for attempt in enrolment.attempts.all()
        if attempt.exam_id == exam.pk
    ]
    running = next((a for a in attempts if a.submitted_at is None), None)
    finished = [a for a in attempts if a.submitted_at is not None]
    may_start = enrolment.attended and exam.is_open(now) and services.another_allowed(attempts)
    return {"exam": exam, "attempts": finished, "running": running, "may_start": may_start}


@require_POST
@officer_account_required
def enrol(request, officers, pk):
    officer = next((o for o in officers if str(o.pk) == request.POST.get("officer")), None)
    if officer is None:
        raise Http404
    training = get_object_or_404(reaching(officer.enterprise), pk=pk)
    try:
        services.enrol(training, officer, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(officer)s is enrolled in %(training)s.") % {"officer": officer.real_name, "training": training.title},
        )
    return redirect("training:home")


@require_POST
@officer_account_required
def start(request, officers, pk, exam_pk):
    enrolment = get_object_or_404(Enrolment.unscoped, pk=pk, officer__in=officers)
    exam = get_object_or_404(Exam.unscoped, pk=exam_pk, training_id=enrolment.training_id)
    try:
        attempt = services.start(enrolment, exam)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("training:home")
    return redirect("training:ready", token=attempt.token)


def attempt_for(token):
    attempt = Attempt.unscoped.select_related("exam", "enrolment__officer__enterprise").filter(token=token).first()
    if attempt is None:
        raise Http404
    return attempt


@officer_account_required
def ready(request, officers, token):
    """The attempt's address for the officer's phone: a link and its QR code."""
    attempt = attempt_for(token)
    if attempt.enrolment.officer not in officers:
        raise Http404
    url = request.build_absolute_uri(reverse("training:exam", args=[token]))
    qr = "data:image/png;base64," + base64.b64encode(qr_png(url)).decode()
    return TemplateResponse(request, "training/ready.html", {"attempt": attempt, "url": url, "qr": qr})


def no_referrer(response):
    """The exam's address is its pass: never sent to another site (same-origin: its own forms keep their Origin)."""
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


def exam(request, token):
    attempt = attempt_for(token)
    now = timezone.now()
    if attempt.submitted_at is None and not attempt.accepts_answers(now):
        attempt = services.finish(attempt, now)
    if attempt.submitted_at is not None:
        certificate = Certificate.unscoped.filter(attempt=attempt).first()
        return no_referrer(
            TemplateResponse(request, "training/result.html", {"attempt": attempt, "certificate": certificate})
        )
    paper = PaperQuestion.objects.filter(attempt=attempt).select_related("question")
    questions = [
        {
            "position": item.position,
            "text": item.question.text,
            "points": item.points,
            "multiple": item.question.kind == QuestionKind.MULTIPLE,
            "kind": item.question.get_kind_display(),
            "options": [
                (LETTERS[i], option, LETTERS[i] in item.answer) for i, option in enumerate(item.question.option_list())
            ],
            "answered": bool(item.answer),
        }
        for item in paper
    ]
    remaining = max(0, int((attempt.deadline - now).total_seconds()))
    return no_referrer(
        TemplateResponse(
            request, "training/exam.html", {"attempt": attempt, "questions": questions, "remaining": remaining}
        )
    )


@require_POST
def answer(request, token):
    """One answer, saved as soon as it is chosen (the page's script posts each change; 409 when time is up)."""
    attempt = attempt_for(token)
    position = request.POST.get("position", "")
    letters = "".join(letter for letter in request.POST.get("answer", "") if letter in LETTERS)
    if not position.isdigit() or int(position) > 1000:
        return JsonResponse({"error": _("No such question.")}, status=400)
    if not services.save_answer(attempt, int(position), letters):
        return JsonResponse({"error": _("The exam is over; this answer was not saved.")}, status=409)
    return JsonResponse({"saved": True})


@require_POST
def submit(request, token):
    """Hand in the paper: answers on the form are saved first (any a dropped connection kept back), then marked."""
    attempt = attempt_for(token)
    if attempt.accepts_answers():
        for item in PaperQuestion.objects.filter(attempt=attempt).only("position"):
            given = request.POST.getlist(f"q{item.position}")
            if given:
                services.save_answer(attempt, item.position, "".join(g for g in given if g in LETTERS))
    services.finish(attempt)
    return redirect("training:exam", token=token)


@officer_account_required
def certificate_pdf(request, officers, number):
    certificate = get_object_or_404(
        Certificate.unscoped.select_related("training", "organisation", "officer__enterprise"),
        number=number,
        officer__in=officers,
    )
    return certificate_response(request, certificate)


def verify(request):
    """Public: given a certificate number and its holder's name, whether it is valid, expired or revoked — and
    nothing else about the person. A wrong name and an unknown number answer alike (no probing for numbers)."""
    number = query_text(request, "number", max_length=20).upper()
    name = query_text(request, "name", max_length=64)
    status = None
    if number and name:
        if not take(f"training:verify:{client_ip(request)}", VERIFY_LIMIT, VERIFY_WINDOW):
            status = "limited"
        else:
            certificate = Certificate.unscoped.filter(number=number, holder_name=name).first()
            status = certificate.status() if certificate else "unknown"
    return TemplateResponse(request, "training/verify.html", {"number": number, "name": name, "status": status})
