"""Tests for registry.validators (no database needed)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from registry.validators import (
    normalise,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CJK = re.compile(r"[\u4e00-\u9fff]")


def with_uscc_check(body: str) -> str:
    """Append the GB 32100-2015 check character, computed independently."""
    assert len(body) == 17
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_ALPHABET[(31 - total % 31) % 31]


def with_id_check(body: str) -> str:
    """Append the GB 11643-1999 check character, computed independently."""
    assert len(body) == 17
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def assert_bilingual(error: ValidationError, *fragments: str) -> str:
    """The message is Chinese by default and English in English; each fragment is in one of the two."""
    (chinese,) = error.messages
    with translation.override("en"):
        (english,) = error.messages
    assert _CJK.search(chinese)
    assert not _CJK.search(english)
    for fragment in fragments:
        assert fragment in chinese or fragment in english
    return chinese


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91350100m000100y43", "91350100M000100Y43"),
        (" 9135 0100\tM000\n100Y43 ", "91350100M000100Y43"),
        ("ＡＢＣ\u3000１２３　ｄｅｆ", "ABC123DEF"),
        ("！＋－～", "!+-~"),
        ("\u00a0x\u3000", "X"),
        ("", ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


# Hand-checked: 91350100M000100Y43 sums to 1640 (1640 % 31 = 28, 31 - 28 = 3);
# 911100001000079554 sums to 616 (616 % 31 = 27, 31 - 27 = 4);
# 91310115MA1K4G8TB0 exercises the sum % 31 == 0 case (check char "0").
@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",
        "911100001000079554",
        "91310115MA1K4G8TB0",
        with_uscc_check("91110000100006669"),
        with_uscc_check("91440300MA5EXWHW8"),
        with_uscc_check("12100000400000624"),
        with_uscc_check("Y1350100MA2Y8PT3R"),
        with_uscc_check("N2110105MA00LQ8K7"),
    ],
)
def test_validate_uscc_accepts_valid_codes(code):
    assert with_uscc_check(code[:17]) == code
    assert validate_uscc(code) == code


@pytest.mark.parametrize(
    "raw",
    [
        "９１３５０１００Ｍ０００１００Ｙ４３",
        "９１３５\u3000０１００ｍ０００ １００ｙ４３",
        "91350100 m000100 y43",
    ],
)
def test_validate_uscc_normalises_input(raw):
    assert validate_uscc(raw) == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("raw", "code", "fragments"),
    [
        ("", "uscc_length", ["18", "(got 0)"]),
        ("91350100M000100Y4", "uscc_length", ["18", "(got 17)"]),
        ("91350100M000100Y433", "uscc_length", ["18", "(got 19)"]),
        ("91350100M000100I43", "uscc_character", ["“I”", "position 16", "第16位"]),
        ("O1350100M000100Y43", "uscc_character", ["“O”", "position 1", "第1位"]),
        ("91350100M000100Y4z", "uscc_character", ["“Z”", "position 18"]),
        ("9135010-M000100Y43", "uscc_character", ["“-”", "position 8"]),
        ("91350100M000100Y44", "uscc_checksum", ["expected “3”", "got “4”", "应为“3”"]),
        ("911100001000079550", "uscc_checksum", ["expected “4”"]),
    ],
)
def test_validate_uscc_rejects(raw, code, fragments):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(raw)
    assert exc.value.code == code
    assert_bilingual(exc.value, "统一社会信用代码", "unified social credit code", *fragments)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
        ("110105 19491231 002x", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        (with_id_check("44030520000229123"), with_id_check("44030520000229123")),
        (with_id_check("32010219000101001"), with_id_check("32010219000101001")),
    ],
)
def test_validate_resident_id_accepts(raw, expected):
    assert validate_resident_id(raw) == expected


def test_validate_resident_id_accepts_birth_today():
    today = datetime.date.today().strftime("%Y%m%d")
    number = with_id_check(f"110105{today}002")
    assert validate_resident_id(number) == number


def _future_id() -> str:
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    return with_id_check(f"110105{tomorrow:%Y%m%d}002")


@pytest.mark.parametrize(
    ("raw", "code", "fragments"),
    [
        ("110105491231002", "resident_id_length", ["18", "(got 15)"]),
        ("11010519491231002X1", "resident_id_length", ["(got 19)"]),
        ("1101051949123100X2", "resident_id_character", ["“X”", "position 17"]),
        ("11010519491231002A", "resident_id_character", ["“A”", "position 18"]),
        ("A1010519491231002X", "resident_id_character", ["“A”", "position 1", "第1位"]),
        (with_id_check("11010519900230002"), "resident_id_birth_date", ["“19900230”"]),
        (with_id_check("11010519000229002"), "resident_id_birth_date", ["“19000229”"]),
        (with_id_check("11010519901301002"), "resident_id_birth_date", ["“19901301”"]),
        (
            with_id_check("11010518991231002"),
            "resident_id_birth_date_too_early",
            ["“18991231”", "1900"],
        ),
        (_future_id(), "resident_id_birth_date_future", ["future"]),
        (
            "110105194912310021",
            "resident_id_checksum",
            ["expected “X”", "got “1”", "应为“X”"],
        ),
    ],
)
def test_validate_resident_id_rejects(raw, code, fragments):
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(raw)
    assert exc.value.code == code
    assert_bilingual(exc.value, "居民身份证号码", "resident identity card number", *fragments)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("+86-13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("86 15012345678", "15012345678"),
        ("＋８６　１３８１２３４５６７８", "13812345678"),
        ("１３８－１２３４－５６７８", "13812345678"),
    ],
)
def test_validate_mobile_accepts(raw, expected):
    assert validate_mobile(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "12812345678",
        "10012345678",
        "23812345678",
        "1381234567",
        "138123456789",
        "1381234567a",
        "+13812345678",
        "+8513812345678",
        "+86",
        "8612812345678",
        "+86+8613812345678",
        "010-12345678",
    ],
)
def test_validate_mobile_rejects(raw):
    with pytest.raises(ValidationError) as exc:
        validate_mobile(raw)
    assert exc.value.code == "mobile_invalid"
    assert_bilingual(exc.value, "手机号码", "mobile number")
