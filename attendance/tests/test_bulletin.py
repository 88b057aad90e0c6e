"""The discipline bulletin (纪律通报) as a 公文: numbered per course in publication order, its words
editable before publishing and frozen after, its lists in time order, the form's answers to bad
input, and its page for trainees."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from attendance import selectors, services
from attendance.models import AttendanceRecord, Bulletin, DisciplineRecord, Method
from attendance.tests.helpers import race
from core.errors import DomainError
from training.tests.factories import CourseFactory, EnrollmentFactory, SessionFactory, TraineeFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(course):
    """Two sessions held on the first day; the evening after them, frozen."""
    d = course.start_date
    morning = SessionFactory(course=course, title="开班式", starts_at=at(d, "08:30"), ends_at=at(d, "10:30"))
    afternoon = SessionFactory(course=course, title="工会法解读", starts_at=at(d, "14:30"), ends_at=at(d, "16:30"))
    with time_machine.travel(at(d, "19:00"), tick=False) as traveller:
        yield {"sessions": [morning, afternoon], "evening": at(d, "19:00"), "traveller": traveller}


def test_publications_are_numbered_one_two_three_per_course(course, day, enrollment, advisor, organization):
    d = course.start_date
    first = services.bulletin_publish(course=course, day=d, by=advisor)
    again = services.bulletin_publish(course=course, day=d, by=advisor)  # a new version: a new document
    whole = services.bulletin_publish(course=course, day=None, by=advisor)
    assert [(b.number, b.version, b.doc_number) for b in (first, again, whole)] == [
        (1, 1, "县工培通〔2026〕1号"),
        (2, 2, "县工培通〔2026〕2号"),
        (3, 1, "县工培通〔2026〕3号"),
    ]
    other = CourseFactory(organization=organization, bulletin_number_prefix="县工干培通")
    SessionFactory(course=other, starts_at=at(d, "08:30"), ends_at=at(d, "10:30"))
    assert services.bulletin_publish(course=other, day=d, by=advisor).doc_number == "县工干培通〔2026〕1号"
    # A later change of the organ code changes only later numbers.
    course.bulletin_number_prefix = "县工通"
    course.save()
    assert services.bulletin_publish(course=course, day=None, by=advisor).doc_number == "县工通〔2026〕4号"
    first.refresh_from_db()
    assert first.doc_number == "县工培通〔2026〕1号"


def test_the_words_are_the_advisors_and_stay_as_published(course, day, enrollment, advisor, organization):
    morning = day["sessions"][0]
    services.check_in(morning, enrollment, method=Method.QR, at=morning.starts_at + timedelta(minutes=20))
    bulletin = services.bulletin_publish(
        course=course,
        day=course.start_date,
        by=advisor,
        title=" 关于第一天学员出勤情况的通报 ",
        recipients="全体学员:",
        opening="　　为严肃纪律，现将第一天情况通报如下：\r\n\r\n  请各组长转告本组学员。",
        closing="望大家引以为戒。\n特此通报。",
    )
    assert (bulletin.title, bulletin.recipients) == ("关于第一天学员出勤情况的通报", "全体学员：")
    assert bulletin.opening == "为严肃纪律，现将第一天情况通报如下：\n请各组长转告本组学员。"
    assert bulletin.closing == "望大家引以为戒。\n特此通报。"
    assert bulletin.issuer == "青山县总工会"
    assert [p["name"] for p in bulletin.data["late"]] == ["张丽华"]
    # Later: the record is corrected, a discipline entry added, the course and organization renamed.
    AttendanceRecord.objects.all().delete()
    services.discipline_record_create(enrollment=enrollment, session=morning, kind="phone", points=1, by=advisor)
    course.name, organization.name = "改名后的培训班", "改名后的总工会"
    course.save()
    organization.save()
    bulletin.refresh_from_db()
    doc = selectors.bulletin_document(bulletin)
    assert doc["title"] == "关于第一天学员出勤情况的通报" and doc["issuer"] == "青山县总工会"
    assert doc["opening"] == ["为严肃纪律，现将第一天情况通报如下：", "请各组长转告本组学员。"]
    assert doc["closing"] == ["望大家引以为戒。", "特此通报。"]
    assert doc["signed_on"] == f"2026年{course.start_date.month}月{course.start_date.day}日"
    assert [p["name"] for p in doc["data"]["late"]] == ["张丽华"] and doc["data"]["discipline"] == []


def test_words_not_given_are_the_defaults_and_empty_ones_are_refused(course, day, enrollment, advisor):
    d = course.start_date
    bulletin = services.bulletin_publish(course=course, day=d, by=advisor)
    assert bulletin.title == f"关于2026年全县基层工会干部培训班{d.month}月{d.day}日纪律情况的通报"
    assert bulletin.recipients == "各学员所在单位工会："
    assert "现将" in bulletin.opening and bulletin.opening.endswith("通报如下：")
    assert bulletin.closing.endswith("特此通报。")
    for words in ({"title": "  "}, {"recipients": "："}, {"opening": "\n"}, {"closing": ""}):
        with pytest.raises(DomainError) as error:
            services.bulletin_publish(course=course, day=d, by=advisor, **words)
        assert (error.value.code, error.value.field) == ("words_required", next(iter(words)))
    assert Bulletin.objects.count() == 1


def test_every_list_is_in_time_order(course, day, advisor):
    """Late arrivals by the time they came (not by group or roster order), sessions in order;
    discipline by the session's start, then by when it was recorded (newest last)."""
    morning, afternoon = day["sessions"]
    people = [
        EnrollmentFactory(
            course=course, trainee=TraineeFactory(name=name, phone=f"1370000000{i}"), student_no=f"00{i}", group=group
        )
        for i, (name, group) in enumerate([("甲", "第一组"), ("乙", "第二组"), ("丙", "第三组")], start=1)
    ]
    for person, minutes in zip(people, (25, 15, 8), strict=True):
        services.check_in(morning, person, method=Method.QR, at=morning.starts_at + timedelta(minutes=minutes))
    services.check_in(afternoon, people[2], method=Method.QR, at=afternoon.starts_at + timedelta(minutes=30))
    services.check_in(afternoon, people[0], method=Method.QR, at=afternoon.starts_at + timedelta(minutes=6))
    services.discipline_record_create(
        enrollment=people[0], session=afternoon, kind=DisciplineRecord.Kind.PHONE, points=1, by=advisor,
        at=at(course.start_date, "15:00"),
    )  # fmt: skip
    services.discipline_record_create(
        enrollment=people[1], session=morning, kind=DisciplineRecord.Kind.PHONE, points=1, by=advisor,
        at=at(course.start_date, "18:00"),
    )  # fmt: skip
    services.discipline_record_create(
        enrollment=people[2], session=None, kind=DisciplineRecord.Kind.NOISE, points=1, by=advisor,
        at=at(course.start_date, "12:10"),
    )  # fmt: skip
    data = selectors.bulletin_data(course, day=course.start_date, now=day["evening"])
    d = course.start_date
    assert [(p["name"], p["time"], p["when"]) for p in data["late"]] == [
        ("丙", "8:38", f"{d.month}月{d.day}日上午"),
        ("乙", "8:45", f"{d.month}月{d.day}日上午"),
        ("甲", "8:55", f"{d.month}月{d.day}日上午"),
        ("甲", "14:36", f"{d.month}月{d.day}日下午"),
        ("丙", "15:00", f"{d.month}月{d.day}日下午"),
    ]
    assert [(x["name"], x["when"]) for x in data["discipline"]] == [
        ("乙", f"{d.month}月{d.day}日上午"),
        ("丙", f"{d.month}月{d.day}日下午 12:10"),
        ("甲", f"{d.month}月{d.day}日下午"),
    ]
    assert data["sessions"][1]["when"] == f"{d.month}月{d.day}日下午 14:30"
    assert data["as_of"] == f"{d.month}月{d.day}日晚上 19:00"


