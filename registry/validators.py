"""Validators for Chinese registration identifiers.

Each validator can be used directly as a Django field validator: it raises
``ValidationError`` on bad input and returns the normalised value, so forms
and services can also use it to clean what they store.  Messages are
bilingual (Chinese first, then English) because applicants and staff read
either language.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Full-width ASCII variants (U+FF01–U+FF5E) sit exactly 0xFEE0 above their
# half-width counterparts; Chinese input methods produce them routinely.
_FULLWIDTH_TO_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}

# GB 32100-2015: the code alphabet omits I, O, S, V and Z to avoid confusion
# with digits; each character's value is its index.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11643-1999 (ISO 7064 MOD 11-2).
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK_CHARS = "10X98765432"

# Optional country prefix, then a mainland mobile number.
_MOBILE_RE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")


def normalise(value: str) -> str:
    """Canonicalise identifier input typed with spaces or full-width characters.

    Removes every whitespace character (including the ideographic space
    U+3000 and inner spaces), folds full-width ASCII to half-width and
    upper-cases, so that equivalent inputs compare and store identically.
    """
    return "".join(value.translate(_FULLWIDTH_TO_HALFWIDTH).split()).upper()


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100-2015 check character for the first 17 characters."""
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Validate a unified social credit code (统一社会信用代码, GB 32100-2015)."""
    code = normalise(value)
    if len(code) != 18:
        raise ValidationError(
            _("The unified social credit code must be 18 characters (got %(length)d)"),
            code="uscc_length",
            params={"length": len(code)},
        )
    for position, char in enumerate(code, start=1):
        if char not in USCC_ALPHABET:
            raise ValidationError(
                _(
                    "Invalid character “%(character)s” at position %(position)d "
                    "of the unified social credit code (only digits and "
                    "upper-case letters except I, O, S, V, Z are allowed)"
                ),
                code="uscc_character",
                params={"character": char, "position": position},
            )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("The unified social credit code check character is wrong: expected “%(expected)s”, got “%(actual)s”"),
            code="uscc_checksum",
            params={"expected": expected, "actual": code[17]},
        )
    return code


def resident_id_check_char(first17: str) -> str:
    """Return the GB 11643-1999 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK_CHARS[total % 11]


def validate_resident_id(value: str) -> str:
    """Validate an 18-digit resident identity card number (GB 11643-1999).

    Besides the check character, the embedded birth date (digits 7-14) must
    be a real calendar date between 1900-01-01 and today, which catches most
    transcription errors that the checksum alone would let through.
    """
    number = normalise(value)
    if len(number) != 18:
        raise ValidationError(
            _("The resident identity card number must be 18 characters (got %(length)d)"),
            code="resident_id_length",
            params={"length": len(number)},
        )
    for position, char in enumerate(number, start=1):
        allowed = "0123456789X" if position == 18 else "0123456789"
        if char not in allowed:
            raise ValidationError(
                _(
                    "Invalid character “%(character)s” at position %(position)d "
                    "of the resident identity card number (the first 17 must be "
                    "digits, the last a digit or X)"
                ),
                code="resident_id_character",
                params={"character": char, "position": position},
            )
    birth = number[6:14]
    try:
        birth_date = datetime.datetime.strptime(birth, "%Y%m%d").date()
    except ValueError:
        raise ValidationError(
            _("The birth date “%(birth)s” in the resident identity card number is not a valid date"),
            code="resident_id_birth_date",
            params={"birth": birth},
        ) from None
    if birth_date.year < 1900:
        raise ValidationError(
            _("The birth date “%(birth)s” in the resident identity card number is before 1900"),
            code="resident_id_birth_date_too_early",
            params={"birth": birth},
        )
    if birth_date > datetime.date.today():
        raise ValidationError(
            _("The birth date “%(birth)s” in the resident identity card number is in the future"),
            code="resident_id_birth_date_future",
            params={"birth": birth},
        )
    expected = resident_id_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("The resident identity card number check character is wrong: expected “%(expected)s”, got “%(actual)s”"),
            code="resident_id_checksum",
            params={"expected": expected, "actual": number[17]},
        )
    return number


def validate_mobile(value: str) -> str:
    """Validate a mainland China mobile number and return its 11 digits.

    Accepts the forms people actually type: spaces, hyphens, full-width
    digits and a leading ``+86``/``86`` country code.
    """
    match = _MOBILE_RE.fullmatch(normalise(value).replace("-", ""))
    if match is None:
        raise ValidationError(
            _("The mobile number must be an 11-digit mainland China number starting with 1 followed by 3-9"),
            code="mobile_invalid",
        )
    return match.group(1)
