"""Who may see and act on filings and applications (the explicit rules beside registry scoping)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from registry.models import Organisation
from registry.policies import owns

from .models import ORGANISER, Application, OrganisationFiling, ReviewerAssignment


def association():
    """The award organiser, which reviews organisation filings."""
    return Organisation.objects.with_function(ORGANISER)


def organiser_name():
    """For messages to applicants: the organiser's name, or a generic one while no organisation has the function."""
    organiser = Organisation.objects.holding(ORGANISER)
    return organiser.name if organiser else _("the award organiser")


def _administers(user, organisation):
    """Whether ``user`` is an administrator of ``organisation`` or of a unit above it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_administrator and user.organisation is not None and organisation.is_within(user.organisation)


def can_review_filings(user):
    organiser = Organisation.objects.holding(ORGANISER)
    return user.is_superuser if organiser is None else _administers(user, organiser)


def is_organiser_admin(user, programme):
    return _administers(user, programme.organiser)


def is_recommender(user, application):
    unit = application.recommending_unit
    return unit is not None and _administers(user, unit)


def administered_applications(user):
    """Applications an administrator reaches once submitted (a draft is its enterprise's alone): all of programmes
    their unit organises, plus those that chose a recommending unit in their subtree. The application's policy
    (``viewsets.ApplicationPermissionPolicy``) reaches these, and :func:`administers_application` one of them."""
    queryset = Application.unscoped.exclude(state=Application.State.DRAFT)
    if user.is_superuser:
        return queryset
    if not (user.is_authenticated and user.is_administrator and user.organisation_id):
        return queryset.none()
    path = user.organisation.path
    return queryset.filter(Q(programme__organiser__path__startswith=path) | Q(recommending_unit__path__startswith=path))


def administers_application(user, application):
    """Whether ``application`` is one of :func:`administered_applications`."""
    if application.state == Application.State.DRAFT:
        return False
    return is_organiser_admin(user, application.programme) or is_recommender(user, application)


def assigned_applications(user):
    if not user.is_authenticated:
        return Application.unscoped.none()
    return Application.unscoped.filter(assignments__reviewer=user)


def reviewer_assignments(user):
    if not user.is_authenticated:
        return ReviewerAssignment.objects.none()
    return ReviewerAssignment.objects.filter(reviewer=user, application__state=Application.State.EXPERT_REVIEW)


def reviewable_filings(user):
    if can_review_filings(user):
        return OrganisationFiling.objects.all()
    return OrganisationFiling.objects.none()


def can_view_application(user, application):
    """Whether ``user`` may see ``application`` and every file it submitted: its enterprise's accounts; once
    submitted, the administrators it is routed to (organiser, recommending unit) and the experts assigned to it.
    The one rule behind the review pages, the expert sheet, the PDF and every ``/apply/files/`` download."""
    if not (user.is_authenticated and user.is_active):
        return False
    if owns(user, application) or administers_application(user, application):
        return True
    return application.state != Application.State.DRAFT and application.assignments.filter(reviewer=user).exists()
