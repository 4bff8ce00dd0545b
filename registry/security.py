"""Abuse controls shared by every flow: the client's address, rate limits, and the login lockout (django-axes)."""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

BASE_COOLOFF = timedelta(minutes=5)
MAX_COOLOFF = timedelta(hours=24)


# --- the client's address -------------------------------------------------------------------------------------


def _trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def trusted_proxies():
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]


def client_ip(request):
    """The visitor's address: ``REMOTE_ADDR``, or behind proxies in ``TRUSTED_PROXIES`` the ``X-Forwarded-For`` entry
    next to the last trusted hop, read right to left (the entries left of it are whatever the client sent).

    Every per-address limit (SMS sends, login lockout, "forgot" attempts) keys on this; behind nginx without it,
    every visitor would share the proxy's one bucket.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    networks = trusted_proxies()
    if not networks or not remote or not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a forged, malformed entry: count the request against the proxy
    return hops[0] if hops else remote


# --- rate limits ----------------------------------------------------------------------------------------------


def take(key, limit, window):
    """Count one event under ``key``; ``False`` (nothing counted) when ``limit`` events already fell in the window.

    The window (``window`` seconds) starts at its first event. Each step is a single conditional UPDATE or an
    INSERT on a unique key, so parallel requests in any worker cannot pass the limit together.
    """
    from .models import RateCounter

    now = timezone.now()
    key = key[:200]
    for _attempt in range(3):
        live = RateCounter.objects.filter(key=key, expires_at__gt=now)
        if live.filter(count__lt=limit).update(count=F("count") + 1):
            return True
        if live.exists():
            return False
        expires = now + timedelta(seconds=window)
        if RateCounter.objects.filter(key=key, expires_at__lte=now).update(count=1, expires_at=expires):
            return True
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, count=1, expires_at=expires)
        except IntegrityError:
            continue  # another request started the window: count against it
        RateCounter.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
        return True
    return False


# --- login lockout (django-axes) ------------------------------------------------------------------------------


def axes_cooloff(request=None):
    """Five minutes after the first lockout, doubling with each further round of failures."""
    failures = getattr(request, "axes_failures_since_start", None) or settings.AXES_FAILURE_LIMIT
    rounds = min(max(0, failures // settings.AXES_FAILURE_LIMIT - 1), 10)
    return min(BASE_COOLOFF * (2**rounds), MAX_COOLOFF)


def axes_username(request, credentials=None):
    """The lockout's key for a login attempt: the account's user name, whichever identifier spelled it.

    Without it django-axes keys on the raw text, and ``１３９００００００９５`` (full-width) or the account's mobile
    instead of its user name starts a fresh count, and signing in that way clears the lock.
    """
    from .backends import find_account, login_identifier

    field = settings.AXES_USERNAME_FORM_FIELD
    raw = credentials.get(field) if credentials else getattr(request, "POST", {}).get(field)
    identifier = login_identifier(raw if isinstance(raw, str) else "")
    account = find_account(identifier)
    return account.get_username() if account else identifier
