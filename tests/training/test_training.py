"""Training, examination and certificates: enrolment rules, papers by rule, answers saved one by one, marking once,
one retake, certificate numbers, the talent-pool rule, revocation, the verification page."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from registry.factories import EnterpriseAccountFactory
from registry.models import ChiefQualityOfficer
from training import services
from training.factories import (
    ApprovedOfficerFactory,
    EnrolmentFactory,
    ExamFactory,
    QuestionFactory,
    TrainingFactory,
)
from training.models import Attempt, Certificate, Enrolment, PaperQuestion, QuestionKind

pytestmark = pytest.mark.django_db

S, M, T = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE


def bank(organisation, single=4, multiple=2, true_false=2, topic="质量法规"):
    for _n in range(single):
        QuestionFactory(organisation=organisation, kind=S, topic=topic, answer="B")
    for _n in range(multiple):
        QuestionFactory(organisation=organisation, kind=M, topic="方法", answer="AC")
    for _n in range(true_false):
        QuestionFactory(organisation=organisation, kind=T, topic="方法", options="", answer="A")


def answer_all(attempt, right=True):
    for item in PaperQuestion.objects.filter(attempt=attempt).select_related("question"):
        services.save_answer(attempt, item.position, item.question.answer if right else "D")


def test_enrolment_respects_area_deadline_capacity_and_approval(orgs):
    training = TrainingFactory(organisation=orgs.shijiazhuang, capacity=1)
    officer = ApprovedOfficerFactory()
    services.enrol(training, officer, None)
    with pytest.raises(ValidationError, match="已报名|名额已满"):
        services.enrol(training, officer, None)
    with pytest.raises(ValidationError, match="名额已满"):
        services.enrol(training, ApprovedOfficerFactory(), None)
    beijing = ApprovedOfficerFactory(enterprise__region_id="110105")
    with pytest.raises(ValidationError, match="辖区"):
        services.enrol(TrainingFactory(organisation=orgs.shijiazhuang), beijing, None)
    pending = ApprovedOfficerFactory(live=False, review_status="pending")
    with pytest.raises(ValidationError, match="已审核"):
        services.enrol(TrainingFactory(), pending, None)
    closed = TrainingFactory(enrolment_deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="报名已截止"):
        services.enrol(closed, ApprovedOfficerFactory(), None)
    assert services.enrol(closed, ApprovedOfficerFactory(), None, by_bureau=True).pk  # the bureau adds a late-comer


def test_only_provincial_and_city_bureaus_organise(orgs):
    with pytest.raises(ValidationError, match="省级或市级"):
        TrainingFactory.build(organisation=orgs.changan).full_clean()
    TrainingFactory.build(organisation=orgs.shijiazhuang).full_clean()


def test_a_paper_is_drawn_by_rule_and_a_thin_bank_is_refused(orgs):
    bank(orgs.hebei)
    exam = ExamFactory(rules=[(S, "质量法规", 3, 2), (M, "", 2, 5), (T, "方法", 1, 1)])
    attempt = services.start(EnrolmentFactory(training=exam.training), exam)
    paper = list(PaperQuestion.objects.filter(attempt=attempt).select_related("question"))
    assert [item.question.kind for item in paper] == [S, S, S, M, M, T]
    assert len({item.question_id for item in paper}) == 6 and attempt.total == 3 * 2 + 2 * 5 + 1
    thin = ExamFactory(rules=[(S, "", 9, 1)])
    with pytest.raises(ValidationError, match="只有 4 道题"):
        services.start(EnrolmentFactory(training=thin.training), thin)


def test_attendance_is_required_and_the_exam_must_be_open(orgs):
    bank(orgs.hebei)
    exam = ExamFactory()
    with pytest.raises(ValidationError, match="出勤"):
        services.start(EnrolmentFactory(training=exam.training, attended=False), exam)
    later = ExamFactory(opens_at=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="未开放"):
        services.start(EnrolmentFactory(training=later.training), later)


def test_pass_issues_a_numbered_certificate_onto_the_officer_record(orgs):
    bank(orgs.hebei)
    exam = ExamFactory(training=TrainingFactory(organisation=orgs.shijiazhuang, year=2026), rules=[(S, "", 3, 1)])
    enrolment = EnrolmentFactory(training=exam.training)
    attempt = services.start(enrolment, exam)
    answer_all(attempt)
    attempt = services.finish(attempt)
    assert attempt.passed and attempt.score == 3 and attempt.percent == 100
    certificate = Certificate.unscoped.get(attempt=attempt)
    assert re.fullmatch(r"CQO13-2026-\d{6}", certificate.number)  # the city's province issues it
    assert certificate.organisation == orgs.hebei and certificate.valid_until == datetime.date(2027, 12, 31)
    officer = ChiefQualityOfficer.unscoped.get(pk=enrolment.officer_id)
    assert officer.training_certificate_number == certificate.number
    assert officer.training_certificate_issuer == orgs.hebei.name
    assert officer.certificate_valid_until == datetime.date(2027, 12, 31) and officer.certificate_revoked_at is None
    second = services.issue(EnrolmentFactory(training=exam.training))
    assert int(second.number[-6:]) == int(certificate.number[-6:]) + 1


def test_submitted_once_and_one_retake_after_a_fail(orgs):
    bank(orgs.hebei)
    exam = ExamFactory(rules=[(S, "", 2, 1)], pass_mark=100)
    enrolment = EnrolmentFactory(training=exam.training)
    first = services.start(enrolment, exam)
    assert services.start(enrolment, exam) == first  # the running attempt, not a second one
    answer_all(first, right=False)
    marked = services.finish(first)
    assert marked.passed is False and marked.score == 0
    assert not services.save_answer(marked, 1, "B")  # handed in: no more answers
    again = services.finish(first)
    assert again.submitted_at == marked.submitted_at  # the second hand-in changes nothing
    retake = services.start(enrolment, exam)
    assert retake.number == 2
    answer_all(retake, right=False)
    services.finish(retake)
    with pytest.raises(ValidationError, match="补考一次"):
        services.start(enrolment, exam)
    assert not Certificate.unscoped.exists()


def test_time_up_marks_the_attempt_with_the_answers_saved(client, orgs):
    bank(orgs.hebei)
    exam = ExamFactory(rules=[(S, "", 2, 1)], pass_mark=50)
    attempt = services.start(EnrolmentFactory(training=exam.training), exam)
    item = PaperQuestion.objects.filter(attempt=attempt).select_related("question").first()
    response = client.post(reverse("training:answer", args=[attempt.token]), {"position": 1, "answer": "B"})
    assert response.status_code == 200 and PaperQuestion.objects.get(pk=item.pk).answer == "B"
    Attempt.unscoped.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=5))
    late = client.post(reverse("training:answer", args=[attempt.token]), {"position": 2, "answer": "B"})
    assert late.status_code == 409
    page = client.get(reverse("training:exam", args=[attempt.token]))
    attempt.refresh_from_db()
    assert attempt.submitted_at and attempt.score == 1 and attempt.passed  # 1 of 2 at a pass mark of 50 %
    assert "exam-result" in page.content.decode() and page["Referrer-Policy"] == "same-origin"


def test_talent_pool_shows_only_certified_officers_and_revocation_removes_at_once(client, orgs):
    certified = EnrolmentFactory(training=TrainingFactory(year=timezone.localdate().year))
    uncertified = ApprovedOfficerFactory(real_name="未取证质量官")
    certificate = services.issue(certified)
    html = client.get(reverse("talent_pool")).content.decode()
    assert certified.officer.real_name in html and uncertified.real_name not in html
    services.revoke(certificate, "考试舞弊")
    assert certified.officer.real_name not in client.get(reverse("talent_pool")).content.decode()
    assert ChiefQualityOfficer.unscoped.get(pk=certified.officer_id).certificate_revoked_at is not None


def test_certificates_expire_at_the_end_of_the_following_year(client, orgs):
    old = EnrolmentFactory(training=TrainingFactory(year=timezone.localdate().year - 2))
    services.issue(old)
    assert ChiefQualityOfficer.unscoped.get(pk=old.officer_id).certificate_valid_until < timezone.localdate()
    assert old.officer.real_name not in client.get(reverse("talent_pool")).content.decode()


def test_publishing_an_older_revision_keeps_the_certificate(orgs):
    officer = ApprovedOfficerFactory()
    officer.save_revision()
    certificate = services.issue(EnrolmentFactory(officer=officer))
    officer = ChiefQualityOfficer.unscoped.get(pk=officer.pk)
    officer.latest_revision.publish()
    officer.refresh_from_db()
    assert officer.training_certificate_number == certificate.number and officer.certificate_valid_until


def test_verification_says_valid_expired_or_revoked_and_nothing_else(client, orgs):
    enrolment = EnrolmentFactory(training=TrainingFactory(year=timezone.localdate().year))
    certificate = services.issue(enrolment)
    officer = enrolment.officer
    url = reverse("training:verify")

    def status(number, name):
        response = client.get(url, {"number": number, "name": name})
        return response.context["status"], response.content.decode()

    state, html = status(certificate.number.lower(), officer.real_name)
    assert state == "valid"
    for personal in (officer.enterprise.name, officer.mobile, officer.id_number, str(certificate.valid_until.year)):
        assert personal not in html
    assert status(certificate.number, "别人")[0] == "unknown"
    assert status("CQO13-2026-999999", officer.real_name)[0] == "unknown"
    Certificate.unscoped.filter(pk=certificate.pk).update(valid_until=timezone.localdate() - datetime.timedelta(1))
    assert status(certificate.number, officer.real_name)[0] == "expired"
    services.revoke(certificate, "撤销")
    assert status(certificate.number, officer.real_name)[0] == "revoked"


def test_verification_is_rate_limited(client, orgs, monkeypatch):
    monkeypatch.setattr("training.views.VERIFY_LIMIT", 2)
    for _n in range(2):
        assert client.get(reverse("training:verify"), {"number": "X", "name": "Y"}).context["status"] == "unknown"
    assert client.get(reverse("training:verify"), {"number": "X", "name": "Y"}).context["status"] == "limited"


def test_the_enterprise_enrols_its_officer_and_opens_the_exam_on_the_portal(client, orgs):
    bank(orgs.hebei)
    officer = ApprovedOfficerFactory()
    account = EnterpriseAccountFactory(enterprise=officer.enterprise)
    training = TrainingFactory(organisation=orgs.shijiazhuang)
    elsewhere = TrainingFactory(organisation=orgs.beijing, title="北京培训")
    client.force_login(account)
    html = client.get(reverse("training:home")).content.decode()
    assert training.title in html and "北京培训" not in html
    client.post(reverse("training:enrol", args=[training.pk]), {"officer": officer.pk})
    enrolment = Enrolment.unscoped.get(training=training, officer=officer)
    assert enrolment.enrolled_by == account
    assert client.post(reverse("training:enrol", args=[elsewhere.pk]), {"officer": officer.pk}).status_code == 404
    exam = ExamFactory(training=training)
    Enrolment.unscoped.filter(pk=enrolment.pk).update(attended=True)
    response = client.post(reverse("training:start", args=[enrolment.pk, exam.pk]))
    attempt = Attempt.unscoped.get(enrolment=enrolment)
    assert response["Location"] == reverse("training:ready", args=[attempt.token])
    other = EnterpriseAccountFactory()
    client.force_login(other)
    assert client.get(reverse("training:ready", args=[attempt.token])).status_code == 403  # no officer of its own


def test_the_certificate_pdf_carries_its_verification_address(client, orgs):
    import io

    from pypdf import PdfReader

    enrolment = EnrolmentFactory()
    certificate = services.issue(enrolment)
    client.force_login(EnterpriseAccountFactory(enterprise=enrolment.officer.enterprise))
    response = client.get(reverse("training:certificate_pdf", args=[certificate.number]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert certificate.number in text and "http://testserver/training/verify/" in text
    client.force_login(EnterpriseAccountFactory())
    assert client.get(reverse("training:certificate_pdf", args=[certificate.number])).status_code == 403


def test_an_officer_with_an_account_of_their_own_opens_the_exam(client, orgs):
    from registry.factories import UserFactory
    from registry.models import User

    bank(orgs.hebei)
    exam = ExamFactory()
    enrolment = EnrolmentFactory(training=exam.training)
    account = UserFactory(kind=User.Kind.OFFICER)
    ChiefQualityOfficer.unscoped.filter(pk=enrolment.officer_id).update(account=account)
    client.force_login(account)
    assert client.get(reverse("portal_home")).status_code in (200, 302)
    assert exam.title in client.get(reverse("training:home")).content.decode()
    client.post(reverse("training:start", args=[enrolment.pk, exam.pk]))
    assert Attempt.unscoped.filter(enrolment=enrolment).exists()


def test_a_certificate_issued_or_revoked_reaches_the_cached_talent_pool_at_once(client, orgs, settings):
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    enrolment = EnrolmentFactory(training=TrainingFactory(year=timezone.localdate().year))
    for _visit in range(2):
        client.get("/talent-pool/")
    assert client.get("/talent-pool/").get("X-Page-Cache") == "hit"
    certificate = services.issue(enrolment)
    response = client.get("/talent-pool/")
    assert response.get("X-Page-Cache") == "miss" and enrolment.officer.real_name in response.content.decode()
    client.get("/talent-pool/")
    services.revoke(certificate, "撤销")
    response = client.get("/talent-pool/")
    assert response.get("X-Page-Cache") == "miss" and enrolment.officer.real_name not in response.content.decode()
    cache.clear()
