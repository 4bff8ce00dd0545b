"""Rules shared by the views: registry matching and publishing (SMS codes: registry.sms_codes)."""

import re

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from registry import identity
from registry.mail import language_of
from registry.models import Enterprise
from registry.sms import send_sms
from registry.validators import _FULLWIDTH_TO_HALFWIDTH

from .models import DisclosedStandard, EnterpriseProfile
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
        identity.comparable,
        gettext_lazy("The legal representative's ID number differs from the registry"),
    ),
    (
        "registered_address",
        "registered_address",
        fold_address,
        gettext_lazy("The registered address differs from the registry"),
    ),
]


def unrecorded_fields(enterprise):
    """The matched details the registry does not hold for ``enterprise`` (most records lack the legal
    representative's document): they cannot be compared, so the applicant proves them by documents instead."""
    return [field for field, attribute, _compare, _message in MATCHED_FIELDS if not getattr(enterprise, attribute)]


def match_enterprise(data):
    """Return (enterprise, errors) where errors maps form field → bilingual message naming the field; details the
    registry lacks (``unrecorded_fields``) are not compared."""
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
        recorded = getattr(enterprise, attribute)
        if recorded and compare(data.get(field, "")) != compare(recorded):
            errors[field] = message
    return enterprise, errors


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
