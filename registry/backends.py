"""Authentication by user name or, for administrators, by mobile number, on one normalised identifier.

The backend and the login lockout (``registry.security.axes_username``) read the identifier the same way, so no
spelling of an account's login (full-width digits, spaces around it, its mobile instead of its user name) reaches
the password check without also meeting that account's lockout.
"""

import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


def login_identifier(value):
    """What a login form's identifier means: NFKC-folded (``１３９…`` is ``139…``), trimmed; a number loses spaces."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    compact = "".join(text.split())
    return compact if compact.isascii() and compact.isdigit() else text


def find_account(identifier):
    """The account a normalised identifier names, by user name or mobile (``None`` when none does)."""
    if not identifier:
        return None
    User = get_user_model()
    return User.objects.filter(Q(username=identifier) | Q(mobile=identifier)).order_by("pk").first()


class MobileOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_account(login_identifier(username))
        if user is None:
            get_user_model()().set_password(password)  # same work as a real check, against timing probes
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
