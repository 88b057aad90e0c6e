"""The 培训通知 page (drafted from the course's facts, saved by the organizer, its 发文字号 checked)
and the 报名回执 .xlsx, which a unit fills in and the roster import reads back unchanged."""

import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from core.errors import DomainError
from registration import receipt, rules, services, tokens
from registration.models import Notice
from training import roster
from training import services as training_services
from training.models import Session, Trainee
from training.rules import id_check_digit
from training.tests.factories import SessionFactory, at

from .helpers import quota, unit

pytestmark = pytest.mark.django_db

# --- Pure parts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("县工发〔2026〕3号", "县工发〔2026〕3号"),
        ("县工发[2026]3号", "县工发〔2026〕3号"),
        ("县工发（2026）第03号", "县工发〔2026〕3号"),
        (" 县工发 【2026】 12号 ", "县工发〔2026〕12号"),
    ],
)
def test_a_document_number_is_written_as_gb_t_9704_has_it(typed, clean):
    assert rules.doc_number_clean(typed) == clean


@pytest.mark.parametrize("typed", ["", "县工发2026年3号", "县工发〔26〕3号", "县工发〔2026〕0号", "〔2026〕3号"])
def test_a_malformed_document_number_is_refused(typed):
    with pytest.raises(ValueError, match="县工发〔2026〕3号"):
        rules.doc_number_clean(typed)


def test_the_draft_is_written_from_the_course_facts():
    tz = datetime.now().astimezone().tzinfo
    texts = rules.notice_defaults(
        course_name="2026年全县基层工会干部培训班",
        organization="青山县总工会",
        short_name="县总工会",
        venue="中共青山县委党校",
        start=date(2026, 11, 20),
        end=date(2026, 11, 22),
        deadline=datetime(2026, 11, 13, 17, 0, tzinfo=tz),
        first_session=datetime(2026, 11, 20, 8, 30, tzinfo=tz),
        topics=["《工会法》解读", "工会经费审查实务"],
        places=26,
        today=date(2026, 10, 30),
    )
    assert texts["doc_number"] == "县工发〔2026〕1号"
    assert texts["title"] == "关于举办2026年全县基层工会干部培训班的通知"
    assert texts["when_where"] == "2026年11月20日至22日，共3天。地点：中共青山县委党校。"
    assert texts["arrival"] == "2026年11月20日上午8:00前到中共青山县委党校报到。"
    assert "共26人" in texts["audience"] and "附件1" in texts["audience"]
    assert "于2026年11月13日17:00前" in texts["how_to_register"]
    assert "《工会法》解读、工会经费审查实务等专题" in texts["content"]
    assert texts["signed_on"] == date(2026, 10, 30)


def test_the_body_parts_are_numbered_without_the_empty_ones():
    sections = rules.notice_sections(
        {"when_where": "三天", "audience": "主席", "content": " ", "contacts": "王磊\n李娟"}
    )
    assert sections == [("一、培训时间和地点", ["三天"]), ("二、培训对象", ["主席"]), ("三、联系人", ["王磊", "李娟"])]


def test_every_column_of_the_receipt_is_one_the_roster_importer_reads():
    assert roster.find_columns(receipt.headers()) == {name: i for i, name in enumerate(rules.RECEIPT_FIELDS)}


# --- The page -------------------------------------------------------------------------------------


@pytest.fixture
def allotted(course, organization):
    services.quotas_set(
        course=course,
        places={unit(organization, "县医院工会").pk: (3, 1), unit(organization, "县供电公司工会").pk: (2, 0)},
        deadline=at(date(2026, 11, 13), "17:00"),
    )
    SessionFactory(course=course, kind=Session.Kind.OPENING, title="开班式", starts_at=at(course.start_date, "08:30"))
    SessionFactory(course=course, title="《工会法》解读", starts_at=at(course.start_date, "10:30"))
    return course


def notice_url(course):
    return reverse("registration:notice", args=[course.code])


def _posted(**changes) -> dict:
    data = {
        "doc_number": "县工发[2026]9号",
        "signed_on": "2026-10-30",
        "title": "关于举办2026年全县基层工会干部培训班的通知",
        "recipients": "各乡镇总工会：",
        "purpose": "为提高基层工会干部履职能力，决定举办培训班。",
        "when_where": "2026年11月20日至22日。",
        "audience": "基层工会主席。",
        "content": "",
        "arrival": "11月20日上午8:00前报到。",
        "bring": "携带身份证。",
        "how_to_register": "按名额报名。",
        "contacts": "县总工会组织部：李晓燕，0795-7221234",
    }
    return {**data, **changes}


def test_the_page_shows_the_draft_from_the_course_and_writes_nothing(client, organizer, allotted):
    client.force_login(organizer)
    with time_machine.travel(at(date(2026, 10, 30), "09:00"), tick=False):
        page = client.get(notice_url(allotted)).content.decode()
    assert "尚未保存" in page and "关于举办2026年全县基层工会干部培训班的通知" in page
    assert "县工发〔2026〕1号" in page and "共6人" in page and "于2026年11月13日17:00前" in page
    assert "2026年11月20日上午8:00前" in page and "《工会法》解读等专题" in page and "开班式" not in page
    assert reverse("documents:notice-pdf", args=[allotted.code]) in page
    assert reverse("registration:receipt-xlsx", args=[allotted.code]) in page
    assert not Notice.objects.exists()


