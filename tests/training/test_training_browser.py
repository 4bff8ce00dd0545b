"""Issue #24 end to end in a real browser: the province opens a training, an enterprise enrols its officer, the
bureau records attendance, the officer sits the exam on a 375 px phone and passes, the certificate PDF's QR code
carries the verification address, which says valid, and the officer appears in the talent pool; a failed officer
does not."""

import datetime
import io
import re
from urllib.parse import urlencode

import pytest
import segno
from django.utils import timezone
from pypdf import PdfReader

from registry.factories import AdministratorFactory, EnterpriseAccountFactory
from registry.models import Organisation, Role
from tests.browser import admin_login
from tests.conftest import SCREENSHOTS
from training import services
from training.factories import ApprovedOfficerFactory, ExamFactory, QuestionFactory
from training.models import Attempt, Certificate, Enrolment, PaperQuestion, QuestionKind, Training

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def portal_page(browser, base, width=1280, height=900, mobile=False):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height}, is_mobile=mobile,
                                  has_touch=mobile)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.base_url = base
    page.screenshot_to = lambda name: page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    return context, page


def portal_login(page, username):
    page.goto(f"{page.base_url}/accounts/login/?next=/training/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Test-pass-123")
    page.fill("input[name=captcha_1]", "PASSED")
    page.click("#main form button[type=submit]")
    page.wait_for_url("**/training/")


def qr_modules(pdf):
    """The QR code's modules as printed in the certificate PDF (one image pixel per module)."""
    images = [image.image.convert("L") for image in PdfReader(io.BytesIO(pdf)).pages[0].images]
    assert len(images) == 1
    image = images[0]
    return [[int(image.getpixel((x, y)) < 128) for x in range(image.width)] for y in range(image.height)]


