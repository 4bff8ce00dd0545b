"""Login lockout back-off for django-axes."""

from datetime import timedelta

BASE_COOLOFF = timedelta(minutes=5)
MAX_COOLOFF = timedelta(hours=24)


def axes_cooloff(request=None):
    """Five minutes after the first lockout, doubling with each further round of failures."""
    from django.conf import settings

    failures = getattr(request, "axes_failures_since_start", None) or settings.AXES_FAILURE_LIMIT
    rounds = min(max(0, failures // settings.AXES_FAILURE_LIMIT - 1), 10)
    return min(BASE_COOLOFF * (2**rounds), MAX_COOLOFF)


def axes_username(request, credentials=None):
    """The lockout's key for a login attempt: the account's user name, whichever identifier spelled it.

    Without it django-axes keys on the raw text, and ``１３９００００００９５`` (full-width) or the account's mobile
    instead of its user name starts a fresh count, and signing in that way clears the lock.
    """
    from django.conf import settings

    from .backends import find_account, login_identifier

    field = settings.AXES_USERNAME_FORM_FIELD
    raw = credentials.get(field) if credentials else getattr(request, "POST", {}).get(field)
    identifier = login_identifier(raw if isinstance(raw, str) else "")
    account = find_account(identifier)
    return account.get_username() if account else identifier
