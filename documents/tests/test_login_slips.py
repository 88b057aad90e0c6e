"""登录凭条: every trainee's login code on a slip, ten to an A4 page, with a QR to the login page;
a trainee logs in with the code read off the printed sheet."""

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from training.tests.factories import EnrollmentFactory, TraineeFactory, at
from training.tests.pdfs import decoded_qr_codes, pages_of, placed_words_of, text_of

pytestmark = pytest.mark.django_db

SITE = "https://peixun.qingshan-zonggonghui.cn"


@pytest.fixture
def ten(course, enrollment, settings):
    """张丽华 (the `enrollment` fixture) and nine more, in two groups."""
    settings.SITE_URL = SITE
    people = [enrollment]
    for i in range(2, 11):
        trainee = TraineeFactory(name=f"学员{i:02d}", phone=f"137000000{i:02d}")
        people.append(EnrollmentFactory(course=course, trainee=trainee, student_no=f"{i:03d}", group="第二组"))
    return people


def slips(client, course) -> bytes:
    response = client.get(reverse("documents:login-slips-pdf", args=[course.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_ten_slips_fill_one_page_and_the_eleventh_starts_a_second(client, course, ten, organizer):
    client.force_login(organizer)
    sheet = slips(client, course)
    text = text_of(sheet)
    assert pages_of(sheet) == 1
    assert text.count("用手机扫码，输入手机号和登录码登录") == 10
    assert "139****0001" in text and "13900000001" not in text  # the phone masked
    assert "学号001" in text and "第二组" in text
    assert decoded_qr_codes(sheet) == [f"{SITE}{reverse('training:login')}"] * 10

    EnrollmentFactory(course=course, trainee=TraineeFactory(name="王建国", phone="13700000011"), student_no="011")
    sheet = slips(client, course)
    assert pages_of(sheet) == 2 and "王建国" in text_of(sheet)
    assert decoded_qr_codes(sheet) == [f"{SITE}{reverse('training:login')}"] * 11


def code_below(pdf: bytes, name: str) -> str:
    """The six digits printed under `name` on its slip, as the text layer places them."""
    words = placed_words_of(pdf)
    (who,) = [w for w in words if w.text == name]
    codes = [
        w
        for w in words
        if re.fullmatch(r"\d{6}", w.text)
        and w.page == who.page
        and abs(w.box[0] - who.box[0]) < 3
        and w.box[1] > who.box[1]
    ]
    return min(codes, key=lambda w: w.box[1]).text


def test_a_trainee_logs_in_with_the_code_read_from_the_printed_slip(client, course, ten, organizer):
    with time_machine.travel(at(course.start_date, "08:00"), tick=False):
        client.force_login(organizer)
        code = code_below(slips(client, course), "学员07")
        phone = ten[6].trainee.phone
        trainee = Client()
        response = trainee.post(reverse("training:login"), {"phone": phone, "access_code": code})
        assert response.status_code == 302 and response["Location"] == reverse("attendance:me")
        assert "学员07，您好" in trainee.get(reverse("attendance:me")).content.decode()
        wrong = Client().post(
            reverse("training:login"), {"phone": phone, "access_code": code_below(slips(client, course), "学员08")}
        )
        assert wrong.status_code == 200  # another slip's code does not open this account


def test_the_course_advisor_may_print_the_slips_another_organization_may_not(
    client, course, ten, advisor, other_organizer, trainee_user
):
    client.force_login(advisor)
    assert "学员10" in text_of(slips(client, course))
    url = reverse("documents:login-slips-pdf", args=[course.code])
    client.force_login(other_organizer)
    assert client.get(url).status_code == 404
    client.force_login(trainee_user)
    assert client.get(url).status_code == 403
    page = Client()
    page.force_login(advisor)
    assert url in page.get(reverse("documents:print", args=[course.code])).content.decode()


def test_badges_can_carry_the_login_code_on_their_backs_behind_each_badge(client, course, ten, organizer):
    """Printed double-sided and turned on the long edge, each badge's back is its own login slip:
    the left badge of a row has its back on the right of the back page."""
    client.force_login(organizer)
    plain = client.get(reverse("documents:badges-pdf", args=[course.code])).content
    assert pages_of(plain) == 2 and ten[0].trainee.access_code not in text_of(plain)

    response = client.get(reverse("documents:badges-pdf", args=[course.code]) + "?codes=1")
    assert response.status_code == 200
    sheet = response.content
    assert pages_of(sheet) == 4  # 8 fronts, their backs, 2 fronts, their backs
    assert decoded_qr_codes(sheet).count(f"{SITE}{reverse('training:login')}") == 10
    words = placed_words_of(sheet)
    for enrollment in ten:
        name, code = enrollment.trainee.name, enrollment.trainee.access_code
        (front,) = [w for w in words if w.text == name and w.page in (1, 3)]
        (back,) = [w for w in words if w.text == name and w.page in (2, 4)]
        (printed,) = [w for w in words if w.text == code]
        assert back.page == front.page + 1 and printed.page == back.page
        assert abs(printed.box[0] - back.box[0]) < 3 and printed.box[1] > back.box[1]  # the code under the name
        assert (back.box[1] - 10) // 68 == (front.box[1] - 10) // 68  # the same row of 68 mm badges
        front_left, back_left = front.box[0] < 105, back.box[0] < 105
        assert front_left != back_left  # the other column: behind the badge once turned over
    assert "139****0001" in text_of(sheet) and "13900000001" not in text_of(sheet)
