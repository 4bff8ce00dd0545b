"""Enterprise size classification (大型/中型/小型/微型).

Implements 国家统计局《统计上大中小微型企业划分办法（2017）》 (国统字〔2017〕213号)
for industry codes of GB/T 4754-2017 《国民经济行业分类》.  Revenue (营业收入) and
total assets (资产总额) are in 万元 (10,000 CNY); employees (从业人员) in persons.

Large, medium and small enterprises must reach *every* lower bound of their
row, otherwise they drop one band; whatever does not reach "small" is micro.

The standard lists no thresholds for 铁路运输业 (division 53), 金融业 (J),
房地产租赁经营 (7040), 教育 (P), 居民服务、修理和其他服务业 (S) or
国际组织 (T).  We deliberately classify these with the 其他未列明行业 row
(employees only) rather than refuse them, so every GB/T 4754-2017 code gets
an answer.
"""

from typing import NamedTuple

LARGE, MEDIUM, SMALL, MICRO = "large", "medium", "small", "micro"
BANDS = (LARGE, MEDIUM, SMALL)

INDICATOR_LABELS = {
    "employees": "从业人员",
    "revenue": "营业收入",
    "assets": "资产总额",
}


class Row(NamedTuple):
    """One row of the standard: the codes it covers and its lower bounds.

    ``bounds`` maps an indicator to its (large, medium, small) lower bounds.
    """

    name: str
    prefixes: tuple[str, ...]
    bounds: dict[str, tuple[int, int, int]]


def _divisions(first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{division:02d}" for division in range(first, last + 1))


# GB/T 4754-2017 sections (门类) and the divisions (大类) they contain.
SECTIONS = {
    "A": _divisions(1, 5),
    "B": _divisions(6, 12),
    "C": _divisions(13, 43),
    "D": _divisions(44, 46),
    "E": _divisions(47, 50),
    "F": _divisions(51, 52),
    "G": _divisions(53, 60),
    "H": _divisions(61, 62),
    "I": _divisions(63, 65),
    "J": _divisions(66, 69),
    "K": _divisions(70, 70),
    "L": _divisions(71, 72),
    "M": _divisions(73, 75),
    "N": _divisions(76, 79),
    "O": _divisions(80, 82),
    "P": _divisions(83, 83),
    "Q": _divisions(84, 85),
    "R": _divisions(86, 90),
    "S": _divisions(91, 96),
    "T": _divisions(97, 97),
}
_KNOWN_DIVISIONS = frozenset(d for divisions in SECTIONS.values() for d in divisions)

# Fallback for any code no other row's prefix matches.
OTHER = Row("其他未列明行业", (), {"employees": (300, 100, 10)})

# Prefixes are GB/T 4754-2017 division (2-digit) or group (3-digit) codes; the
# longest matching prefix wins.  房地产开发经营 and 物业管理 are classes 7010
# and 7020, each the only class of groups 701 and 702.
ROWS = (
    Row("农、林、牧、渔业", _divisions(1, 5), {"revenue": (20000, 500, 50)}),
    Row(
        "工业",
        _divisions(6, 46),
        {"employees": (1000, 300, 20), "revenue": (40000, 2000, 300)},
    ),
    Row(
        "建筑业",
        _divisions(47, 50),
        {"revenue": (80000, 6000, 300), "assets": (80000, 5000, 300)},
    ),
    Row("批发业", ("51",), {"employees": (200, 20, 5), "revenue": (40000, 5000, 1000)}),
    Row("零售业", ("52",), {"employees": (300, 50, 10), "revenue": (20000, 500, 100)}),
    Row(
        "交通运输业",
        ("54", "55", "56", "57", "58", "591"),
        {"employees": (1000, 300, 20), "revenue": (30000, 3000, 200)},
    ),
    Row(
        "仓储业",
        tuple(f"59{group}" for group in range(2, 10)),
        {"employees": (200, 100, 20), "revenue": (30000, 1000, 100)},
    ),
    Row("邮政业", ("60",), {"employees": (1000, 300, 20), "revenue": (30000, 2000, 100)}),
    Row("住宿业", ("61",), {"employees": (300, 100, 10), "revenue": (10000, 2000, 100)}),
    Row("餐饮业", ("62",), {"employees": (300, 100, 10), "revenue": (10000, 2000, 100)}),
    Row(
        "信息传输业",
        ("63", "64"),
        {"employees": (2000, 100, 10), "revenue": (100000, 1000, 100)},
    ),
    Row(
        "软件和信息技术服务业",
        ("65",),
        {"employees": (300, 100, 10), "revenue": (10000, 1000, 50)},
    ),
    Row(
        "房地产开发经营",
        ("701",),
        {"revenue": (200000, 1000, 100), "assets": (10000, 5000, 2000)},
    ),
    Row(
        "物业管理",
        ("702",),
        {"employees": (1000, 300, 100), "revenue": (5000, 1000, 500)},
    ),
    Row(
        "租赁和商务服务业",
        ("71", "72"),
        {"employees": (300, 100, 10), "assets": (120000, 8000, 100)},
    ),
    OTHER,
)


def _rows_under(code: str) -> dict[str, Row]:
    """Rows (by name) that a numeric code or any finer code beneath it falls into."""
    covering = [(p, row) for row in ROWS for p in row.prefixes if code.startswith(p)]
    own = max(covering, key=lambda match: len(match[0]))[1] if covering else OTHER
    rows = {own.name: own}
    rows.update((row.name, row) for row in ROWS for p in row.prefixes if len(p) > len(code) and p.startswith(code))
    return rows


def find_row(industry_code: str) -> Row:
    """Return the row of the standard that applies to a GB/T 4754-2017 code.

    Accepts a section letter or a 2-, 3- or 4-digit division, group or class
    code.  Only the division is checked against the classification; finer
    digits are trusted.  Raises ``ValueError`` for unknown codes and for codes
    spanning several rows (e.g. "F", "59", "70"), which need a finer code.
    """
    code = str(industry_code).strip().upper()
    if code in SECTIONS:
        numeric_codes = SECTIONS[code]
    elif code.isascii() and code.isdigit() and 2 <= len(code) <= 4 and code[:2] in _KNOWN_DIVISIONS:
        numeric_codes = (code,)
    else:
        raise ValueError(f"Unknown GB/T 4754-2017 industry code: {code!r}")
    rows = {}
    for numeric_code in numeric_codes:
        rows.update(_rows_under(numeric_code))
    if len(rows) > 1:
        names = "、".join(rows)
        raise ValueError(
            f"Industry code {code} spans several size-classification rows ({names}); a more specific code is needed"
        )
    (row,) = rows.values()
    return row


def classify(
    industry_code: str,
    *,
    employees: float | None = None,
    revenue: float | None = None,
    assets: float | None = None,
) -> str:
    """Return "large", "medium", "small" or "micro" for an enterprise.

    Only the indicators the industry's row uses are required; a missing one
    raises ``ValueError`` so callers never get a silently optimistic band.
    """
    row = find_row(industry_code)
    values = {"employees": employees, "revenue": revenue, "assets": assets}
    for indicator in row.bounds:
        if values[indicator] is None:
            raise ValueError(
                f"Classifying {row.name} requires the {indicator!r} indicator ({INDICATOR_LABELS[indicator]})"
            )
    for index, band in enumerate(BANDS):
        if all(values[ind] >= bounds[index] for ind, bounds in row.bounds.items()):
            return band
    return MICRO
