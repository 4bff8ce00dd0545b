"""The SMS code flow: send a six-digit code to a mobile number within rate limits, and check it once.

Any portal form that proves a mobile number uses it (``SMSCodeMixin``): the standards platform's accounts and the
award applicants' registration. Codes are stored hashed (``registry.models.SMSCode``).
"""

import datetime
import secrets

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import SMSCode
from .models.sms_codes import hash_code
from .security import take
from .sms import send_sms

CODE_LIFETIME = datetime.timedelta(minutes=getattr(settings, "SMS_CODE_MINUTES", 10))
MAX_FAILED_ATTEMPTS = 5
#: (scope, window in seconds, allowed sends)
RATE_LIMITS = [("mobile", 60, 1), ("mobile", 24 * 3600, 10), ("ip", 3600, 20)]


class SMSRateLimited(Exception):
    pass


def reserve_send(mobile, ip):
    """Count one code sent to ``mobile`` from ``ip``; raise SMSRateLimited past a limit (counters shared by all
    workers, registry.security.take). The address's limit is taken first, so a blocked network cannot use up a
    number's allowance."""
    for scope, window, allowed in sorted(RATE_LIMITS, key=lambda limit: limit[0] != "ip"):
        subject = mobile if scope == "mobile" else (ip or "unknown")
        if not take(f"sms:{scope}:{window}:{subject}", allowed, window):
            if scope == "ip":
                raise SMSRateLimited(_("Too many codes from this network, try later"))
            raise SMSRateLimited(_("Too many codes for this number, try later"))


def issue_code(mobile, purpose, ip=None, deliver=True):
    """Send a fresh code to ``mobile``; raise SMSRateLimited when the number or the IP sent too many.

    ``deliver=False`` counts against the same limits and sends nothing: the answer to a number no account has
    must be the same as to a registered one, limits included.
    """
    reserve_send(mobile, ip)
    if not deliver:
        return None
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    SMSCode.objects.filter(mobile=mobile, purpose=purpose, used_at__isnull=True).update(used_at=now)
    SMSCode.objects.create(
        mobile=mobile,
        purpose=purpose,
        code_hash=hash_code(mobile, purpose, code),
        expires_at=now + CODE_LIFETIME,
        ip=ip,
    )
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    text = _("[CQO Portal] Your code is %(code)s, valid for %(minutes)d minutes. Do not tell it to anyone.")
    send_sms(mobile, text % {"code": code, "minutes": minutes})
    return code


def check_code(mobile, purpose, code):
    """Whether ``code`` is the pending code for ``mobile``/``purpose``; a good code is used up.

    Each guess first takes one of the code's attempts in a single conditional UPDATE, so parallel guesses cannot
    share an attempt and, past the limit, even the right code fails; a right code is then consumed by a second
    conditional UPDATE, which only one of two parallel requests wins.
    """
    now = timezone.now()
    pending = (
        SMSCode.objects.filter(mobile=mobile, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if pending is None:
        return False
    attempt = SMSCode.objects.filter(pk=pending.pk, failed_attempts__lt=MAX_FAILED_ATTEMPTS)
    if not attempt.update(failed_attempts=F("failed_attempts") + 1) or not pending.matches((code or "").strip()):
        return False
    return bool(SMSCode.objects.filter(pk=pending.pk, used_at__isnull=True).update(used_at=now))


CODE_ERROR = gettext_lazy("The SMS code is wrong or has expired")


class SMSCodeMixin:
    """Checks ``sms_code`` for ``self.code_mobile()`` last, so a typo elsewhere does not burn the code."""

    sms_purpose = None

    def code_mobile(self):
        return self.cleaned_data.get("mobile")

    def check_sms_code(self):
        mobile = self.code_mobile()
        if self.errors or not mobile:
            return
        if not check_code(mobile, self.sms_purpose, self.cleaned_data.get("sms_code")):
            self.add_error("sms_code", CODE_ERROR)
