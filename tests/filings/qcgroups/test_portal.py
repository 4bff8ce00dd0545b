"""Portal filing pages, scoping between units and organisations, and the summary tables."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from filings.qcgroups.factories import FilingFactory, FilingUnitFactory
from filings.qcgroups.models import Filing, YearlySetting, current_year
from registry.models import Role


def filing_data(**overrides):
    data = {
        "kind": "qc_group",
        "year": str(current_year()),
        "topic": "降低循环水系统补水量",
        "group_name": "清源QC小组",
        "enterprise_name": "示范炼化有限公司",
        "member_count": "6",
        "leader": "王五",
        "founded_on": "2023-04-01",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_unit_files_one_by_one_and_sees_a_prefix_warning(client, unit):
    client.force_login(unit.account)
    response = client.post(reverse("qcgroups_filing_add"), filing_data(group_name="沧州示范石化清源小组"), follow=True)
    filing = Filing.unscoped.get(unit=unit)
    assert filing.source == Filing.Source.FORM and filing.member_count == 6
    assert "以单位名称" in response.content.decode()


@pytest.mark.django_db
def test_form_refuses_duplicate_topic_and_group_and_bad_values(client, unit):
    FilingFactory(unit=unit, topic="降低循环水系统补水量", group_name="清源QC小组")
    client.force_login(unit.account)
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(reverse("qcgroups_filing_add"), filing_data(member_count="0", founded_on=future))
    errors = response.context["form"].errors
    assert "已备案" in str(errors["group_name"])
    assert "member_count" in errors and "1950年至今天" in str(errors["founded_on"])
    assert response.context["form"]["leader"].value() == "王五"
    assert Filing.unscoped.count() == 1


@pytest.mark.django_db
def test_unit_cannot_reach_another_units_filings(client, unit):
    other = FilingFactory(unit=FilingUnitFactory(), topic="别人的课题")
    client.force_login(unit.account)
    assert client.get(reverse("qcgroups_filing_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("qcgroups_filing_delete", args=[other.pk])).status_code == 404
    assert client.post(reverse("qcgroups_filing_edit", args=[other.pk]), filing_data()).status_code == 404
    assert "别人的课题" not in client.get(reverse("qcgroups_filings"), {"year": other.year}).content.decode()
    assert "别人的课题" not in client.get(reverse("qcgroups_summary"), {"year": other.year}).content.decode()
    assert Filing.unscoped.filter(pk=other.pk, topic="别人的课题").exists()


@pytest.mark.django_db
def test_unit_edits_and_deletes_its_own_filing(client, unit):
    filing = FilingFactory(unit=unit)
    client.force_login(unit.account)
    client.post(reverse("qcgroups_filing_edit", args=[filing.pk]), filing_data(leader="赵六"))
    filing.refresh_from_db()
    assert filing.leader == "赵六"
    assert client.get(reverse("qcgroups_filing_delete", args=[filing.pk])).status_code == 405
    client.post(reverse("qcgroups_filing_delete", args=[filing.pk]))
    assert not Filing.unscoped.filter(pk=filing.pk).exists()
    from wagtail.models import ModelLogEntry  # each change is in the audit log with the unit's account as actor

    logged = ModelLogEntry.objects.filter(user=unit.account, object_id=str(filing.pk))
    assert set(logged.values_list("action", flat=True)) == {"wagtail.edit", "wagtail.delete"}


@pytest.mark.django_db
def test_yearly_settings_are_kept_per_year(client, unit):
    client.force_login(unit.account)
    url = reverse("qcgroups_yearly_setting")
    client.post(f"{url}?year=2024", {"qc_group_count": "100", "trusted_team_count": "50"})
    client.post(f"{url}?year=2025", {"qc_group_count": "120", "trusted_team_count": "55"})
    client.post(f"{url}?year=2025", {"qc_group_count": "121", "trusted_team_count": "55"})
    counts = dict(YearlySetting.unscoped.filter(unit=unit).values_list("year", "qc_group_count"))
    assert counts == {2024: 100, 2025: 121}


@pytest.mark.django_db
def test_summary_xlsx_neutralises_formulas_and_totals(client, unit):
    year = current_year()
    FilingFactory(unit=unit, year=year, topic='=HYPERLINK("http://evil")', member_count=5)
    FilingFactory(unit=unit, year=year, kind=Filing.Kind.TRUSTED_TEAM, leader="@SUM(A1)", member_count=9)
    FilingFactory(unit=unit, year=year - 1, topic="去年的课题")
    client.force_login(unit.account)
    page = client.get(reverse("qcgroups_summary"), {"year": year}).content.decode()
    assert "去年的课题" not in page and "小组 1 项 · 班组 1 项 · 合计 2 项 · 人数 14" in page
    response = client.get(reverse("qcgroups_summary_xlsx"), {"year": year})
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [cell for line in sheet.iter_rows() for cell in line if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    values = [cell.value for cell in cells]
    risky = [cell for cell in cells if cell.value in ('=HYPERLINK("http://evil")', "@SUM(A1)")]
    assert len(risky) == 2 and all(cell.data_type == "s" and cell.quotePrefix for cell in risky)
    assert "去年的课题" not in values and 14 in values


@pytest.mark.django_db
def test_secretariat_summary_filters_totals_and_exports(client, secretariat_admin):
    first, second = FilingUnitFactory(name="甲石化有限公司"), FilingUnitFactory(name="乙化工有限公司")
    FilingFactory.create_batch(3, unit=first, year=2025, member_count=4)
    FilingFactory(unit=second, year=2025, kind=Filing.Kind.TRUSTED_TEAM, member_count=10)
    FilingFactory(unit=second, year=2024)
    client.force_login(secretariat_admin)
    response = client.get(reverse("qcgroups_admin_summary"), {"year": "2025"})
    assert response.context["totals"] == {"qc_groups": 3, "trusted_teams": 1, "members": 22, "total": 4}
    by_unit = {row["unit__name"]: row["total"] for row in response.context["by_unit"]}
    assert by_unit == {"甲石化有限公司": 3, "乙化工有限公司": 1}
    filtered = client.get(reverse("qcgroups_admin_summary"), {"unit": second.pk})
    assert filtered.context["totals"]["total"] == 2
    assert [row["year"] for row in filtered.context["by_year"]] == [2025, 2024]
    export = client.get(reverse("qcgroups_admin_summary_xlsx"), {"year": "2025"})
    sheet = load_workbook(BytesIO(export.content)).active
    units = [line[8] for line in sheet.iter_rows(min_row=3, values_only=True) if line[8]]
    assert sorted(units) == ["乙化工有限公司"] + ["甲石化有限公司"] * 3


@pytest.mark.django_db
def test_other_organisations_admins_get_404_for_filings_and_empty_summaries(client, orgs, make_admin):
    filing = FilingFactory()
    for admin in (make_admin(orgs.changan), make_admin(orgs.beijing, Role.PROVINCIAL)):
        client.force_login(admin)
        assert client.get(reverse("qc_filings:inspect", args=[filing.pk])).status_code == 404
        assert client.get(reverse("qcgroups_admin_summary")).context["totals"]["total"] == 0
        assert filing.topic not in client.get(reverse("qc_filings:index")).content.decode()
        assert reverse("qcgroups_admin_summary") not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.django_db
def test_secretariat_admin_lists_and_inspects_filings(client, secretariat_admin):
    filing = FilingFactory()
    client.force_login(secretariat_admin)
    assert reverse("qcgroups_admin_summary") in client.get(reverse("wagtailadmin_home")).content.decode()
    assert filing.group_name in client.get(reverse("qc_filings:index")).content.decode()
    assert client.get(reverse("qc_filings:inspect", args=[filing.pk])).status_code == 200
    assert client.get(reverse("qc_filings:edit", args=[filing.pk])).status_code in (302, 403)
