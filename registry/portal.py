"""Access to the portal areas that belong to an enterprise account (standards self-declaration, award applications)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def enterprise_required(view):
    """Only enterprise accounts: a visitor goes to the portal login, any other account is refused (403), since the
    login page would only offer it a second account. A superuser is refused too, whatever its kind: its reach is the
    whole country's (the scope policy gives it everything), so on the portal it would act on every enterprise's
    records as if they were its own."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.kind != user.Kind.ENTERPRISE or user.enterprise_id is None or user.is_superuser:
            raise PermissionDenied(_("Only enterprise accounts can use this area."))
        return view(request, *args, **kwargs)

    return wrapped
