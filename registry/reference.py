"""Loading the shipped reference tables and building the organisation tree from them.

Used by a data migration (so every database, test databases included, has them) and by the
``load_reference_data`` command (idempotent, for databases emptied by transactional tests).
Functions take the model classes so the migration can pass its historical models.
"""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

PLATFORM_NAME = "中国标准出版社（首席质量官之家平台）"
NATIONAL_NAME = "国家市场监督管理总局"
ASSOCIATIONS = ["中国质量协会", "中国石油和化学工业联合会"]
#: The function of each unit the tree starts with, by its shipped name (the only place names are looked up:
#: afterwards the admin may rename any unit or hand its function to another).
FUNCTIONS = {
    "platform_operator": PLATFORM_NAME,
    "national_bureau": NATIONAL_NAME,
    "award_organiser": "中国质量协会",
    "qc_secretariat": "中国石油和化学工业联合会",
}
#: Province-level units in the MCA list whose regulation is outside the national bureau's tree.
NO_BUREAU = {"710000", "810000", "820000"}


def read_csv(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_divisions(Division):
    if Division.objects.exists():
        return 0
    rows = read_csv("gbt2260-divisions.csv")
    Division.objects.bulk_create(
        Division(code=r["code"], name=r["name"], level=r["level"], parent_id=r["parent_code"] or None) for r in rows
    )
    return len(rows)


def load_industries(IndustryCategory):
    if IndustryCategory.objects.exists():
        return 0
    rows = read_csv("gbt4754-2017.csv")
    IndustryCategory.objects.bulk_create(
        IndustryCategory(
            code=r["code"], name=r["name"], level=r["level"], parent_id=r["parent_code"] or None, position=i
        )
        for i, r in enumerate(rows)
    )
    return len(rows)


def load_coded(Model, filename):
    if Model.objects.exists():
        return 0
    rows = read_csv(filename)
    Model.objects.bulk_create(Model(code=r["code"], name=r["name"], order=int(r["order"])) for r in rows)
    return len(rows)


def encode_step(number):
    digits = []
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[remainder])
    return "".join(reversed(digits)).rjust(STEPLEN, "0")


def bureau_name(division):
    return f"{division.name}市场监督管理局"


def build_organisation_tree(Organisation, Division):
    """Platform → national bureau → one bureau per division, plus associations; bulk-inserted paths."""
    if Organisation.objects.exists():
        return 0
    nodes = []

    def add(parent, name, kind, division=None):
        node = Organisation(name=name, kind=kind, division=division, numchild=0)
        if parent is None:
            node.depth, node.path = 1, encode_step(1)
        else:
            parent.numchild += 1
            node.depth, node.path = parent.depth + 1, parent.path + encode_step(parent.numchild)
        nodes.append(node)
        return node

    platform = add(None, PLATFORM_NAME, "platform")
    national = add(platform, NATIONAL_NAME, "bureau")
    for name in ASSOCIATIONS:
        add(platform, name, "association")
    by_code = {}
    for division in Division.objects.order_by("code"):
        if division.code[:2] + "0000" in NO_BUREAU:
            continue
        parent = by_code[division.parent_id] if division.parent_id else national
        by_code[division.code] = add(parent, bureau_name(division), "bureau", division)
    Organisation.objects.bulk_create(nodes, batch_size=1000)
    return len(nodes)


def assign_functions(Organisation):
    """Give each function nobody holds to the shipped unit of that name, if it is still there."""
    held = set(Organisation.objects.exclude(function="").values_list("function", flat=True))
    for function, name in FUNCTIONS.items():
        if function not in held:
            Organisation.objects.filter(name=name, function="").update(function=function)


def load_all(Division, IndustryCategory, EconomicType, EducationLevel, Organisation):
    return {
        "divisions": load_divisions(Division),
        "industries": load_industries(IndustryCategory),
        "economic types": load_coded(EconomicType, "economic-types.csv"),
        "education levels": load_coded(EducationLevel, "education-levels.csv"),
        "organisations": build_organisation_tree(Organisation, Division),
    }
