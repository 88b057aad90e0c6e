"""The pages of 报到、住宿和就餐 through the client: the desk, the rooms, the meals and the trainee's
block on /me/."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from attendance import tokens
from lodging import services
from lodging.models import Arrival, BedAssignment, MealOptOut, Room
from training.tests.factories import SessionFactory, at

from .helpers import rooms, trainees

pytestmark = pytest.mark.django_db


def test_the_desk_marks_a_scanned_badge_arrived_and_a_second_scan_says_when(client, course, enrollment, advisor):
    services.settings_update(course=course, handout="学员手册、胸牌、餐券", meals={})
    room = rooms(course, "1号楼 2层 201 双人间")[0]
    services.room_move(course=course, enrollment=enrollment, room=room, by=advisor)
    client.force_login(advisor)
    url = reverse("lodging:desk", args=[course.code])
    scanned = f"http://10.20.1.5:8000/b/{tokens.badge_code(enrollment.pk)}/"
    with time_machine.travel(at(course.start_date, "08:12"), tick=False):
        page = client.post(url, {"code": scanned}).content.decode()
    assert "报到成功 08:12" in page and "1号楼 201" in page and "学员手册、胸牌、餐券" in page
    with time_machine.travel(at(course.start_date, "08:30"), tick=False):
        page = client.post(url, {"code": scanned}).content.decode()
    assert "已于 08:12 报到" in page and Arrival.objects.get().recorded_by == advisor


def test_the_desk_finds_by_phone_and_marks_and_the_stats_follow(client, course, enrollment, other_enrollment, advisor):
    client.force_login(advisor)
    url = reverse("lodging:desk", args=[course.code])
    page = client.get(url, {"q": "13900000002"}).content.decode()
    assert other_enrollment.trainee.name in page and 'name="enrollment"' in page
    client.post(url, {"enrollment": other_enrollment.pk})
    stats = client.get(reverse("lodging:desk-stats", args=[course.code])).content.decode()
    assert 'id="arrived-count">1<' in stats and "13900000001" in stats  # who is missing, with the phone


def test_a_bad_scan_is_a_message_on_the_field_never_an_error(client, course, advisor):
    client.force_login(advisor)
    response = client.post(reverse("lodging:desk", args=[course.code]), {"code": "not-a-badge"})
    assert response.status_code == 200 and "没有识别出胸牌码" in response.content.decode()
    assert not Arrival.objects.exists()


def test_the_organizer_adds_rooms_assigns_and_prints(client, course, organizer):
    people = trainees(course, 4) + trainees(course, 2, start=30, gender="F")
    client.force_login(organizer)
    response = client.post(reverse("lodging:rooms-add", args=[course.code]), {"lines": "1号楼 2层 201-204 双人间"})
    assert response.status_code == 302 and Room.objects.count() == 4
    client.post(reverse("lodging:rooms-assign", args=[course.code]), {"keep": "unit"})
    assert BedAssignment.objects.count() == 6
    page = client.get(reverse("lodging:rooms", args=[course.code])).content.decode()
    assert reverse("documents:rooms-pdf", args=[course.code]) in page  # the 住宿安排表 is printed as a PDF
    assert reverse("documents:door-labels-pdf", args=[course.code]) in page
    assert people[0].trainee.name in page


def test_the_rooms_page_runs_the_same_queries_for_more_trainees(
    client, course, organizer, django_assert_max_num_queries
):
    trainees(course, 30)
    rooms(course, "1号楼 2层 201-220 双人间")
    services.rooms_auto_assign(course=course, keep="group", by=organizer)
    client.force_login(organizer)
    url = reverse("lodging:rooms", args=[course.code])
    # session, user, memberships, the course, can_manage, rooms, enrollments, stays, beds, the two
    # move form choices (enrollments, rooms)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_an_advisor_may_not_change_rooms(client, course, advisor):
    client.force_login(advisor)
    assert (
        client.post(reverse("lodging:rooms-add", args=[course.code]), {"lines": "1号楼 101 单人间"}).status_code == 403
    )
    assert not Room.objects.exists()


def test_meals_page_and_xlsx_show_the_counts(client, course, organizer):
    people = trainees(course, 3)
    services.stay_update(
        enrollment=people[0], needs_room=False, diet="halal", diet_note="", skipped=set(), by=organizer
    )
    client.force_login(organizer)
    with time_machine.travel(at(course.start_date, "07:00"), tick=False):
        page = client.get(reverse("lodging:meals", args=[course.code])).content.decode()
        response = client.get(reverse("lodging:meals-xlsx", args=[course.code]))
    assert "清真" in page and "走读" in page
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0][:8] == ("11月20日", "午餐", 3, 0, 0, 3, 2, 1)


def test_the_trainee_sees_the_room_and_skips_a_meal_on_the_phone(client, course, enrollment, trainee_user, organizer):
    room = rooms(course, "2号楼 3层 305 双人间")[0]
    services.room_move(course=course, enrollment=enrollment, room=room, by=organizer)
    client.force_login(trainee_user)
    with time_machine.travel(at(course.start_date, "07:00"), tick=False):
        block = client.get(reverse("lodging:my-stay", args=[course.code])).content.decode()
        assert "2号楼 305" in block and "不就餐" in block
        day = course.start_date + timedelta(days=1)
        client.post(reverse("lodging:my-meal", args=[course.code]), {"meal": f"{day:%Y%m%d}_dinner", "eats": "0"})
    assert MealOptOut.objects.get().enrollment == enrollment
    with time_machine.travel(at(day, "15:00"), tick=False):
        response = client.post(
            reverse("lodging:my-meal", args=[course.code]), {"meal": f"{day:%Y%m%d}_dinner", "eats": "1"}, follow=True
        )
    assert "已过报餐截止时间" in response.content.decode() and MealOptOut.objects.count() == 1


def test_staff_record_needs_and_a_late_change_is_a_form_error(client, course, enrollment, advisor):
    client.force_login(advisor)
    url = reverse("lodging:stay-edit", args=[course.code, enrollment.pk])
    with time_machine.travel(at(course.start_date, "10:00"), tick=False):
        data = {"needs_room": "1", "diet": "other", "diet_note": "", "meals": []}
        assert "请写明饮食要求" in client.post(url, data).content.decode()
        page = client.post(url, {**data, "diet_note": "不吃辣", "meals": [f"{course.start_date:%Y%m%d}_lunch"]})
    assert page.status_code == 200 and "已过报餐截止时间" in page.content.decode()
    assert not MealOptOut.objects.exists()


def test_a_trainee_scanned_after_the_opening_began_is_late_on_the_card_the_search_and_the_stats(
    client, course, enrollment, other_enrollment, advisor
):
    SessionFactory(course=course, starts_at=at(course.start_date, "08:30"), ends_at=at(course.start_date, "09:30"))
    client.force_login(advisor)
    url = reverse("lodging:desk", args=[course.code])
    with time_machine.travel(at(course.start_date, "08:30"), tick=False):  # at the start: on time
        page = client.post(url, {"enrollment": enrollment.pk}).content.decode()
    assert "报到成功 08:30" in page and 'id="desk-late"' not in page
    with time_machine.travel(at(course.start_date, "10:15"), tick=False):
        page = client.post(url, {"code": tokens.badge_code(other_enrollment.pk)}).content.decode()
        assert "报到成功 10:15" in page and 'id="desk-late"' in page
        found = client.get(url, {"q": other_enrollment.trainee.phone}).content.decode()
        stats = client.get(reverse("lodging:desk-stats", args=[course.code])).content.decode()
    assert "报到（迟到）" in found
    late = stats.split('id="arrived-late"')[1].split("</ul>")[0]
    assert other_enrollment.trainee.name in late and enrollment.trainee.name not in late
    assert "迟到（1）" in stats and "迟到 1</span>" in stats  # the list and the unit's line
