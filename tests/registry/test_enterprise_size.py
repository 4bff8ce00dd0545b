"""Tests for registry.enterprise_size against the 2017 statistical standard."""

import pytest

from registry.enterprise_size import classify, find_row

BANDS = ["large", "medium", "small", "micro"]

# An independent transcription of 统计上大中小微型企业划分办法（2017）:
# (row name, a representative class code, {indicator: (large, medium, small)}).
STANDARD = [
    ("农、林、牧、渔业", "0111", {"revenue": (20000, 500, 50)}),
    ("工业", "3311", {"employees": (1000, 300, 20), "revenue": (40000, 2000, 300)}),
    ("建筑业", "4710", {"revenue": (80000, 6000, 300), "assets": (80000, 5000, 300)}),
    ("批发业", "5111", {"employees": (200, 20, 5), "revenue": (40000, 5000, 1000)}),
    ("零售业", "5211", {"employees": (300, 50, 10), "revenue": (20000, 500, 100)}),
    (
        "交通运输业",
        "5411",
        {"employees": (1000, 300, 20), "revenue": (30000, 3000, 200)},
    ),
    (
        "交通运输业",
        "5910",
        {"employees": (1000, 300, 20), "revenue": (30000, 3000, 200)},
    ),
    ("仓储业", "5920", {"employees": (200, 100, 20), "revenue": (30000, 1000, 100)}),
    ("邮政业", "6010", {"employees": (1000, 300, 20), "revenue": (30000, 2000, 100)}),
    ("住宿业", "6110", {"employees": (300, 100, 10), "revenue": (10000, 2000, 100)}),
    ("餐饮业", "6210", {"employees": (300, 100, 10), "revenue": (10000, 2000, 100)}),
    (
        "信息传输业",
        "6311",
        {"employees": (2000, 100, 10), "revenue": (100000, 1000, 100)},
    ),
    (
        "软件和信息技术服务业",
        "6510",
        {"employees": (300, 100, 10), "revenue": (10000, 1000, 50)},
    ),
    (
        "房地产开发经营",
        "7010",
        {"revenue": (200000, 1000, 100), "assets": (10000, 5000, 2000)},
    ),
    ("物业管理", "7020", {"employees": (1000, 300, 100), "revenue": (5000, 1000, 500)}),
    (
        "租赁和商务服务业",
        "7111",
        {"employees": (300, 100, 10), "assets": (120000, 8000, 100)},
    ),
    ("其他未列明行业", "7310", {"employees": (300, 100, 10)}),
]


def _boundary_cases():
    """Every band at its exact lower bound, and each indicator one below it."""
    for _name, code, bounds in STANDARD:
        for index, band in enumerate(BANDS[:3]):
            at_bound = {indicator: levels[index] for indicator, levels in bounds.items()}
            yield pytest.param(code, at_bound, band, id=f"{code}-{band}-at-bound")
            for indicator in bounds:
                below = {**at_bound, indicator: at_bound[indicator] - 1}
                yield pytest.param(
                    code,
                    below,
                    BANDS[index + 1],
                    id=f"{code}-{band}-{indicator}-below",
                )


@pytest.mark.parametrize(("code", "values", "expected"), list(_boundary_cases()))
def test_classify_boundaries(code, values, expected):
    assert classify(code, **values) == expected


@pytest.mark.parametrize(("name", "code", "bounds"), STANDARD)
def test_representative_codes_map_to_their_row(name, code, bounds):
    assert find_row(code).name == name


