"""Demo training: last year's provincial trainings certified the approved demo officers (so the talent pool shows
them); this year's Hebei training has a question bank, an open exam and its enterprises' officers enrolled."""

import datetime

from django.utils import timezone

from registry.models import ChiefQualityOfficer, Organisation

from . import services
from .models import Attempt, Certificate, Enrolment, Exam, ExamRule, PaperQuestion, Question, QuestionKind, Training

S, M, T = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE
#: (type, topic, question, options, answer)
QUESTIONS = [
    (
        S,
        "质量法规",
        "《中华人民共和国产品质量法》规定，对其生产的产品质量负责的是？",
        "生产者\n销售者\n检验机构\n消费者",
        "A",
    ),
    (
        S,
        "质量法规",
        "企业首席质量官直接向谁报告工作？",
        "质量部经理\n企业法定代表人或主要负责人\n市场监管部门\n行业协会",
        "B",
    ),
    (S, "质量法规", "缺陷产品召回制度的责任主体是？", "生产者\n消费者\n认证机构\n物流企业", "A"),
    (S, "质量管理方法", "PDCA循环中的“C”指的是？", "计划\n执行\n检查\n处理", "C"),
    (S, "质量管理方法", "六西格玛方法的改进流程通常称为？", "DMAIC\nSWOT\nKPI\nOKR", "A"),
    (S, "质量管理方法", "用于分析问题主要原因、按频次排序的图是？", "鱼骨图\n帕累托图\n控制图\n散布图", "B"),
    (S, "质量管理方法", "控制图主要用于？", "判断过程是否处于统计受控状态\n制定年度预算\n绩效考核\n供应商付款", "A"),
    (S, "质量管理体系", "GB/T 19001 对应的国际标准是？", "ISO 9001\nISO 14001\nISO 45001\nISO 27001", "A"),
    (M, "质量管理方法", "下列属于先进质量管理方法的有？", "卓越绩效管理\n精益生产\n零缺陷\n六西格玛", "ABCD"),
    (
        M,
        "首席质量官职责",
        "首席质量官的工作职责包括？",
        "制定质量品牌战略\n组织质量改进活动\n决定企业利润分配\n负责质量人才培训",
        "ABD",
    ),
    (
        M,
        "首席质量官职责",
        "首席质量官的工作权利包括？",
        "参与经营管理战略决策\n行使质量安全“一票否决”权\n主持企业内质量考核\n审批政府质量奖",
        "ABC",
    ),
    (M, "质量管理体系", "质量管理原则包括？", "以顾客为关注焦点\n领导作用\n循证决策\n以产量为中心", "ABC"),
    (T, "首席质量官职责", "首席质量官应具有大专及以上学历或相当学历，从事质量管理工作3年以上。", "", "A"),
    (T, "首席质量官职责", "首席质量官可以泄露履职中掌握的合作伙伴信息。", "", "B"),
    (T, "质量法规", "纳入人才库的首席质量官只公布姓名、单位和任职时间。", "", "A"),
    (T, "质量管理方法", "“第一次就把事情做对”是零缺陷管理的核心理念。", "", "A"),
]
RULES = [(S, "", 5, 4), (M, "", 3, 6), (T, "", 3, 4)]


def training_for(province, title, year, start, **extra):
    training, _created = Training.unscoped.update_or_create(
        organisation=province,
        title=title,
        defaults={
            "year": year,
            "starts_on": start,
            "ends_on": start + datetime.timedelta(days=2),
            "enrolment_deadline": start - datetime.timedelta(days=7),
            "capacity": 200,
            "place": extra.get("place", f"{province.division.name}市场监督管理局培训中心"),
            "online": extra.get("online", False),
        },
    )
    return training


def certify_last_year(province, today):
    """Last year's training: every approved demo officer of the province attended and holds its certificate."""
    year = today.year - 1
    training = training_for(province, f"{year}年{province.division.name}企业首席质量官培训班", year,
                            datetime.date(year, 9, 15))  # fmt: skip
    officers = ChiefQualityOfficer.unscoped.filter(
        live=True, enterprise__organisation__path__startswith=province.path
    ).select_related("enterprise__organisation")
    for officer in officers:
        enrolment, _created = Enrolment.unscoped.get_or_create(
            training=training, officer=officer, defaults={"attended": True}
        )
        if not Certificate.unscoped.filter(officer=officer, training=training).exists():
            services.issue(enrolment, today=datetime.date(year, 9, 30))


def load(demo):
    today = timezone.localdate()
    hebei = Organisation.objects.get(division_id="130000")
    beijing = Organisation.objects.get(division_id="110000")
    for province in (hebei, beijing):
        certify_last_year(province, today)

    for kind, topic, text, options, answer in QUESTIONS:
        Question.unscoped.update_or_create(
            organisation=hebei, text=text, defaults={"kind": kind, "topic": topic, "options": options, "answer": answer}
        )
    training = training_for(hebei, f"{today.year}年河北省企业首席质量官培训班（线上）", today.year,
                            today - datetime.timedelta(days=3), online=True, place="")  # fmt: skip
    Training.unscoped.filter(pk=training.pk).update(enrolment_deadline=today + datetime.timedelta(days=30))
    now = timezone.now()
    exam, created = Exam.unscoped.get_or_create(
        training=training,
        title=f"{today.year}年首席质量官培训结业考试",
        defaults={
            "opens_at": now - datetime.timedelta(days=1),
            "closes_at": now + datetime.timedelta(days=60),
            "duration_minutes": 30,
            "pass_mark": 60,
        },  # fmt: skip
    )
    if created:
        for kind, topic, count, points in RULES:
            ExamRule.objects.create(exam=exam, kind=kind, topic=topic, count=count, points=points)
    # 石家庄's approved officers enrolled and attended: their enterprises can open the exam. Two of them sat it
    # already: one passed (renewing the certificate), one failed and may retake it.
    enrolments = [
        Enrolment.unscoped.get_or_create(training=training, officer=officer, defaults={"attended": True})[0]
        for officer in ChiefQualityOfficer.unscoped.filter(live=True, enterprise__region__code__startswith="1301")
    ]
    for enrolment, right in zip(enrolments[-2:], (True, False), strict=False):
        if not Attempt.unscoped.filter(enrolment=enrolment).exists():
            sit(enrolment, exam, right)


def sit(enrolment, exam, right):
    attempt = services.start(enrolment, exam)
    for item in PaperQuestion.objects.filter(attempt=attempt).select_related("question"):
        services.save_answer(attempt, item.position, item.question.answer if right else "")
    services.finish(attempt)
