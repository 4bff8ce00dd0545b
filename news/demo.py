"""Demo news: a dozen published articles from several organisations and two awaiting approval.

Runs before ``registry.demo``: it needs no particular administrator (owners stay empty); pending
articles are submitted by the section's administrator when one exists.
"""

import datetime
import zlib

from django.contrib.auth import get_user_model

from registry.models import Organisation

from .models import NewsPage
from .sections import WORKFLOW_NAME, ensure_section

#: (organisation key: "national" or a division code, title, date, summary, paragraphs, tags)
ARTICLES = [
    (
        "national",
        "市场监管总局召开2026年全国质量工作会议",
        "2026-11-18",
        "会议总结了“十四五”以来质量强国建设成效，部署了下一阶段首席质量官制度推广等重点任务。",
        [
            "会议指出，各地要深入实施质量强国建设纲要，推动企业普遍建立首席质量官制度。",
            "会议要求，加快完善质量基础设施，持续开展质量提升行动，全面提升产品、工程和服务质量。",
        ],
        ["质量强国", "工作会议"],
    ),
    (
        "national",
        "第五届中国质量奖获奖名单公布",
        "2026-09-20",
        "经评审，共有10家组织和2名个人获得第五届中国质量奖，90家组织和8名个人获得提名奖。",
        [
            "中国质量奖是我国质量领域的最高荣誉，旨在表彰在质量管理模式、管理方法和管理制度领域取得重大创新成就的组织和个人。",
            "获奖组织覆盖装备制造、信息技术、医药健康等多个行业，充分展示了我国企业的质量管理水平。",
        ],
        ["全国质量奖", "表彰"],
    ),
    (
        "national",
        "《企业首席质量官制度实施指南》解读",
        "2026-06-12",
        "指南明确首席质量官应具备的任职条件、职责权限，以及企业建立首席质量官制度的具体步骤。",
        [
            "首席质量官是企业质量管理的核心岗位，对企业质量工作负有统筹协调职责。",
            "指南提出，规模以上工业企业应当逐步建立首席质量官制度，并定期组织培训和考核。",
        ],
        ["首席质量官", "政策解读"],
    ),
    (
        "130000",
        "河北省开展首席质量官培训，1200余名企业质量负责人参训",
        "2026-11-05",
        "河北省市场监管局组织开展全省首席质量官能力提升培训，覆盖钢铁、装备制造、医药等重点行业。",
        [
            "培训邀请质量管理专家围绕卓越绩效模式、质量风险管控等内容进行专题授课。",
            "参训学员表示，将把所学运用到企业质量管理实践中，推动企业质量水平再上新台阶。",
        ],
        ["首席质量官", "培训"],
    ),
    (
        "130000",
        "河北省政府质量奖评审工作全面启动",
        "2025-08-22",
        "2025年度河北省政府质量奖申报工作启动，申报截止日期为10月15日。",
        [
            "河北省政府质量奖是全省质量领域的最高荣誉，每两年评选一次。",
            "申报组织应在河北省内依法注册，近三年无重大质量、安全、环境事故。",
        ],
        ["质量奖"],
    ),
    (
        "130100",
        "石家庄市推动重点企业首席质量官全覆盖",
        "2026-10-16",
        "截至10月底，石家庄市规模以上工业企业首席质量官设立率达到92%，较去年提高15个百分点。",
        [
            "石家庄市市场监管局将首席质量官制度推广纳入质量提升行动重点任务，实行清单化管理。",
            "下一步，该局将持续开展首席质量官培训和交流活动，发挥首席质量官在企业质量管理中的引领作用。",
        ],
        ["首席质量官", "质量提升"],
    ),
    (
        "130100",
        "石家庄市举办质量月系列活动",
        "2025-09-08",
        "以“加强质量支撑，共建质量强国”为主题，石家庄市开展质量开放日、质量知识竞赛等系列活动。",
        [
            "活动期间，20余家企业向公众开放生产线，展示质量管理成果。",
            "质量知识竞赛吸引了全市150余家企业的质量管理人员参加。",
        ],
        ["质量月"],
    ),
    (
        "130102",
        "长安区开展企业标准自我声明公开专项检查",
        "2026-10-30",
        "长安区市场监管局对辖区80家企业的标准自我声明公开情况进行了专项检查，督促问题企业限期整改。",
        [
            "检查发现，部分企业存在公开标准信息不完整、执行标准已废止未及时更新等问题。",
            "该局已对发现问题的企业下达整改通知，并将在一个月后进行复查。",
        ],
        ["企业标准", "专项检查"],
    ),
    (
        "130102",
        "长安区召开首席质量官座谈会",
        "2026-07-18",
        "长安区市场监管局组织辖区30余家企业首席质量官座谈交流，共商质量提升举措。",
        [
            "座谈会上，企业首席质量官分享了在质量管理体系建设、质量改进等方面的经验做法。",
            "区市场监管局表示，将为企业提供质量技术帮扶，助力企业高质量发展。",
        ],
        ["首席质量官"],
    ),
    (
        "110000",
        "北京市发布首都标准化发展报告",
        "2026-08-05",
        "报告显示，北京市企业自我声明公开标准数量持续增长，团体标准在新兴产业中的作用日益突出。",
        [
            "截至上半年，北京市企业自我声明公开的标准超过5万项。",
            "北京市将继续实施企业标准“领跑者”制度，引导企业提升标准水平。",
        ],
        ["标准化", "企业标准"],
    ),
    (
        "110000",
        "北京市质量技术帮扶专项行动成效显著",
        "2025-12-02",
        "北京市组织200余名专家深入企业开展质量技术帮扶，帮助企业解决质量难题300余项。",
        [
            "专项行动聚焦高端装备、生物医药等重点领域，开展“一企一策”精准帮扶。",
            "帮扶企业产品合格率平均提高3.2个百分点。",
        ],
        ["质量提升"],
    ),
    (
        "110105",
        "朝阳区表彰十佳首席质量官",
        "2026-05-26",
        "朝阳区对在质量管理工作中表现突出的10名企业首席质量官予以通报表扬。",
        [
            "获表彰的首席质量官来自软件、食品检测、电子信息等行业。",
            "朝阳区鼓励更多企业设立首席质量官岗位，提升企业质量管理水平。",
        ],
        ["首席质量官", "表彰"],
    ),
]

