"""Rules shared by the views: registry matching, SMS codes and their rate limits, publishing."""

import datetime
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from registry.mail import language_of
from registry.models import Enterprise
from registry.security import take
from registry.sms import send_sms
from registry.validators import _FULLWIDTH_TO_HALFWIDTH

from .models import DisclosedStandard, EnterpriseProfile, SMSCode
from .models.accounts import hash_code
from .models.disclosures import pledge_text

# --- matching against the enterprise registry (seed 002 §2.1 and FAQ 1-6) --------------------------

_EXTRA_FOLDS = str.maketrans({"\u3000": " ", "（": "(", "）": ")", "－": "-", "—": "-", "#": ""})
_PROVINCE_PREFIX = re.compile(
    r"^(北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|"
    r"贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门)(省|市|自治区|壮族自治区|回族自治区|"
    r"维吾尔自治区|特别行政区)?"
)


def fold(value):
    """Compare-form of registry text: half-width brackets and digits, no spaces or '#', upper case."""
    return "".join((value or "").translate(_FULLWIDTH_TO_HALFWIDTH).translate(_EXTRA_FOLDS).split()).upper()


def fold_address(value):
    """Addresses also match without the province prefix people leave out (FAQ 1)."""
    return _PROVINCE_PREFIX.sub("", fold(value), count=1)


def fold_document_number(value):
    """A legal representative's document number as compared: a resident ID in its 15-digit form, so the old
    15-digit card matches the 18-digit number (FAQ 4: drop the century's two digits and the check character);
    passports and Hong Kong/Macau/Taiwan permits as folded."""
    folded = fold(value)
    if re.fullmatch(r"\d{17}[\dX]", folded) and folded[6:8] == "19":
        return folded[:6] + folded[8:17]
    return folded


def organisation_code(uscc):
    """The 9-character organisation code embedded in a USCC (characters 9-17)."""
    return uscc[8:17]


def find_enterprise(code):
    """The registry record for a USCC or an old organisation code (with or without its hyphen)."""
    code = fold(code).replace("-", "")
    if len(code) == 18:
        return Enterprise.unscoped.filter(uscc=code).first()
    if len(code) == 9:
        return Enterprise.unscoped.filter(uscc__regex=rf"^.{{8}}{re.escape(code)}.$").first()
    return None


MATCHED_FIELDS = [
    ("name", "name", fold, gettext_lazy("The enterprise name differs from the registry")),
    (
        "legal_representative",
        "legal_representative",
        fold,
        gettext_lazy("The legal representative differs from the registry"),
    ),
    (
        "legal_representative_id_number",
        "legal_representative_id_number",
        fold_document_number,
        gettext_lazy("The legal representative's ID number differs from the registry"),
    ),
    (
        "registered_address",
        "registered_address",
        fold_address,
        gettext_lazy("The registered address differs from the registry"),
    ),
]


def match_enterprise(data):
    """Return (enterprise, errors) where errors maps form field → bilingual message naming the field."""
    enterprise = find_enterprise(data.get("code", ""))
    if enterprise is None:
        return None, {
            "code": _(
                "This code is well-formed, but no enterprise with it is in the registry. Check that it is your "
                "enterprise's code; if it is, ask your county market-regulation bureau to add the enterprise."
            )
        }
    errors = {}
    for field, attribute, compare, message in MATCHED_FIELDS:
        if compare(data.get(field, "")) != compare(getattr(enterprise, attribute)):
            errors[field] = message
    return enterprise, errors


# --- SMS codes ------------------------------------------------------------------------------------

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
        if not take(f"standards:sms:{scope}:{window}:{subject}", allowed, window):
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


# --- publishing -----------------------------------------------------------------------------------


@transaction.atomic
def publish(standard, user, now=None):
    """Submit = publish at once (self-declaration, no review), snapshotting the enterprise details."""
    now = now or timezone.now()
    profile = EnterpriseProfile.for_user(user) if user and user.enterprise_id == standard.enterprise_id else None
    enterprise = standard.enterprise
    standard.enterprise_name = profile.enterprise_name if profile else enterprise.name
    standard.legal_representative = profile.legal_representative if profile else enterprise.legal_representative
    standard.registered_address = profile.registered_address if profile else enterprise.registered_address
    standard.enterprise_uscc = enterprise.uscc
    standard.region_id = enterprise.region_id
    standard.pledge = pledge_text(standard.kind, standard.enterprise_name, standard.number, standard.name)
    if not standard.is_published:
        standard.status = DisclosedStandard.Status.PUBLISHED
        standard.published_at = now
    standard.save()
    log(standard, "wagtail.publish", user=user)  # the audit trail of the regulators above the enterprise
    return standard


def send_due_reminders(now=None):
    """Ask enterprises whose standard was published two years ago to continue or abolish it."""
    from .models.disclosures import REMINDER_AFTER

    now = now or timezone.now()
    due = DisclosedStandard.unscoped.published().filter(
        abolished_at__isnull=True, reminder_sent_at__isnull=True, published_at__lte=now - REMINDER_AFTER
    )
    count = 0
    for standard in due.select_related("enterprise"):
        for account in (
            standard.enterprise.accounts.filter(is_active=True)
            .exclude(mobile=None)
            .select_related("wagtail_userprofile")
        ):
            with translation.override(language_of(account)):
                text = _(
                    "[CQO Portal] The standard %(number)s “%(name)s” you published two years ago: log in to confirm "
                    "it is still in use, or abolish it."
                ) % {"number": standard.number, "name": standard.name}
            send_sms(account.mobile, text)
        standard.reminder_sent_at = now
        standard.save(update_fields=["reminder_sent_at"])
        count += 1
    return count
