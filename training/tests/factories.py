"""Factories that keep related rows consistent: a session lies inside its course's dates, an
enrollment's student number is unique in its course."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from training import rules
from training.models import Course, Enrollment, Membership, Organization, Session, Trainee

PASSWORD = "secret-pass-123"  # every factory-made staff account's


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"工作人员{n}")
    password = factory.django.Password(PASSWORD)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"第{n}县总工会")
    short_name = "县总工会"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.ORGANIZER


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"基层工会干部培训班{n}")
    venue = "中共青山县委党校"
    start_date = date(2026, 11, 20)
    end_date = factory.LazyAttribute(lambda c: c.start_date + timedelta(days=2))
    status = Course.Status.PUBLISHED


def at(day: date, clock: str) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.fromisoformat(clock)))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    kind = Session.Kind.LECTURE
    title = factory.Sequence(lambda n: f"专题讲座{n}")
    lecturer = "县总工会副主席 赵明"
    room = "报告厅"
    starts_at = factory.LazyAttribute(lambda s: at(s.course.start_date, "08:30"))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=2))
    credit_hours = Decimal("2")


def _an_organization():
    return Organization.objects.order_by("pk").first() or OrganizationFactory()


class TraineeFactory(factory.django.DjangoModelFactory):
    """A trainee of the first organization (or a new one); enrolling them with EnrollmentFactory in
    another organization's course moves them there, as a trainee belongs to the organization
    whose courses they attend."""

    class Meta:
        model = Trainee

    organization = factory.LazyFunction(_an_organization)
    name = factory.Sequence(lambda n: f"学员{rules.chinese_number(n % 99 + 1)}")
    gender = Trainee.Gender.FEMALE
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    work_unit = "县人民医院工会"
    position = "工会主席"
    access_code = factory.Sequence(lambda n: f"{(n * 7919) % 10**6:06d}")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    course = factory.SubFactory(CourseFactory)
    trainee = factory.SubFactory(TraineeFactory, organization=factory.SelfAttribute("..course.organization"))
    student_no = factory.Sequence(lambda n: f"{n + 1:03d}")
    group = "第一组"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        trainee, course = kwargs["trainee"], kwargs["course"]
        if trainee.organization_id != course.organization_id and not trainee.enrollments.exists():
            trainee.organization = course.organization
            trainee.save(update_fields=["organization"])
        return super()._create(model_class, *args, **kwargs)
