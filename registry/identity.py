"""Identity documents: the one place that knows each document type's number format (seed 003, issue 24 item 7).

Officers and legal representatives may hold a mainland resident ID, a residence permit or a mainland travel permit
of a Hong Kong, Macau or Taiwan resident, or a passport. ``validate_document(kind, value)`` checks a number against
its type and returns it as stored (a 15-digit resident ID comes back in its 18-digit form); ``comparable`` is the
form two numbers are compared in, so a registry still holding an old 15-digit number matches the 18-digit one.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import normalise, resident_id_check_char, validate_resident_id


class DocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit for Hong Kong, Macau and Taiwan residents")
    HK_MACAU_PERMIT = "hk_macau_permit", _("Mainland travel permit for Hong Kong and Macau residents")
    TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
    PASSPORT = "passport", _("Passport")


#: Residence permits carry these in place of a province code: Hong Kong, Macau, Taiwan (GB/T 2260 reserves them).
RESIDENCE_PERMIT_PREFIXES = ("81", "82", "83")

_LEGACY_RESIDENT_ID = re.compile(r"\d{15}")


def upgrade_legacy_resident_id(number):
    """The 18-digit form of a first-generation 15-digit resident ID (GB 11643-1989): the century "19" goes before
    the two-digit birth year and the check character after, exactly how the 1999 cards renumbered them."""
    first17 = f"{number[:6]}19{number[6:]}"
    return first17 + resident_id_check_char(first17)


def _resident_id(number):
    if number[:2] in RESIDENCE_PERMIT_PREFIXES and len(number) == 18:
        raise ValidationError(
            _(
                "A number starting with %(prefix)s is a residence permit for Hong Kong, Macau or Taiwan "
                "residents: choose that document type."
            ),
            code="resident_id_is_permit",
            params={"prefix": number[:2]},
        )
    if _LEGACY_RESIDENT_ID.fullmatch(number):
        try:
            datetime.date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
        except ValueError:
            raise ValidationError(
                _("The birth date “19%(birth)s” in the 15-digit resident ID number is not a valid date."),
                code="resident_id_birth_date",
                params={"birth": number[6:12]},
            ) from None
        return upgrade_legacy_resident_id(number)
    if len(number) not in (15, 18):
        raise ValidationError(
            _("A resident ID number has 18 characters (or 15 digits on an old card); this one has %(length)d."),
            code="resident_id_length",
            params={"length": len(number)},
        )
    return validate_resident_id(number)


def _residence_permit(number):
    if len(number) != 18:
        raise ValidationError(
            _("A residence permit number has 18 characters; this one has %(length)d."),
            code="residence_permit_length",
            params={"length": len(number)},
        )
    if number[:2] not in RESIDENCE_PERMIT_PREFIXES:
        raise ValidationError(
            _(
                "A residence permit number starts with 81 (Hong Kong), 82 (Macau) or 83 (Taiwan); a mainland "
                "resident ID is its own document type."
            ),
            code="residence_permit_prefix",
        )
    # The rest follows GB 11643 like a resident ID: digits, a real birth date and the same check character.
    return validate_resident_id(number)


def _format(pattern, message, code):
    """A validator for a document whose number is only checked by its form (permits and passports)."""

    def check(number):
        if not pattern.fullmatch(number):
            raise ValidationError(message, code=code)
        return number

    return check


_VALIDATORS = {
    DocumentType.RESIDENT_ID: _resident_id,
    DocumentType.RESIDENCE_PERMIT: _residence_permit,
    DocumentType.HK_MACAU_PERMIT: _format(
        re.compile(r"[HM](\d{8}|\d{10})"),
        _(
            "A mainland travel permit for Hong Kong and Macau residents is H (Hong Kong) or M (Macau) followed by 8 "
            "digits (10 on older permits), for example H12345678."
        ),
        "hk_macau_permit_format",
    ),
    DocumentType.TAIWAN_PERMIT: _format(
        re.compile(r"\d{8}|\d{10}"),
        _("A mainland travel permit for Taiwan residents has 8 digits (10 on older permits), for example 12345678."),
        "taiwan_permit_format",
    ),
    DocumentType.PASSPORT: _format(
        re.compile(r"[A-Z0-9]{5,17}"),
        _("A passport number has 5 to 17 letters and digits (as printed on the passport's photo page)."),
        "passport_format",
    ),
}


def validate_document(document_type, value):
    """``value`` checked as a number of ``document_type`` (a resident ID when none is given), as stored."""
    number = normalise(value or "")
    # Old Taiwan permits print a reissue letter in brackets, "1234567890(B)": the number is the digits.
    if document_type == DocumentType.TAIWAN_PERMIT:
        number = re.sub(r"[(（][A-Z][)）]$", "", number)
    return _VALIDATORS[document_type or DocumentType.RESIDENT_ID](number)


def birth_date(document_type, number):
    """The birth date a resident ID or residence permit carries (digits 7-14); ``None`` for other documents."""
    if document_type not in (DocumentType.RESIDENT_ID, DocumentType.RESIDENCE_PERMIT, "", None) or len(number) != 18:
        return None
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def comparable(value):
    """A document number in the form two numbers are compared in: normalised, and a resident ID of someone born in
    the 1900s reduced to its 15-digit form (drop the century and the check character), so the old card and the new
    one compare equal (seed 002 FAQ 4). Passports and permits compare as typed, normalised."""
    number = normalise(value or "")
    if re.fullmatch(r"\d{17}[\dX]", number) and number[6:8] == "19":
        return number[:6] + number[8:17]
    return number
