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
