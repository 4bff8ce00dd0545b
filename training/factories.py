"""factory-boy factories for training records (tests and the scoping sweep)."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from registry.factories import EnterpriseFactory
from registry.models import Division, Organisation
from registry.officers.factories import OfficerFactory

from .models import Attempt, Certificate, Enrolment, Exam, ExamRule, Question, QuestionKind, Training


def province(code="130000"):
    return Organisation.objects.get(division_id=code)


class ApprovedOfficerFactory(OfficerFactory):
    """An approved officer of a fresh enterprise in 石家庄市长安区."""

    enterprise = factory.SubFactory(EnterpriseFactory, region=factory.LazyFunction(lambda: Division.objects.get(
        code="130102")))  # fmt: skip
    live = True
    review_status = "approved"


class TrainingFactory(DjangoModelFactory):
    class Meta:
        model = Training

    organisation = factory.LazyFunction(province)
    title = factory.Sequence(lambda n: f"首席质量官培训班{n}")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
    ends_on = factory.LazyAttribute(lambda training: training.starts_on + datetime.timedelta(days=1))
    enrolment_deadline = factory.LazyAttribute(lambda training: training.starts_on - datetime.timedelta(days=2))
    place = "石家庄市培训中心"
    capacity = 50


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    training = factory.SubFactory(TrainingFactory)
    officer = factory.SubFactory(ApprovedOfficerFactory)
    attended = True


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    organisation = factory.LazyFunction(province)
    kind = QuestionKind.SINGLE
    topic = "质量法规"
    text = factory.Sequence(lambda n: f"第{n}题：下列哪一项正确？")
    options = "甲\n乙\n丙\n丁"
    answer = "A"


class ExamFactory(DjangoModelFactory):
    class Meta:
        model = Exam
        skip_postgeneration_save = True

    training = factory.SubFactory(TrainingFactory)
    title = factory.Sequence(lambda n: f"结业考试{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    duration_minutes = 30
    pass_mark = 60

    @factory.post_generation
    def rules(exam, create, extracted, **kwargs):
        """``rules=[(kind, topic, count, points), …]``; one single-choice question by default."""
        for kind, topic, count, points in extracted or [(QuestionKind.SINGLE, "", 1, 1)]:
            ExamRule.objects.create(exam=exam, kind=kind, topic=topic, count=count, points=points)


class AttemptFactory(DjangoModelFactory):
    class Meta:
        model = Attempt

    enrolment = factory.SubFactory(EnrolmentFactory)
    exam = factory.SubFactory(ExamFactory, training=factory.SelfAttribute("..enrolment.training"))
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(minutes=30))


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = Certificate

    organisation = factory.LazyFunction(province)
    number = factory.Sequence(lambda n: f"CQO13-2026-{900000 + n:06d}")
    officer = factory.SubFactory(ApprovedOfficerFactory)
    holder_name = factory.SelfAttribute("officer.real_name")
    training = factory.SubFactory(TrainingFactory)
    year = factory.SelfAttribute("training.year")
    issued_on = factory.LazyFunction(timezone.localdate)
    valid_until = factory.LazyAttribute(lambda certificate: datetime.date(certificate.year + 1, 12, 31))
