"""报名 by unit through the services: normalisation as the roster's, the quota under concurrency
(PostgreSQL), substitution, return and approval through the roster import."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from attendance.tests.helpers import race
from core.errors import DomainError
from core.models import AuditEntry
from registration import services
from registration.models import Nominee
from training.models import Enrollment
from training.tests.factories import TraineeFactory

from .helpers import person, quota, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def hospital(organization):
    return unit(organization)


def test_what_a_contact_types_is_normalised_as_a_roster_row(course, hospital):
    q = quota(course, hospital)
    nominee = services.nominee_add(
        quota=q,
        values=person(name="阿依古丽・买买提", phone="+86 138-0013-8000", ethnicity="维吾尔", political_status="党员"),
    )
    assert (nominee.name, nominee.phone) == ("阿依古丽·买买提", "13800138000")
    assert (nominee.ethnicity, nominee.political_status) == ("维吾尔族", "中共党员")


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("phone", "1380013800", "不是有效的11位手机号码"),
        ("name", "张三3", "含有数字"),
        ("id_number", "43012119900101001X", ""),
    ],
)
def test_a_bad_value_is_refused_on_its_field_and_writes_nothing(course, hospital, field, value, words):
    q = quota(course, hospital)
    with pytest.raises(DomainError) as caught:
        services.nominee_add(quota=q, values=person(**{field: value}))
    assert caught.value.field == field and words in caught.value.message
    assert not Nominee.objects.exists()


def test_a_unit_is_refused_beyond_its_places_and_extra_places_open_one_more(course, hospital):
    q = quota(course, hospital, places=1)
    services.nominee_add(quota=q, values=person())
    with pytest.raises(DomainError) as caught:
        services.nominee_add(quota=q, values=person("钱伟", "13800138001"))
    assert caught.value.code == "quota_full"
    services.quota_extra_set(quota=q, extra=1)
    services.nominee_add(quota=q, values=person("钱伟", "13800138001"))
    with pytest.raises(DomainError) as caught:
        services.quota_extra_set(quota=q, extra=0)
    assert caught.value.code == "below_taken"


def test_one_phone_is_put_forward_once_per_course(course, hospital, organization):
    services.nominee_add(quota=quota(course, hospital), values=person())
    other = quota(course, unit(organization, "县供电公司工会"))
    with pytest.raises(DomainError) as caught:
        services.nominee_add(quota=other, values=person("赵春梅", "13800138000"))
    assert caught.value.code == "duplicate_phone" and caught.value.field == "phone"


def test_the_deadline_and_the_lock_close_the_link(course, hospital):
    deadline = timezone.now() + timedelta(days=1)
    q = quota(course, hospital, deadline=deadline)
    with time_machine.travel(deadline - timedelta(minutes=1), tick=False):
        nominee = services.nominee_add(quota=q, values=person())
    with time_machine.travel(deadline, tick=False), pytest.raises(DomainError) as caught:
        services.nominee_update(nominee=nominee, values=person(position="副主席"))
    assert caught.value.code == "closed"
    services.registration_lock(course=course, locked=True)
    with time_machine.travel(deadline - timedelta(hours=1), tick=False), pytest.raises(DomainError) as caught:
        services.nominee_replace(nominee=nominee, values=person("钱伟", "13800138001"))
    assert caught.value.code == "locked"


def test_a_substitute_takes_the_place_and_keeps_the_record(course, hospital):
    q = quota(course, hospital, places=1)
    old = services.nominee_add(quota=q, values=person())
    new = services.nominee_replace(nominee=old, values=person("钱伟", "13800138001"))
    old.refresh_from_db()
    assert old.status == Nominee.Status.REPLACED and new.replaces == old and old.replaced_by == new
    with pytest.raises(DomainError):  # the one place is still taken
        services.nominee_add(quota=q, values=person("孙丽", "13800138002"))


def test_a_returned_nominee_is_fixed_and_resubmitted(course, hospital, organizer):
    nominee = services.nominee_add(quota=quota(course, hospital), values=person())
    services.nominee_return(nominee=nominee, comment="请填写完整职务", by=organizer)
    nominee.refresh_from_db()
    assert (nominee.status, nominee.comment) == (Nominee.Status.RETURNED, "请填写完整职务")
    services.nominee_update(nominee=nominee, values=person(position="工会主席（兼）"))
    nominee.refresh_from_db()
    assert (nominee.status, nominee.comment) == (Nominee.Status.PENDING, "")


def test_approved_nominees_join_the_roster_through_the_roster_import(course, hospital, organizer, enrollment):
    q = quota(course, hospital, places=3)
    services.nominee_add(quota=q, values=person())
    services.nominee_add(quota=q, values=person("钱伟", "13800138001", gender="M"))
    done = services.nominees_approve(course=course, by=organizer)
    assert len(done) == 2
    added = Enrollment.objects.filter(course=course, trainee__phone__in=["13800138000", "13800138001"])
    assert sorted(added.values_list("student_no", flat=True)) == ["002", "003"]  # numbered after 001
    assert {e.trainee.work_unit for e in added} == {"县医院工会"}
    assert all(n.enrollment_id and n.status == "approved" for n in Nominee.objects.all())
    with pytest.raises(DomainError) as caught:
        services.nominee_update(nominee=done[0], values=person(position="副主席"))
    assert caught.value.code == "approved"


def test_an_approved_nominee_withdrawn_leaves_the_roster_and_frees_the_place(course, hospital, organizer):
    q = quota(course, hospital, places=1)
    nominee = services.nominee_add(quota=q, values=person())
    with pytest.raises(DomainError) as caught:
        services.nominee_withdraw(nominee=nominee, comment="不能来", by=organizer)
    assert caught.value.code == "not_approved"  # a pending one is returned, not withdrawn
    [nominee] = services.nominees_approve(course=course, by=organizer)
    with pytest.raises(DomainError) as caught:
        services.nominee_withdraw(nominee=nominee, comment=" ", by=organizer)
    assert caught.value.field == "comment"

    services.nominee_withdraw(nominee=nominee, comment="单位来电：本人因工作不能参加", by=organizer)
    nominee.refresh_from_db()
    assert nominee.status == Nominee.Status.WITHDRAWN and nominee.enrollment.status == Enrollment.Status.WITHDRAWN
    entry = AuditEntry.objects.get(action="registration.withdraw")
    assert (entry.label, entry.after["comment"]) == ("县医院工会 赵春梅", "单位来电：本人因工作不能参加")
    assert AuditEntry.objects.filter(action="roster.edit", after={"status": "withdrawn"}).exists()
    # The unit's one place is free again, and the person may even be put forward again.
    again = services.nominee_add(quota=q, values=person())
    assert again.status == Nominee.Status.PENDING
    with pytest.raises(DomainError) as caught:
        services.nominee_update(nominee=nominee, values=person(position="副主席"))
    assert caught.value.code == "withdrawn"


def test_returning_is_written_to_the_audit_log(course, hospital, organizer):
    nominee = services.nominee_add(quota=quota(course, hospital), values=person())
    services.nominee_return(nominee=nominee, comment="请填写完整职务", by=organizer)
    entry = AuditEntry.objects.get(action="registration.return")
    assert (entry.actor, entry.label, entry.after) == (
        organizer,
        "县医院工会 赵春梅",
        {"status": "returned", "comment": "请填写完整职务"},
    )


def test_a_clash_with_the_register_names_the_unit_and_person_and_approves_nobody(course, hospital, organizer):
    TraineeFactory(organization=course.organization, name="赵秀英", phone="13800138000")
    q = quota(course, hospital, places=3)
    services.nominee_add(quota=q, values=person())
    services.nominee_add(quota=q, values=person("钱伟", "13800138001"))
    with pytest.raises(DomainError) as caught:
        services.nominees_approve(course=course, by=organizer)
    assert caught.value.code == "import_refused" and caught.value.message.startswith("县医院工会 赵春梅：手机号码")
    assert not Nominee.objects.filter(status="approved").exists() and not course.enrollments.exists()


def test_places_are_never_set_below_what_a_unit_holds(course, hospital):
    q = quota(course, hospital, places=2)
    services.nominee_add(quota=q, values=person())
    services.nominee_add(quota=q, values=person("钱伟", "13800138001"))
    with pytest.raises(DomainError) as caught:
        services.quotas_set(course=course, places={hospital.pk: (1, 0)}, deadline=None)
    assert caught.value.field == f"places_{hospital.pk}"


def test_unit_names_are_unique_per_organization(organization):
    unit(organization, "县医院工会")
    with pytest.raises(DomainError) as caught:
        unit(organization, " 县医院工会 ")
    assert caught.value.field == "name"


def test_revoking_draws_a_new_nonce(course, hospital):
    q = quota(course, hospital)
    old = q.nonce
    assert services.link_revoke(quota=q).nonce != old


# --- Concurrency (PostgreSQL) -------------------------------------------------------------------------


def _racing_for_the_last_place(q, *, threads=8):
    phones = iter(f"1380013{n:04d}" for n in range(100, 200))
    names = iter("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳")

    def add():
        return services.nominee_add(quota=q, values=person(f"李{next(names)}", next(phones)))

    return race(threads, threads, add)


@pytest.mark.django_db(transaction=True)
def test_contacts_racing_for_the_last_place_never_exceed_the_quota_on_postgresql(course, hospital):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (make test runs them with DATABASE_URL)")
    q = quota(course, hospital, places=3)
    services.nominee_add(quota=q, values=person())
    services.nominee_add(quota=q, values=person("钱伟", "13800138001"))
    results = _racing_for_the_last_place(q)
    won = [r for r in results if isinstance(r, Nominee)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1 and len(refused) == len(results) - 1 and {r.code for r in refused} == {"quota_full"}
    assert Nominee.objects.filter(quota=q).count() == 3


@pytest.mark.django_db(transaction=True)
def test_contacts_racing_for_the_last_extra_place_never_exceed_it_on_postgresql(course, hospital):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (make test runs them with DATABASE_URL)")
    q = quota(course, hospital, places=1)
    services.nominee_add(quota=q, values=person())
    services.quota_extra_set(quota=q, extra=1)
    results = _racing_for_the_last_place(q, threads=2)
    assert sum(isinstance(r, Nominee) for r in results) == 1
    assert [r.code for r in results if isinstance(r, DomainError)] == ["quota_full"]
    assert Nominee.objects.filter(quota=q).count() == 2
