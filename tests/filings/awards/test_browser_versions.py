"""In Chromium: what was awarded stays as awarded after the applicant edits the filing and project; the organiser's
role (no superuser) creates a programme and publishes results; an unassigned expert gets 404 on every file."""

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from filings.awards import access
from filings.awards.factories import ApplicationFactory, make_programme, pdf_file
from filings.awards.models import Application, AwardProgrammePage, ReviewerAssignment
from filings.awards.review import act
from registry.factories import AdministratorFactory
from registry.models import Organisation, Role

from .test_browser import admin_login, site_root

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"
ORIGINAL_NAME = "石家庄测试标杆有限公司"
ORIGINAL_PROJECT = "实施全流程质量追溯体系提升产品一致性的经验"


def portal_login(browser, base, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.screenshot_to = lambda name: page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Test-pass-123")
    page.fill("input[name=captcha_1]", "PASSED")
    page.click("#main form button[type=submit]")
    page.wait_for_load_state()
    return context, page


def decide(page, base, application, action, comment=""):
    page.goto(f"{base}/admin/award_applications/{application.pk}/")
    if comment:
        page.fill("textarea[name=comment]", comment)
    page.click(f"button[value={action}]")
    page.wait_for_selector("#application-state")


def publish(page):
    """Wagtail's page editor: open the action menu and publish."""
    page.click("footer .w-dropdown__toggle")
    page.click("button[name=action-publish]")
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))