#: Submitted for approval but not yet approved: never visible on the public site.
PENDING = [
    (
        "130102",
        "长安区质量提升示范企业名单（待审核）",
        "2026-11-20",
        "经企业申报、专家评审，长安区拟认定5家企业为质量提升示范企业。",
        ["名单公示期为7个工作日。"],
        ["质量提升"],
    ),
    (
        "110105",
        "朝阳区开展食品检测机构质量能力比对（待审核）",
        "2026-11-19",
        "朝阳区组织辖区12家食品检测机构开展质量能力比对，比对结果将向社会公布。",
        ["比对项目涵盖农药残留、重金属等6类检测指标。"],
        ["食品检测"],
    ),
]


def organisation_for(key):
    if key == "national":
        return Organisation.objects.with_function(Organisation.NATIONAL_BUREAU)
    return Organisation.objects.get(division_id=key)


def body_of(paragraphs):
    return [("paragraph", "".join(f"<p>{text}</p>" for text in paragraphs))]


def add_article(key, title, date, summary, paragraphs, tags):
    """Create the article once (matched by title), unpublished; slugs are dated like a bureau's archive."""
    page = NewsPage.objects.filter(title=title).first()
    if page is not None:
        return page, False
    section = ensure_section(organisation_for(key))
    page = NewsPage(
        title=title,
        slug=f"{date.replace('-', '')}-{zlib.crc32(title.encode()) % 10_000:04d}",
        date=datetime.date.fromisoformat(date),
        summary=summary,
        body=body_of(paragraphs),
        live=False,
    )
    page.tags.add(*tags)
    section.add_child(instance=page)
    return page, True


def load(demo):
    User = get_user_model()
    for row in ARTICLES:
        page, created = add_article(*row)
        if created:
            page.save_revision().publish()
    for row in PENDING:
        page, created = add_article(*row)
        if created:
            author = User.objects.filter(organisation=page.organisation, kind=User.Kind.ADMINISTRATOR).first()
            page.save_revision(user=author)
            workflow = page.get_workflow()
            if workflow is not None and workflow.name == WORKFLOW_NAME and page.current_workflow_state is None:
                workflow.start(page, author)
