"""The paper of 报到、住宿和就餐: the 住宿安排表 by building and floor, the door labels (门牌), the
就餐统计表 for the canteen and the 报到情况表 with the late arrivals marked, each read back from the
PDF's text layer; the builders run a fixed number of queries."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from documents import lodging as papers
from lodging import services
from lodging.tests.helpers import rooms, trainees
from training.tests.factories import SessionFactory, at
from training.tests.pdfs import page_texts, pages_of, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def lodged(course, organizer):
    """Six men and two women placed by unit in 1号楼 and 2号楼, one 走读 woman, a 清真 and a 不吃辣
    trainee, the 开班式 at 08:30 on the first day, two arrivals after it and one not yet."""
    day = course.start_date
    SessionFactory(course=course, title="开班式", starts_at=at(day, "08:30"), ends_at=at(day, "09:30"))
    men = trainees(course, 6)
    women = trainees(course, 3, start=30, gender="F", unit="县医院工会")
    rooms(course, "1号楼 2层 201-203 双人间\n2号楼 1层 101 三人间 女")
    at_home = women[2]
    services.stay_update(
        enrollment=at_home,
        needs_room=False,
        diet="none",
        diet_note="",
        skipped=set(),
        by=organizer,
        at=at(day, "07:00"),
    )
    for person, diet, note in ((men[0], "halal", ""), (men[1], "other", "不吃辣")):
        services.stay_update(
            enrollment=person,
            needs_room=True,
            diet=diet,
            diet_note=note,
            skipped=set(),
            by=organizer,
            at=at(day, "07:00"),
        )
    services.rooms_auto_assign(course=course, keep="unit", by=organizer, at=at(day - timedelta(days=1), "16:00"))
    for n, person in enumerate(men + women):
        clock = {3: "10:15", 6: "14:20"}.get(n, f"08:{n:02d}")
        if n != 7:  # 学员31 has not come
            services.arrival_record(enrollment=person, by=organizer, method="scan", at=at(day, clock))
    return {"men": men, "women": women, "day": day, "now": at(day, "15:00")}


def pdf_of(client, name, course, now) -> bytes:
    with time_machine.travel(now, tick=False):
        response = client.get(reverse(f"documents:{name}", args=[course.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_the_rooms_sheet_lists_each_floor_with_its_rooms_and_who_sleeps_there(client, course, organizer, lodged):
    client.force_login(organizer)
    text = text_of(pdf_of(client, "rooms-pdf", course, lodged["now"]))
    assert f"{course.name}住宿安排表" in text and "填表单位" in text and "制表人" in text and "审核人" in text
    assert "1号楼2层" in text and "2号楼1层" in text
    assert text.index("1号楼2层") < text.index("201") < text.index("2号楼1层") < text.index("101")
    assert "201" in text and "学员10" in text and "13900000010" in text and "县供电公司工会" in text
    assert "共4间房，住宿8人；走读1人（学员32）" in text


def test_door_labels_one_per_occupied_room_six_to_a_page(client, course, organizer, lodged):
    rooms(course, "3号楼 1层 101-106 双人间")  # empty rooms get no label
    services.rooms_auto_assign(course=course, keep="unit", by=organizer)
    client.force_login(organizer)
    sheet = pdf_of(client, "door-labels-pdf", course, lodged["now"])
    pages = page_texts(sheet)
    assert pages_of(sheet) == 1 and pages[0].count("沿虚线剪下") == 4
    assert all(number in pages[0] for number in ("201", "202", "203", "101", "1号楼", "2号楼"))
    assert all(f"学员{n}县" in pages[0] for n in (10, 11, 12, 13, 14, 15, 30, 31))
    assert "学员32" not in pages[0]  # 走读
    trainees(course, 5, start=40)  # three rooms of 3号楼 more: the seventh label starts a page
    services.rooms_auto_assign(course=course, keep="unit", by=organizer)
    sheet = pdf_of(client, "door-labels-pdf", course, lodged["now"])
    assert pages_of(sheet) == 2 and text_of(sheet).count("沿虚线剪下") == 7


def test_the_meals_sheet_counts_each_meal_by_diet_with_its_cut_off_and_state(client, course, organizer, lodged):
    day = lodged["day"]
    services.meals_freeze(now=at(day, "09:01"))  # the first lunch is frozen at its cut-off
    client.force_login(organizer)
    text = text_of(pdf_of(client, "meals-pdf", course, lodged["now"]))
    assert f"{course.name}就餐统计表" in text and "食堂签收" in text and "制表人" in text
    assert f"{day.month}月{day.day}日" in text
    assert "不吃辣1" in text and "已锁定" in text and "已截止，待锁定" in text and "报餐中" in text
    data = papers.meals_sheet_data(course, now=lodged["now"])
    lunch, dinner = data["days"][0]["meals"]
    assert (lunch["label"], lunch["eating"], lunch["diets"]) == (
        "午",
        9,
        {"none": 7, "halal": 1, "vegetarian": 0, "other": 1},
    )
    assert (lunch["cutoff"], lunch["state"], lunch["notes"]) == (f"{day:%m-%d} 09:00", "已锁定", "不吃辣 1")
    assert (dinner["label"], dinner["cutoff"], dinner["state"]) == ("晚", f"{day:%m-%d} 14:00", "已截止，待锁定")
    assert data["days"][1]["meals"][0]["state"] == "报餐中" and data["total"] == 9 * 7  # seven meals


def test_the_arrivals_sheet_marks_who_came_late_and_who_has_not_come(client, course, organizer, lodged):
    client.force_login(organizer)
    text = text_of(pdf_of(client, "arrivals-pdf", course, lodged["now"]))
    assert "应到9人，已报到8人，其中迟到2人；未报到1人" in text
    assert "第一个课次（" in text and "08:30）开始后才报到" in text
    assert text.count("迟到") == 2 + 2 and text.count("未报到") == 2  # the summary and the rows' remarks
    rows = [r for band in papers.arrivals_sheet_data(course, now=lodged["now"])["rows"] for r in band["rows"]]
    notes = {r["name"]: (r["at"], r["note"]) for r in rows}
    day = f"{lodged['day']:%m-%d}"
    assert notes["学员13"] == (f"{day} 10:15", "迟到") and notes["学员31"] == ("", "未报到")
    assert notes["学员10"] == (f"{day} 08:00", "") and notes["学员32"] == (f"{day} 08:08", "")


def test_the_builders_run_a_fixed_number_of_queries(course, organizer, lodged, django_assert_num_queries):
    now = lodged["now"]
    # rooms, enrollments, stays, nominees' needs, beds; enrollments, stays and nominees for 走读
    with django_assert_num_queries(8):
        papers.rooms_sheet_data(course, now=now)
    with django_assert_num_queries(5):  # rooms, enrollments, stays, nominees' needs, beds
        papers.door_labels_data(course, now=now)
    with django_assert_num_queries(6):  # meal rows, enrollments, stays, nominees' needs, leave spans, opt-outs
        papers.meals_sheet_data(course, now=now)
    with django_assert_num_queries(4):  # the first session, enrollments, arrivals, units
        papers.arrivals_sheet_data(course, now=now)


def test_a_long_name_shrinks_to_its_column_on_the_sheets_and_the_door_label(course, organizer, lodged):
    from documents.rules import text_mm

    long = lodged["men"][4]
    long.trainee.name = "阿卜杜热合曼·买买提江"
    long.trainee.save()
    sheet = papers.rooms_sheet_data(course, now=lodged["now"])
    (bed,) = [b for f in sheet["floors"] for r in f["rooms"] for b in r["beds"] if b["name"] == long.trainee.name]
    assert bed["name_pt"] < 10 and text_mm(len(bed["name"]), bed["name_pt"]) <= papers.SHEET_NAME_MM
    labels = papers.door_labels_data(course, now=lodged["now"])
    (who,) = [
        p for page in labels["pages"] for label in page for p in label["people"] if p["name"] == long.trainee.name
    ]
    assert text_mm(len(who["name"]), who["name_pt"]) <= papers.LABEL_NAME_MM
    rows = papers.arrivals_sheet_data(course, now=lodged["now"])["rows"]
    (row,) = [r for band in rows for r in band["rows"] if r["name"] == long.trainee.name]
    assert text_mm(len(row["name"]), row["name_pt"]) <= papers.ARRIVAL_NAME_MM