def test_the_organizer_saves_the_notice_with_its_number_tidied(client, organizer, course):
    client.force_login(organizer)
    response = client.post(notice_url(course), _posted(content="  工会法解读  \n"))
    assert response.status_code == 302
    notice = Notice.objects.get(course=course)
    assert (notice.doc_number, notice.signed_on, notice.content) == (
        "县工发〔2026〕9号",
        date(2026, 10, 30),
        "工会法解读",
    )
    page = client.get(notice_url(course)).content.decode()
    assert "尚未保存" not in page and "县工发〔2026〕9号" in page
    client.post(notice_url(course), _posted(title="关于举办培训班的通知"))
    assert Notice.objects.get().title == "关于举办培训班的通知"  # one per course, changed in place


def test_the_service_refuses_a_bad_number_with_its_code_and_writes_nothing(course):
    values = {k: v for k, v in _posted(doc_number="第9号").items() if k not in ("signed_on",)}
    with pytest.raises(DomainError) as refused:
        services.notice_save(course=course, signed_on=date(2026, 10, 30), **values)
    assert (refused.value.code, refused.value.field) == ("doc_number", "doc_number")
    assert not Notice.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("doc_number", "县工发2026年9号", "县工发〔2026〕3号"),
        ("title", "", "这个字段是必填项"),
        ("signed_on", "2026-02-30", "日期"),
    ],
)
def test_a_bad_value_comes_back_on_its_field_and_saves_nothing(client, organizer, course, field, value, message):
    client.force_login(organizer)
    response = client.post(notice_url(course), _posted(**{field: value}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Notice.objects.exists()


# --- The 回执 round trip ------------------------------------------------------------------------------


def _id(first17: str) -> str:
    return first17 + id_check_digit(first17)


PEOPLE = [
    # name, gender, 民族, 政治面貌, 工作单位, 职务, phone, ID number: all as the roster keeps them
    ("赵春梅", "女", "汉族", "中共党员", "青山县人民医院工会", "工会主席", "13800138000", _id("43012119800101002")),
    (
        "马建国",
        "男",
        "回族",
        "中共预备党员",
        "青山县供电公司工会",
        "工会副主席",
        "13907950123",
        _id("43012119751231001"),
    ),
    ("阿依古丽·买买提", "女", "维吾尔族", "群众", "青山县实验小学工会", "女工委员", "15007951234", ""),
    ("欧阳晓", "男", "土家族", "无党派人士", "青山县南湖街道总工会", "经审委员会主任", "18607959876", ""),
]
GENDERS = {"男": "M", "女": "F"}


def _filled(content: bytes) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    for offset, person in enumerate(PEOPLE, start=1):
        for column, value in enumerate(person, start=1):
            sheet.cell(row=receipt.HEADER_ROW + offset, column=column, value=value or None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("door", ["staff", "unit"])
def test_a_filled_receipt_is_read_back_by_the_roster_import_unchanged(client, organizer, course, organization, door):
    q = quota(course, unit(organization, "县医院工会"), places=4, deadline=at(date(2026, 11, 13), "17:00"))
    if door == "staff":
        client.force_login(organizer)
        response = client.get(reverse("registration:receipt-xlsx", args=[course.code]))
    else:
        response = client.get(reverse("registration:unit-receipt", args=[tokens.link_token(q)]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[receipt.HEADER_ROW]]
    assert header == ["姓名", "性别", "民族", "政治面貌", "工作单位", "职务", "手机号码", "身份证号码"]
    assert "2026年11月13日17:00前" in sheet["A3"].value
    if door == "unit":
        assert "县医院工会" in sheet["A2"].value

    result = training_services.roster_import(course=course, content=_filled(response.content), filename="回执.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    assert result.parse.skipped == []  # nothing of the template read as a note or a stray row
    read = {
        t.phone: (
            t.name,
            t.get_gender_display(),
            t.ethnicity,
            t.political_status,
            t.work_unit,
            t.position,
            t.phone,
            t.id_number,
        )
        for t in Trainee.objects.filter(enrollments__course=course)
    }
    assert read == {person[6]: person for person in PEOPLE}


def test_a_revoked_link_gives_no_receipt(client, course, organization):
    q = quota(course, unit(organization), places=2)
    old = tokens.link_token(q)
    services.link_revoke(quota=q)
    response = client.get(reverse("registration:unit-receipt", args=[old]))
    assert response.status_code == 410 and "已被收回" in response.content.decode()


def test_the_unit_page_links_its_receipt(client, course, organization):
    q = quota(course, unit(organization), places=2, deadline=None)
    with time_machine.travel(at(course.start_date, "08:00") - timedelta(days=3), tick=False):
        page = client.get(reverse("registration:unit-home", args=[tokens.link_token(q)])).content.decode()
    assert reverse("registration:unit-receipt", args=[tokens.link_token(q)]) in page