def test_training_to_talent_pool(page, browser):
    hebei = Organisation.objects.get(division_id="130000")
    province = AdministratorFactory(organisation=hebei, role=Role.PROVINCIAL)
    officer = ApprovedOfficerFactory(real_name="赵合格")
    account = EnterpriseAccountFactory(enterprise=officer.enterprise, username="hege_qiye")
    for kind, answer, count in ((QuestionKind.SINGLE, "B", 6), (QuestionKind.MULTIPLE, "AC", 3)):
        for _n in range(count):
            QuestionFactory(organisation=hebei, kind=kind, answer=answer, options="甲\n乙\n丙\n丁")
    for _n in range(3):
        QuestionFactory(organisation=hebei, kind=QuestionKind.TRUE_FALSE, options="", answer="A")
    today = timezone.localdate()

    # The province opens a training.
    admin_login(page, province.mobile)
    page.goto(f"{page.base_url}/admin/training/sessions/new/")
    page.select_option("select[name=organisation]", str(hebei.pk))
    page.fill("input[name=title]", f"{today.year}年河北省首席质量官培训班")
    page.fill("input[name=year]", str(today.year))
    page.fill("input[name=capacity]", "100")
    page.fill("input[name=starts_on]", today.isoformat())
    page.fill("input[name=ends_on]", (today + datetime.timedelta(days=2)).isoformat())
    page.fill("input[name=enrolment_deadline]", (today + datetime.timedelta(days=1)).isoformat())
    page.fill("input[name=place]", "石家庄市裕华路1号培训中心")
    page.screenshot_to("training_admin_new_session")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/admin/training/sessions/")
    training = Training.unscoped.get()
    assert training.organisation == hebei
    page.screenshot_to("training_admin_sessions")
    ExamFactory(
        training=training,
        title="结业考试",
        pass_mark=60,
        rules=[
            (QuestionKind.SINGLE, "", 4, 5),
            (QuestionKind.MULTIPLE, "", 2, 10),
            (QuestionKind.TRUE_FALSE, "", 2, 5),
        ],
    )

    # The enterprise enrols its officer on the portal.
    enterprise_context, enterprise = portal_page(browser, page.base_url)
    portal_login(enterprise, account.username)
    enterprise.click("text=报名 赵合格")
    enterprise.wait_for_selector(".messages .success")
    enrolment = Enrolment.unscoped.get(officer=officer)
    assert enrolment.enrolled_by == account

    # The bureau records attendance.
    page.goto(f"{page.base_url}/admin/training/enrolments/edit/{enrolment.pk}/")
    page.check("input[name=attended]")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/admin/training/enrolments/")
    enrolment.refresh_from_db()
    assert enrolment.attended

    # The enterprise opens the exam and hands its address to the officer.
    enterprise.goto(f"{page.base_url}/training/")
    enterprise.screenshot_to("training_enterprise_home")
    enterprise.click("text=开始考试")
    link = enterprise.locator("#exam-link").get_attribute("href")
    enterprise.screenshot_to("training_exam_ready")

    # The officer sits it on a 375 px phone.
    phone_context, phone = portal_page(browser, page.base_url, 375, 740, mobile=True)
    phone.goto(link)
    attempt = Attempt.unscoped.get()
    paper = list(PaperQuestion.objects.filter(attempt=attempt).select_related("question"))
    assert len(paper) == 8
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    for item in paper:
        for letter in item.question.answer:
            phone.locator(f"fieldset[data-position='{item.position}'] input[value='{letter}']").check()
        phone.wait_for_selector(f"fieldset[data-position='{item.position}'] .save-state.saved")
    assert [item.answer for item in PaperQuestion.objects.filter(attempt=attempt)] == [
        item.question.answer for item in paper
    ]  # every answer is on the server before the paper is handed in
    phone.screenshot_to("training_exam_phone")
    phone.on("dialog", lambda dialog: dialog.accept())
    phone.click("#exam-submit")
    phone.wait_for_selector("#exam-result.passed")
    phone.screenshot_to("training_exam_passed_phone")
    certificate = Certificate.unscoped.get(officer=officer)
    assert re.fullmatch(rf"CQO13-{today.year}-\d{{6}}", certificate.number)

    # The certificate PDF's QR code is the verification address, which says valid.
    enterprise.goto(f"{page.base_url}/training/")
    pdf_url = enterprise.locator("a", has_text="证书 PDF").first.get_attribute("href")
    pdf = enterprise.context.request.get(f"{page.base_url}{pdf_url}").body()
    expected = f"{page.base_url}/training/verify/?" + urlencode({"number": certificate.number, "name": "赵合格"})
    modules = qr_modules(pdf)
    assert modules == [list(row) for row in segno.make(expected, error="m", micro=False).matrix]
    visitor_context, visitor = portal_page(browser, page.base_url, 375, 740, mobile=True)
    visitor.goto(expected)
    assert "有效" in visitor.locator("#verify-status.verify-valid").inner_text()
    assert officer.enterprise.name not in visitor.content() and officer.mobile not in visitor.content()
    visitor.screenshot_to("training_verify_valid_phone")
    pages_png = SCREENSHOTS / "training_certificate.pdf"
    pages_png.write_bytes(pdf)

    # A second officer fails (hands in without answering): not in the talent pool.
    failing = ApprovedOfficerFactory(real_name="钱未过")
    failed_enrolment = services.enrol(training, failing, None)
    Enrolment.unscoped.filter(pk=failed_enrolment.pk).update(attended=True)
    failed_enrolment.refresh_from_db()
    failed_attempt = services.start(failed_enrolment, training.exams.get())
    phone.goto(f"{page.base_url}/training/exam/{failed_attempt.token}/")
    phone.click("#exam-submit")
    phone.wait_for_selector("#exam-result.failed")

    visitor.goto(f"{page.base_url}/talent-pool/")
    table = visitor.locator("table.talent-pool").inner_text()
    assert "赵合格" in table and "钱未过" not in table
    visitor.screenshot_to("training_talent_pool_phone")
    for context in (enterprise_context, phone_context, visitor_context):
        context.close()
