"""Fixtures of the QC filings: the secretariat, its administrator, units and xlsx files."""

import datetime
from io import BytesIO

import pytest
from openpyxl import Workbook

from filings.qcgroups.factories import FilingUnitFactory
from filings.qcgroups.importing import HEADERS
from filings.qcgroups.models import secretariat
from registry.models import Role


@pytest.fixture
def secretariat_admin(make_admin):
    return make_admin(secretariat(), Role.INSTITUTION)


@pytest.fixture
def unit(db):
    return FilingUnitFactory(name="沧州示范石化有限公司")


def xlsx(rows, headers=HEADERS):
    """An in-memory xlsx with ``headers`` and ``rows`` on its first sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "filings.xlsx"
    return buffer


def row(number, topic="降低催化装置能耗", group="攻坚QC小组", kind="质量管理小组", enterprise="示范炼化有限公司",
        members=8, leader="张三", founded=datetime.date(2022, 5, 1)):  # fmt: skip
    return [number, kind, topic, group, enterprise, members, leader, founded]