# --- The page ------------------------------------------------------------------------------------------


def post(client, course, **words):
    data = {"day": course.start_date.isoformat(), "title": "关于纪律情况的通报", "recipients": "全体学员"}
    data |= {"opening": "现将情况通报如下：", "closing": "特此通报。"}
    return client.post(reverse("attendance:bulletin", args=[course.code]), {**data, **words})


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ({"title": ""}, "请填写标题。"),
        ({"title": "   "}, "请填写标题。"),
        ({"recipients": "："}, "请填写主送。"),
        ({"opening": "现将\x00情况通报如下："}, "含有不可见的控制字符，请删除后重新输入。"),
        ({"title": "关于\x1b纪律的通报"}, "含有不可见的控制字符，请删除后重新输入。"),
        ({"closing": "特此通报。\u202e"}, "含有不可见的控制字符，请删除后重新输入。"),
        ({"title": "长" * 101}, "标题不能超过 100 个字（现在 101 个）。"),
        ({"day": "1999-01-01"}, "请选择通报范围。"),
    ],
)
def test_bad_words_give_the_form_back_with_a_chinese_message(client, course, day, enrollment, advisor, words, message):
    client.force_login(advisor)
    response = post(client, course, **words)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "发布这期通报" in page
    assert not Bulletin.objects.exists()