@pytest.mark.browser
def test_award_survives_edits_and_organiser_runs_programme(page, browser):
    site_root()
    programme = make_programme(recommending_units=Organisation.objects.filter(division_id="130000"))
    association = access.association()
    organiser = AdministratorFactory(organisation=association, role=Role.INSTITUTION, real_name="协会审核员")
    hebei = AdministratorFactory(organisation=Organisation.objects.get(division_id="130000"), role=Role.PROVINCIAL)
    expert = AdministratorFactory(organisation=association, role="", real_name="评审专家甲")
    outsider = AdministratorFactory(organisation=association, role="", real_name="评审专家乙")
    application = ApplicationFactory(programme=programme, filing__name=ORIGINAL_NAME)
    project = application.project
    project.name, project.other_attachment = ORIGINAL_PROJECT, pdf_file("attachment.pdf")
    project.save()
    applicant = application.created_by
    base = page.base_url

    # The applicant submits the complete draft.
    applicant_context, applicant_page = portal_login(browser, base, applicant.username)
    applicant_page.goto(f"{base}/apply/applications/{application.pk}/edit/")
    applicant_page.click("button[name=submit]")
    applicant_page.wait_for_url(re.compile(rf"/apply/applications/{application.pk}/$"))

    # The organiser's reviewer: qualification (the screen shows patents, honours and files), experts, award.
    organiser_context, organiser_page = admin_login(browser, base, organiser)
    organiser_page.goto(f"{base}/admin/award_applications/{application.pk}/")
    assert organiser_page.locator("#dossier-ip tbody tr").count() == 1
    assert organiser_page.locator("#dossier a.file").count() >= 6
    decide(organiser_page, base, application, "qualify", "材料齐全")
    act(application, "recommend", hebei, "同意推荐")
    organiser_page.goto(f"{base}/admin/award_applications/{application.pk}/")
    organiser_page.select_option("select[name=reviewer]", str(expert.pk))
    organiser_page.click("form[action$='/assign/'] button[type=submit]")
    organiser_page.wait_for_selector("#application-state")
    assignment = ReviewerAssignment.objects.get(application=application, reviewer=expert)

    # The expert has everything on one sheet, and scores.
    expert_context, expert_page = portal_login(browser, base, expert.mobile)
    expert_page.goto(f"{base}/apply/reviews/{assignment.pk}/")
    for selector in ("#dossier-ip", "#dossier-honours", "#dossier-summary", "#application-pdf"):
        assert expert_page.locator(selector).count() == 1, selector
    expert_page.screenshot_to("awards-expert-sheet")
    expert_page.check("input[name=coi-conflict][value=none]")
    expert_page.click("button[name=declare]")
    for criterion in programme.criteria.all():
        expert_page.fill(f"input[name=criterion_{criterion.pk}]", str(criterion.max_score - 7))
    expert_page.click("button[name=score]")
    expert_page.wait_for_url(re.compile(r"/apply/reviews/$"))
    decide(organiser_page, base, application, "conclude_review")
    decide(organiser_page, base, application, "award")
    application.refresh_from_db()
    assert application.state == Application.State.AWARDED

    # The organiser publishes the results by editing the programme page (no superuser).
    organiser_page.goto(f"{base}/admin/pages/{programme.pk}/edit/")
    organiser_page.check("input[name=results_published]")
    publish(organiser_page)
    assert AwardProgrammePage.objects.get(pk=programme.pk).results_published

    # ... and creates next year's programme with a scoring criterion.
    index = programme.get_parent()
    organiser_page.goto(f"{base}/admin/pages/add/awards/awardprogrammepage/{index.pk}/")
    organiser_page.fill("input[name=title]", "2027年全国质量标杆")
    organiser_page.fill("input[name=opens_at]", "2027-03-01 09:00")
    organiser_page.fill("input[name=closes_at]", "2027-06-30 17:00")
    organiser_page.fill("input[name=first_data_year]", "2024")
    organiser_page.fill("input[name=last_data_year]", "2026")
    organiser_page.fill("textarea[name=pledge]", "本单位承诺所提交的申报材料真实、准确、完整。")
    organiser_page.select_option("select[name=organiser]", str(association.pk))
    organiser_page.click("#id_criteria-ADD")
    organiser_page.fill("input[name=criteria-0-name]", "领导与战略")
    organiser_page.fill("input[name=criteria-0-max_score]", "100")
    publish(organiser_page)
    created = AwardProgrammePage.objects.get(title="2027年全国质量标杆")
    assert created.live and created.criteria.count() == 1
    organiser_context.close()

    # The applicant renames the organisation and project and changes a year's revenue after the award.
    applicant_page.goto(f"{base}/apply/filings/{application.filing.pk}/")
    applicant_page.fill("input[name=name]", f"{ORIGINAL_NAME}(改名)")
    applicant_page.fill("input[name=years-0-revenue]", "999999")
    applicant_page.click("button[name=save]")
    applicant_page.wait_for_url(re.compile(r"/apply/filings/\d+/$"))
    applicant_page.goto(f"{base}/apply/projects/{project.pk}/")
    applicant_page.fill("input[name=name]", "（已获奖后修改的项目名）")
    applicant_page.click("#main form button[type=submit]")
    applicant_page.wait_for_url(re.compile(r"/apply/projects/\d+/$"))
    application.filing.refresh_from_db()
    assert application.filing.name.endswith("(改名)")

    # The public results and the PDF still show what was awarded.
    page.goto(f"{base}{programme.url}")
    results = page.inner_text("#results")
    assert ORIGINAL_NAME in results and ORIGINAL_PROJECT in results and "改名" not in results
    page.screenshot_to("awards-results")
    applicant_page.goto(f"{base}/apply/applications/{application.pk}/")
    with applicant_page.expect_download() as download:
        applicant_page.click(f"a[href='/apply/applications/{application.pk}/print/']")
    reader = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = "".join("".join(p.extract_text() for p in reader.pages).split())
    assert ORIGINAL_NAME in text and ORIGINAL_PROJECT in text
    assert "改名" not in text and "已获奖后修改" not in text and "999999" not in text
    applicant_context.close()

    # An expert not assigned to the application gets 404 on every file of it, and on its PDF.
    application.refresh_from_db()
    urls = [copy.file.url for copy in application.submission.files.all()]
    urls += [
        application.summary_material.url,
        application.filing.licence_copy.url,
        project.other_attachment.url,
        f"/apply/applications/{application.pk}/print/",
    ]
    outsider_context, outsider_page = portal_login(browser, base, outsider.mobile)
    assert [outsider_page.request.get(f"{base}{url}").status for url in urls] == [404] * len(urls)
    assert expert_page.request.get(f"{base}{urls[0]}").status == 200
    outsider_context.close()
    expert_context.close()
