"""The 培训通知 as a 公文: red 版头, 发文字号, the title split by meaning, the body in parts, the
附件说明, the organ's name over the 成文日期 in Arabic numerals, then 附件1 名额分配表 and 附件2
报名回执 on pages of their own; listed on the 打印 page."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from documents import notice
from registration import services
from registration.tests.helpers import unit
from training.models import Course
from training.tests.factories import at
from training.tests.pdfs import assert_fonts_embedded_and_subset, page_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def allotted(course, organization):
    services.quotas_set(
        course=course,
        places={unit(organization, "县医院工会").pk: (3, 1), unit(organization, "县供电公司工会").pk: (2, 0)},
        deadline=at(date(2026, 11, 13), "17:00"),
    )
    return course


def _saved(course):
    services.notice_save(
        course=course,
        doc_number="县工发〔2026〕9号",
        signed_on=date(2026, 10, 30),
        title="关于举办2026年全县基层工会干部培训班的通知",
        recipients="各乡镇（街道）总工会，县直各单位工会：",
        purpose="为提高基层工会干部履职能力，决定举办培训班。现将有关事项通知如下：",
        when_where="2026年11月20日至22日，共3天。地点：中共青山县委党校。",
        audience="各基层工会主席。",
        content="",
        arrival="2026年11月20日上午8:00前报到。",
        bring="1.携带身份证。\n2.遵守纪律。",
        how_to_register="请于2026年11月13日17:00前报名。",
        contacts="县总工会组织部：李晓燕，0795-7221234",
    )


def test_the_notice_prints_as_a_gongwen_with_its_two_attachments(client, organizer, allotted):
    _saved(allotted)
    client.force_login(organizer)
    with time_machine.travel(at(date(2026, 10, 30), "09:00"), tick=False):
        response = client.get(reverse("documents:notice-pdf", args=[allotted.code]))
    assert response["Content-Type"] == "application/pdf"
    assert_fonts_embedded_and_subset(response.content)
    pages = page_texts(response.content)  # whitespace removed
    body = "".join(pages[:-2])
    assert "青山县总工会" in pages[0] and "县工发〔2026〕9号" in pages[0]
    assert "关于举办2026年全县基层工会干部培训班的通知" in pages[0]
    assert "一、培训时间和地点" in body and "二、培训对象" in body and "三、报到时间和地点" in body
    assert "培训内容" not in body  # left empty, so the parts close up
    assert "附件：1.名额分配表2.报名回执" in body
    assert "青山县总工会2026年10月30日" in body and "—1—" in pages[0]
    allocation, form = pages[-2], pages[-1]
    assert allocation.startswith("附件1名额分配表")
    assert "1县供电公司工会2" in allocation and "2县医院工会4" in allocation and "合计" in allocation
    assert form.startswith("附件2报名回执")
    assert all(
        label in form for label in ("姓名", "性别", "民族", "政治面貌", "工作单位", "职务", "手机号码", "身份证号码")
    )


def test_the_pdf_of_an_unsaved_notice_is_the_draft(client, organizer, allotted):
    client.force_login(organizer)
    with time_machine.travel(at(date(2026, 10, 30), "09:00"), tick=False):
        response = client.get(reverse("documents:notice-pdf", args=[allotted.code]))
    text = "".join(page_texts(response.content))
    assert "县工发〔2026〕1号" in text and "共6人" in text and "2026年10月30日" in text


def test_the_notice_data_takes_a_fixed_number_of_queries(django_assert_num_queries, allotted):
    course = Course.objects.select_related("organization").get(pk=allotted.pk)
    # the draft: the notice (none), the sessions, the registration settings, the quotas for the
    # draft's head count, the quotas for 附件1
    with django_assert_num_queries(5):
        notice.notice_pdf_data(course, today=date(2026, 10, 30))
    _saved(course)
    with django_assert_num_queries(2):  # the notice, the quotas
        data = notice.notice_pdf_data(course, today=date(2026, 10, 30))
    # split by meaning, and never leaving “的通知” alone on the second line
    assert data["title_lines"] == ["关于举办2026年", "全县基层工会干部培训班的通知"]
    assert data["allocation"] == [("县供电公司工会", 2), ("县医院工会", 4)] and data["allocation_total"] == 6


def test_the_print_page_lists_the_notice(client, organizer, advisor, course):
    client.force_login(organizer)
    page = client.get(reverse("documents:print", args=[course.code])).content.decode()
    assert reverse("documents:notice-pdf", args=[course.code]) in page
    assert reverse("registration:receipt-xlsx", args=[course.code]) in page
    assert reverse("registration:notice", args=[course.code]) in page
    client.force_login(advisor)  # prints it, but the writing is the organizers'
    page = client.get(reverse("documents:print", args=[course.code])).content.decode()
    assert reverse("documents:notice-pdf", args=[course.code]) in page
    assert reverse("registration:notice", args=[course.code]) not in page