@pytest.mark.parametrize(
    ("code", "values", "expected"),
    [
        # Must meet every lower bound: one indicator holds the band down.
        ("3311", {"employees": 5000, "revenue": 2000}, "medium"),
        ("3311", {"employees": 300, "revenue": 10**6}, "medium"),
        ("3311", {"employees": 19, "revenue": 10**6}, "micro"),
        ("5111", {"employees": 4, "revenue": 10**6}, "micro"),
        ("7010", {"revenue": 10**6, "assets": 1999}, "micro"),
        ("7010", {"revenue": 999, "assets": 10**6}, "small"),
        ("4710", {"revenue": 80000, "assets": 79999.99}, "medium"),
        ("7111", {"employees": 10**4, "assets": 99.5}, "micro"),
        # Micro needs nothing.
        ("0111", {"revenue": 0}, "micro"),
        ("7310", {"employees": 0}, "micro"),
        ("6510", {"employees": 9, "revenue": 49}, "micro"),
        # Fractional 万元 values compare correctly.
        ("0111", {"revenue": 49.99}, "micro"),
        ("0111", {"revenue": 50.0}, "small"),
        # Indicators the row does not use are ignored.
        ("0111", {"revenue": 500, "employees": 0, "assets": 0}, "medium"),
        ("7310", {"employees": 300, "revenue": 0}, "large"),
    ],
)
def test_classify_must_meet_all_bounds(code, values, expected):
    assert classify(code, **values) == expected


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("A", "农、林、牧、渔业"),
        ("a", "农、林、牧、渔业"),
        ("01", "农、林、牧、渔业"),
        ("05", "农、林、牧、渔业"),
        ("051", "农、林、牧、渔业"),
        ("B", "工业"),
        ("C", "工业"),
        (" c ", "工业"),
        ("D", "工业"),
        ("06", "工业"),
        ("13", "工业"),
        ("331", "工业"),
        ("4620", "工业"),
        ("E", "建筑业"),
        ("47", "建筑业"),
        ("5010", "建筑业"),
        ("51", "批发业"),
        ("52", "零售业"),
        ("54", "交通运输业"),
        ("58", "交通运输业"),
        ("591", "交通运输业"),
        ("592", "仓储业"),
        ("5990", "仓储业"),
        ("60", "邮政业"),
        ("61", "住宿业"),
        ("62", "餐饮业"),
        ("63", "信息传输业"),
        ("6410", "信息传输业"),
        ("65", "软件和信息技术服务业"),
        ("701", "房地产开发经营"),
        ("702", "物业管理"),
        ("L", "租赁和商务服务业"),
        ("72", "租赁和商务服务业"),
        ("7299", "租赁和商务服务业"),
        # The standard's own 其他未列明行业 ...
        ("M", "其他未列明行业"),
        ("N", "其他未列明行业"),
        ("O", "其他未列明行业"),
        ("Q", "其他未列明行业"),
        ("R", "其他未列明行业"),
        ("7030", "其他未列明行业"),
        ("7090", "其他未列明行业"),
        # ... and the documented fallback for industries it does not list.
        ("53", "其他未列明行业"),
        ("5311", "其他未列明行业"),
        ("J", "其他未列明行业"),
        ("6610", "其他未列明行业"),
        ("P", "其他未列明行业"),
        ("S", "其他未列明行业"),
        ("T", "其他未列明行业"),
        ("97", "其他未列明行业"),
        ("7040", "其他未列明行业"),
    ],
)
def test_find_row(code, name):
    assert find_row(code).name == name


@pytest.mark.parametrize(
    ("code", "rows"),
    [
        ("F", ["批发业", "零售业"]),
        ("G", ["交通运输业", "仓储业", "邮政业"]),
        ("H", ["住宿业", "餐饮业"]),
        ("I", ["信息传输业", "软件和信息技术服务业"]),
        ("K", ["房地产开发经营", "物业管理"]),
        ("59", ["交通运输业", "仓储业"]),
        ("70", ["房地产开发经营", "物业管理", "其他未列明行业"]),
    ],
)
def test_codes_spanning_several_rows_are_rejected(code, rows):
    with pytest.raises(ValueError, match="more specific code") as exc:
        classify(code, employees=1, revenue=1, assets=1)
    assert all(row in str(exc.value) for row in rows)
    for row in rows:
        assert row in str(exc.value)


@pytest.mark.parametrize(
    "code",
    ["", "Z", "U", "00", "98", "99", "5", "12345", "C1", "AB", "33.1", "３３１１"],
)
def test_unknown_codes_are_rejected(code):
    with pytest.raises(ValueError, match="Unknown GB/T 4754-2017 industry code"):
        classify(code, employees=1, revenue=1, assets=1)


@pytest.mark.parametrize(
    ("code", "values", "missing", "label"),
    [
        ("0111", {"employees": 10}, "revenue", "营业收入"),
        ("3311", {"employees": 10}, "revenue", "营业收入"),
        ("3311", {"revenue": 10}, "employees", "从业人员"),
        ("4710", {"revenue": 10}, "assets", "资产总额"),
        ("7111", {"employees": 10, "revenue": 10}, "assets", "资产总额"),
        ("7310", {"revenue": 10, "assets": 10}, "employees", "从业人员"),
    ],
)
def test_missing_indicator_is_rejected(code, values, missing, label):
    with pytest.raises(ValueError, match=f"requires the '{missing}' indicator") as exc:
        classify(code, **values)
    assert label in str(exc.value)
