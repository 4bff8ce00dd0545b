"""Award application PDF: a ≈10-page application with tables and a 6-page summary material appended, rendered
warm (issue 22: median ≤ 500 ms), and the applicant's download of the PDF stored at submission (≤ 20 ms), both
against a bare one-page Chinese WeasyPrint document rendered in the same run.

The data is created inside a transaction that is rolled back, and the few evidence files it stored are
deleted, so the benchmark leaves nothing behind.
"""

import io
import statistics
import time

from django.db import transaction

from bench.harness import row, say

SAMPLES = {"small": 5, "full": 15}
ONE_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
body { font-family: "Noto Sans CJK SC"; font-size: 11pt; } h1 { font-family: "Noto Serif CJK SC"; }
</style></head><body><h1>推荐表</h1><p>申报单位：河北钢铁质量示范有限公司。所属行业：黑色金属冶炼和压延加工业。</p>
<p>本单位承诺：所提交的申报材料真实、准确、完整，无任何虚假内容。</p></body></html>"""


def median_seconds(render, samples):
    """Median wall-clock and CPU seconds of ``render`` after one warming call (CPU time shows the cost
    when the shared machine is busy and wall-clock time is inflated)."""
    render()  # warm: fonts loaded, templates compiled
    wall, cpu = [], []
    for _ in range(samples):
        started, started_cpu = time.perf_counter(), time.process_time()
        render()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def build_application():
    """A qualified application whose PDF runs to about ten pages (long introduction, big tables)."""
    from filings.awards import access
    from filings.awards.factories import ApplicationFactory, ProjectFactory, make_programme
    from filings.awards.review import act, submit
    from registry.factories import AdministratorFactory

    association = access.association()
    programme = make_programme("基准测试质量标杆（bench）", slug="bench-awards-programme")
    project = ProjectFactory(
        rows=(45, 30),
        introduction="\n".join(
            f"{n}. 公司建立覆盖原料、生产、检验、交付全过程的质量追溯体系，部署在线检测与统计过程控制，"
            "关键工序一次合格率由97.8%提升至99.4%，质量损失率下降42%，客户投诉下降55%。"
            for n in range(1, 25)
        ),
    )
    application = ApplicationFactory(
        programme=programme,
        project=project,
        enterprise=project.enterprise,
        filing__enterprise=project.enterprise,
        summary_material=summary_material(),
    )
    submit(application, application.created_by)
    act(application, "qualify", AdministratorFactory(organisation=association), "资格审查通过")
    return application


def summary_material(pages=6):
    """A summary material PDF of ``pages`` pages of Chinese text, as applicants upload it."""
    from django.core.files.base import ContentFile
    from weasyprint import HTML

    paragraph = "<p>公司坚持质量第一，建立全员、全过程、全方位的质量管理体系，持续改进，追求卓越。</p>" * 30
    body = "".join(f'<h1 style="page-break-before: always">第{n}部分</h1>{paragraph}' for n in range(1, pages + 1))
    html = f'<html lang="zh-CN"><body style="font-family: \'Noto Sans CJK SC\'">{body}</body></html>'
    return ContentFile(HTML(string=html).write_pdf(), name="summary.pdf")


def stored_download_seconds(application, samples):
    """Median seconds of the applicant's print download, served from the PDF stored at submission."""
    from django.test import RequestFactory

    from filings.awards.views import application_print

    request = RequestFactory().get(f"/apply/applications/{application.pk}/print/")
    request.user = application.created_by

    def download():
        response = application_print(request, application.pk)
        assert b"".join(response.streaming_content).startswith(b"%PDF-")

    return median_seconds(download, samples)


def stored_files(application):
    files = [application.summary_material, application.filing.licence_copy, application.project.other_attachment]
    files += [file.file for file in application.submission.files.all()]
    files += [application.submission.pdf, application.printed_pdf]
    files += [year.proof for year in application.filing.economic_years.all()]
    files += [item.proof for item in application.project.intellectual_property.all()]
    files += [honour.proof for honour in application.project.honours.all()]
    return [file for file in files if file]


def main(scale):
    from pypdf import PdfReader
    from weasyprint import HTML

    from filings.awards.models import Application
    from filings.awards.pdf import application_pdf, stored_pdf

    samples = SAMPLES.get(scale, 5)
    files = []
    with transaction.atomic():
        application = build_application()
        pages = len(PdfReader(io.BytesIO(application_pdf(application))).pages)
        measured, measured_cpu = median_seconds(lambda: application_pdf(application), samples)
        stored_pdf(application)  # what the background task does at each state change
        application = Application.unscoped.get(pk=application.pk)
        download, download_cpu = stored_download_seconds(application, samples * 4)
        files = stored_files(application)
        transaction.set_rollback(True)
    for file in files:
        file.storage.delete(file.name)
    baseline, baseline_cpu = median_seconds(lambda: HTML(string=ONE_PAGE).write_pdf(), samples)
    rows = [
        row(
            f"award application PDF ({pages} pages with tables, summary appended), warm median of {samples}",
            measured,
            "bare WeasyPrint one-page Chinese document",
            baseline,
            "≤ 500 ms",
            measured_cpu_s=measured_cpu,
            baseline_cpu_s=baseline_cpu,
        ),
        row(
            f"applicant's download of the stored application PDF, median of {samples * 4}",
            download,
            "bare WeasyPrint one-page Chinese document",
            baseline,
            "≤ 20 ms",
            measured_cpu_s=download_cpu,
            baseline_cpu_s=baseline_cpu,
        ),
    ]
    for item in rows:
        say(
            f"   {item['scenario']}: {item['measured_s']:.3f} s (CPU {item['measured_cpu_s']:.3f} s); "
            f"{item['baseline']}: {item['baseline_s']:.3f} s (CPU {baseline_cpu:.3f} s)"
        )
    return rows
