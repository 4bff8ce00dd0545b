"""The bureau's side: trainings, enrolment and attendance, the question bank's workbook, revocation, figures."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from registry.models import Role
from training import services
from training.factories import (
    ApprovedOfficerFactory,
    CertificateFactory,
    EnrolmentFactory,
    QuestionFactory,
    TrainingFactory,
)
from training.figures import certificates_by_region, training_by_year
from training.models import Enrolment, Question, Training

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_admin(client, orgs, make_admin):
    admin = make_admin(orgs.hebei, Role.PROVINCIAL)
    client.force_login(admin)
    return admin


def training_form(organisation, **overrides):
    today = timezone.localdate()
    data = {
        "organisation": organisation.pk,
        "title": "2026年河北省首席质量官培训班",
        "year": today.year,
        "capacity": 100,
        "starts_on": today + datetime.timedelta(days=20),
        "ends_on": today + datetime.timedelta(days=22),
        "enrolment_deadline": today + datetime.timedelta(days=10),
        "place": "石家庄",
    }
    data.update(overrides)
    return data


def test_a_province_opens_a_training_and_a_county_cannot_organise(client, orgs, province_admin):
    response = client.post(reverse("training_sessions:add"), training_form(orgs.hebei))
    assert response.status_code == 302 and Training.unscoped.get().organisation == orgs.hebei
    response = client.post(reverse("training_sessions:add"), training_form(orgs.changan, title="县里的培训"))
    assert response.status_code == 200 and "省级或市级" in response.content.decode()
    response = client.post(reverse("training_sessions:add"), training_form(orgs.hebei, title="无地点", place=""))
    assert "请填写地点" in response.content.decode()


def test_a_neighbour_province_cannot_pick_another_provinces_unit(client, orgs, make_admin):
    client.force_login(make_admin(orgs.beijing, Role.PROVINCIAL))
    response = client.post(reverse("training_sessions:add"), training_form(orgs.hebei))
    assert response.status_code == 200 and not Training.unscoped.exists()


def test_an_exam_is_set_with_its_paper_rules(client, orgs, province_admin):
    training = TrainingFactory()
    assert client.get(reverse("training_exams:add")).status_code == 200
    now = timezone.localtime()
    data = {
        "training": training.pk,
        "title": "结业考试",
        "opens_at": now.strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + datetime.timedelta(days=3)).strftime("%Y-%m-%d %H:%M"),
        "duration_minutes": 45,
        "pass_mark": 70,
        "rules-TOTAL_FORMS": 2,
        "rules-INITIAL_FORMS": 0,
        "rules-MIN_NUM_FORMS": 1,
        "rules-MAX_NUM_FORMS": 1000,
        "rules-0-kind": "single",
        "rules-0-topic": "质量法规",
        "rules-0-count": 10,
        "rules-0-points": 2,
        "rules-1-kind": "true_false",
        "rules-1-topic": "",
        "rules-1-count": 5,
        "rules-1-points": 1,
    }
    response = client.post(reverse("training_exams:add"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    exam = training.exams.get()
    assert [(rule.kind, rule.topic, rule.count, rule.points) for rule in exam.rules.all()] == [
        ("single", "质量法规", 10, 2),
        ("true_false", "", 5, 1),
    ]


def test_the_bureau_enrols_an_officer_and_records_attendance(client, orgs, province_admin):
    training = TrainingFactory()
    officer = ApprovedOfficerFactory()
    response = client.post(reverse("training_enrolments:add"), {"training": training.pk, "officer": officer.pk})
    assert response.status_code == 302
    enrolment = Enrolment.unscoped.get()
    assert enrolment.enrolled_by == province_admin and not enrolment.attended
    client.post(
        reverse("training_enrolments:edit", args=[enrolment.pk]),
        {"training": training.pk, "officer": officer.pk, "attended": "on"},
    )
    enrolment.refresh_from_db()
    assert enrolment.attended


def test_every_listing_opens(client, orgs, province_admin):
    certificate = services.issue(EnrolmentFactory())
    QuestionFactory()
    for name in ("sessions", "enrolments", "questions", "exams", "attempts", "certificates"):
        assert client.get(reverse(f"training_{name}:index")).status_code == 200, name
    assert client.get(reverse("training_certificates:inspect", args=[certificate.pk])).status_code == 200
    pdf = client.get(reverse("training_certificates:pdf", args=[certificate.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert client.get(reverse("training_certificates:index"), {"export": "xlsx"}).status_code == 200


def workbook_bytes(rows, header=("题型", "主题", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案")):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    output.name = "questions.xlsx"
    return output


def test_question_import_names_row_and_column_of_each_error_and_writes_nothing(client, orgs, province_admin):
    upload = workbook_bytes(
        [
            ("单选", "质量法规", "题一", "甲", "乙", "", "", "", "", "B"),
            ("多选", "方法", "题二", "甲", "乙", "丙", "", "", "", "A"),
            ("问答", "方法", "题三", "", "", "", "", "", "", "A"),
            ("判断", "方法", "题四", "", "", "", "", "", "", "不知道"),
        ]
    )
    response = client.post(reverse("training_questions:import"), {"bureau": orgs.hebei.pk, "file": upload})
    html = response.content.decode()
    assert "第3行J列" in html and "第4行A列" in html and "第5行J列" in html
    assert not Question.unscoped.exists()


def test_the_bank_exports_in_the_template_and_imports_again_unchanged(client, orgs, province_admin):
    upload = workbook_bytes(
        [
            ("单选", "质量法规", "题一", "甲", "乙", "丙", "", "", "", "b"),
            ("多选", "方法", "题二", "甲", "乙", "丙", "丁", "", "", "D, A"),
            ("判断", "方法", "题三", "", "", "", "", "", "", "错"),
        ]
    )
    response = client.post(reverse("training_questions:import"), {"bureau": orgs.hebei.pk, "file": upload})
    assert response.status_code == 302
    answers = dict(Question.unscoped.values_list("text", "answer"))
    assert answers == {"题一": "B", "题二": "AD", "题三": "B"}
    exported = client.get(reverse("training_questions:export"))
    rows = list(load_workbook(io.BytesIO(exported.content)).worksheets[0].values)
    assert rows[0][0] == "题型*" and ("判断", "方法", "题三", None, None, None, None, None, None, "错") in rows
    again = io.BytesIO(exported.content)
    again.name = "bank.xlsx"
    client.post(reverse("training_questions:import"), {"bureau": orgs.hebei.pk, "file": again})
    assert Question.unscoped.count() == 3
    template = client.get(reverse("training_questions:template"))
    assert load_workbook(io.BytesIO(template.content)).worksheets[0]["A1"].value == "题型*"


def test_revoking_in_the_admin_removes_the_officer_from_the_talent_pool(client, orgs, province_admin):
    enrolment = EnrolmentFactory(training=TrainingFactory(year=timezone.localdate().year))
    certificate = services.issue(enrolment)
    assert enrolment.officer.real_name in client.get(reverse("talent_pool")).content.decode()
    client.post(reverse("training_certificates:revoke", args=[certificate.pk]), {"reason": "证书信息不实"})
    certificate.refresh_from_db()
    assert certificate.revoked_at and certificate.revoke_reason == "证书信息不实"
    assert enrolment.officer.real_name not in client.get(reverse("talent_pool")).content.decode()


def test_a_neighbour_cannot_revoke(client, orgs, make_admin):
    certificate = CertificateFactory()
    client.force_login(make_admin(orgs.beijing, Role.PROVINCIAL))
    response = client.post(reverse("training_certificates:revoke", args=[certificate.pk]), {"reason": "x"})
    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_figures_count_enrolment_attendance_pass_rate_and_certificates_by_region(orgs):
    from training.factories import ExamFactory
    from training.models import PaperQuestion

    QuestionFactory(answer="A")
    training = TrainingFactory(year=2026)
    exam = ExamFactory(training=training)
    for right in (True, False):
        enrolment = EnrolmentFactory(training=training)
        attempt = services.start(enrolment, exam)
        PaperQuestion.objects.filter(attempt=attempt).update(answer="A" if right else "B")
        services.finish(attempt)
    EnrolmentFactory(training=training, attended=False)
    beijing = EnrolmentFactory(
        training=TrainingFactory(organisation=orgs.beijing, year=2026), officer__enterprise__region_id="110105"
    )
    services.issue(beijing)
    figure = training_by_year(orgs.hebei.path)
    assert figure.rows == [["2026", 3, 2, 2, 1, 50.0, 1]]
    national = {row[0]: row[1:] for row in certificates_by_region(orgs.national.path).rows}
    assert national == {orgs.hebei.name: [1, 1], orgs.beijing.name: [1, 1]}
    assert certificates_by_region(orgs.hebei.path).rows == [[orgs.shijiazhuang.name, 1, 1]]


def test_the_bureau_enrols_from_a_workbook_all_rows_or_none(client, orgs, province_admin):
    training = TrainingFactory(capacity=3)
    first, second = ApprovedOfficerFactory(), ApprovedOfficerFactory()
    pending = ApprovedOfficerFactory(live=False, review_status="pending")
    header = ("统一社会信用代码", "首席质量官姓名", "出勤")

    def upload(rows):
        return client.post(
            reverse("training_enrolments:import"),
            {"training": training.pk, "file": workbook_bytes(rows, header=header)},
        )

    response = upload(
        [
            (first.enterprise.uscc, first.real_name, "是"),
            (second.enterprise.uscc, "别人", ""),
            (pending.enterprise.uscc, pending.real_name, "否"),
            ("91130102MA00000000", "无此人", ""),
        ]
    )
    html = response.content.decode()
    assert "第3行B列" in html and "第4行A列" in html and "第5行A列" in html
    assert not Enrolment.unscoped.exists()
    response = upload([(first.enterprise.uscc, first.real_name, "是"), (second.enterprise.uscc, second.real_name, "")])
    assert response.status_code == 302
    assert dict(Enrolment.unscoped.values_list("officer_id", "attended")) == {first.pk: True, second.pk: False}
    assert client.get(reverse("training_enrolments:template")).status_code == 200