def test_the_form_offers_the_default_words_and_publishes_what_was_typed(client, course, day, enrollment, advisor):
    client.force_login(advisor)
    page = client.get(reverse("attendance:bulletin", args=[course.code])).content.decode()
    d = course.start_date
    assert f"关于2026年全县基层工会干部培训班{d.month}月{d.day}日纪律情况的通报" in page  # in the form and the preview
    assert "县工培通〔2026〕1号" in page and "发布时编定" in page and "各学员所在单位工会" in page
    response = post(client, course, opening="现将情况通报如下：\r\n第二段。")
    bulletin = Bulletin.objects.get()
    assert response.url == reverse("attendance:bulletin-detail", args=[course.code, bulletin.pk])
    assert (bulletin.title, bulletin.recipients, bulletin.opening) == (
        "关于纪律情况的通报",
        "全体学员：",
        "现将情况通报如下：\n第二段。",
    )


def test_nothing_ended_yet_is_said_on_the_form(client, course, enrollment, advisor):
    SessionFactory(course=course, starts_at=at(course.start_date, "08:30"), ends_at=at(course.start_date, "10:30"))
    client.force_login(advisor)
    with time_machine.travel(at(course.start_date, "09:00"), tick=False):
        response = post(client, course)
    assert response.status_code == 200 and "还没有已结束的课次" in response.content.decode()
    assert not Bulletin.objects.exists()


def test_trainees_read_the_gongwen_on_their_phones(client, course, day, enrollment, trainee_user, advisor):
    bulletin = services.bulletin_publish(
        course=course, day=course.start_date, by=advisor, opening="开头第一段。\n开头第二段。", closing="特此通报。"
    )
    client.force_login(trainee_user)
    page = client.get(reverse("attendance:my-bulletin", args=[bulletin.pk])).content.decode()
    d = course.start_date
    for text in (
        "青山县总工会",
        "县工培通〔2026〕1号",
        bulletin.title,
        "各学员所在单位工会：",
        '<p class="gw-p">开头第一段。</p>',
        '<p class="gw-p">开头第二段。</p>',
        "一、总体情况",
        "特此通报。",
        f"2026年{d.month}月{d.day}日",
    ):
        assert text in page, text
    assert "发布时编定" not in page


def test_the_organ_code_is_set_in_the_course_form(client, course, organizer):
    client.force_login(organizer)
    url = reverse("training:course-edit", args=[course.code])
    data = {"name": course.name, "start_date": course.start_date, "end_date": course.end_date, "status": course.status}
    response = client.post(url, {**data, "bulletin_number_prefix": "县〔工〕通"})
    assert response.status_code == 200 and "机关代字只能使用汉字、字母和数字" in response.content.decode()
    client.post(url, data)  # left empty: kept
    course.refresh_from_db()
    assert course.bulletin_number_prefix == "县工培通"
    client.post(url, {**data, "bulletin_number_prefix": "县工干培通"})
    course.refresh_from_db()
    assert course.bulletin_number_prefix == "县工干培通"


@pytest.mark.django_db(transaction=True)
def test_publications_at_the_same_moment_never_share_a_number(course, enrollment, advisor):
    """Eight advisors press 发布 at once: eight documents numbered 1 to 8, versions 1 to 8, no error
    (the course row is locked on PostgreSQL; SQLite's IMMEDIATE transactions queue the writers)."""
    d = course.start_date
    SessionFactory(course=course, starts_at=at(d, "08:30"), ends_at=at(d, "10:30"))
    with time_machine.travel(at(d, "19:00"), tick=False):
        results = race(8, 8, lambda: services.bulletin_publish(course=course, day=d, by=advisor))
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(r.number for r in results) == list(range(1, 9))
    assert sorted(r.version for r in results) == list(range(1, 9))
    assert sorted(Bulletin.objects.values_list("doc_number", flat=True)) == sorted(
        f"县工培通〔2026〕{n}号" for n in range(1, 9)
    )
