"""Demo portal: site tree, notices, policy documents and the about page."""

import datetime

from registry.models import Organisation

from .models import ContentIndexPage, ContentPage
from .site import build_site

NOTICES = [
    (
        "关于开展2026年度首席质量官备案信息更新工作的通知",
        "市监质函〔2026〕31号",
        "2026-11-10",
        "请各级市场监管部门组织辖区企业于12月31日前完成首席质量官备案信息的核对与更新。",
    ),
    (
        "关于组织申报第六届中国质量奖的通知",
        "市监质发〔2026〕18号",
        "2026-10-28",
        "第六届中国质量奖评选表彰工作现已启动，请符合条件的组织和个人按要求提交申报材料。",
    ),
    (
        "关于举办全国首席质量官能力提升培训班的通知",
        "市监质函〔2026〕27号",
        "2026-09-15",
        "为提升首席质量官履职能力，定于11月在北京举办能力提升培训班，每期3天。",
    ),
    ("平台系统升级维护公告", "", "2026-08-30", "首席质量官之家平台将于9月6日0时至6时进行系统升级维护，期间暂停服务。"),
]
POLICIES = [
    (
        "质量强国建设纲要",
        "中发〔2023〕4号",
        "2023-02-06",
        "到2025年，质量整体水平进一步全面提高，中国品牌影响力稳步提升，质量强国建设取得阶段性成效。",
    ),
    (
        "企业首席质量官制度实施指南",
        "市监质发〔2024〕9号",
        "2024-03-15",
        "指导企业建立首席质量官制度，明确首席质量官的任职条件、职责权限和培训考核要求。",
    ),
    (
        "企业标准信息公开自我声明管理办法",
        "市监标创发〔2025〕6号",
        "2025-05-20",
        "企业应当公开其执行的国家标准、行业标准、地方标准、团体标准或者企业标准的编号和名称。",
    ),
]


def load(demo):
    build_site()
    national = Organisation.objects.with_function(Organisation.NATIONAL_BUREAU)
    for category, rows in (("notice", NOTICES), ("policy", POLICIES)):
        index = ContentIndexPage.objects.get(category=category)
        for title, number, date, summary in rows:
            if ContentPage.objects.filter(title=title).exists():
                continue
            page = index.add_child(
                instance=ContentPage(
                    title=title,
                    category=category,
                    document_number=number,
                    date=datetime.date.fromisoformat(date),
                    summary=summary,
                    organisation=national,
                    body=[
                        ("paragraph", f"<p>{summary}</p><p>各有关单位要高度重视，精心组织，确保各项工作落到实处。</p>")
                    ],
                )
            )
            page.save_revision().publish()
