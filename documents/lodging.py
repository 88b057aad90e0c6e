"""The paper of 报到、住宿和就餐 as plain values for templates/pdf/: the 住宿安排表 (by building and
floor), the door labels (门牌), the 就餐统计表 for the canteen and the 报到情况表. Reads through
lodging.selectors (room_sheet, meal_table, arrival_stats), beside selectors.py, which holds the
attendance documents. Nothing here writes."""

from datetime import datetime

from django.utils import timezone

from core import formats
from lodging import rules as lodging_rules
from lodging import selectors as lodging
from training.models import Course

from . import rules as paper

PORTRAIT_WIDTH_MM = 210 - 2 * 15  # A4 portrait less the side margins of these forms
LABEL_WIDTH_MM = 95 - 2 * 6  # a door label less its padding
LABELS_PER_PAGE = 6  # 2 × 3 on A4
ARRIVAL_NAME_MM = 24 - 2 * 1.2  # the name column of the 报到情况表 less its padding
SHEET_NAME_MM = 28 - 2 * 1.2  # the name column of the 住宿安排表 less its padding
LABEL_NAME_MM = 45  # a door label's name, leaving room for the bed number and a little of the unit


def _head(course: Course, suffix: str, *, now: datetime) -> dict:
    return {
        "name": course.name,
        "organization": course.organization.name,
        "venue": course.venue,
        "dates": formats.document_date_range(course.start_date, course.end_date),
        "title": paper.title_lines(course.name, PORTRAIT_WIDTH_MM, suffix=suffix),
        "printed": formats.document_date(timezone.localdate(now)),
    }


def rooms_sheet_data(course: Course, *, now: datetime) -> dict:
    """住宿安排表: one table per building and floor, a row per occupied bed (room number once per
    room, its rows kept on one page), with the counts of rooms, beds taken and 走读. Eight queries."""
    floors, rooms, placed = [], 0, 0
    for building, floor, lines in lodging.room_sheet(course):
        entries = []
        for room, beds in lines:
            rooms += 1
            placed += len(beds)
            entries.append(
                {
                    "number": room.number,
                    "kind": f"{room.beds}人间",
                    "gender": room.get_gender_display() if room.gender else "",
                    "free": room.beds - len(beds),
                    "beds": [
                        {
                            "bed": bed,
                            "name": name,
                            "name_pt": paper.fit_pt(len(name), SHEET_NAME_MM, largest=10.0, slack=1.05),
                            "gender": gender,
                            "unit": unit,
                            "phone": phone,
                        }
                        for bed, name, gender, unit, phone in beds
                    ],
                }
            )
        floors.append({"building": building, "floor": floor, "rooms": entries})
    day_students = [e.trainee.name for e in lodging.enrolled(course) if not e.stay_or_default.needs_room]
    return {
        **_head(course, "住宿安排表", now=now),
        "floors": floors,
        "rooms": rooms,
        "placed": placed,
        "day_students": day_students,
    }


def door_labels_data(course: Course, *, now: datetime) -> dict:
    """门牌: one label per occupied room, six to an A4 page with cut lines: the building and the
    room number large, then who sleeps there (bed, name, unit). Five queries."""
    labels = []
    for building, _, lines in lodging.room_sheet(course):
        for room, beds in lines:
            labels.append(
                {
                    "building": building,
                    "number": room.number,
                    "number_pt": paper.fit_pt(len(room.number), LABEL_WIDTH_MM, largest=60.0, slack=0.62),
                    "people": [
                        {
                            "bed": bed,
                            "name": name,
                            "name_pt": paper.fit_pt(len(name), LABEL_NAME_MM, largest=15.0, slack=1.05),
                            "unit": unit,
                        }
                        for bed, name, _, unit, _ in beds
                    ],
                }
            )
    pages = [labels[i : i + LABELS_PER_PAGE] for i in range(0, len(labels), LABELS_PER_PAGE)]
    return {**_head(course, "门牌", now=now), "pages": pages, "count": len(labels)}


def _state(line: lodging.MealLine) -> str:
    return {"frozen": "已锁定", "closed": "已截止，待锁定"}.get(line.state, "报餐中")


def meals_sheet_data(course: Course, *, now: datetime) -> dict:
    """就餐统计表 for the canteen: per day and meal (早/中/晚) how many eat, split 普通 / 清真 / 素食 /
    其他 (with what the others need), those on leave and those who said they would not eat, the
    cut-off and whether the count is frozen; totals per dietary need. Six queries."""
    lines = lodging.meal_table(course, now=now)
    days = []
    for line in lines:
        day = line.slot.day
        if not days or days[-1]["day"] != day:
            days.append({"day": day, "date": f"{day.month}月{day.day}日", "weekday": paper.weekday(day), "meals": []})
        count = line.count
        days[-1]["meals"].append(
            {
                "label": lodging_rules.MEAL_LABELS[line.slot.kind][0],
                "eating": count.eating,
                "diets": count.diets,
                "notes": "、".join(f"{text} {n}" for text, n in count.notes),
                "on_leave": count.on_leave,
                "opted_out": count.opted_out,
                "cutoff": f"{timezone.localtime(line.slot.cutoff):%m-%d %H:%M}",
                "state": _state(line),
                "frozen": line.state == "frozen",
            }
        )
    totals = {diet: sum(line.count.diets[diet] for line in lines) for diet in lodging_rules.DIETS}
    return {
        **_head(course, "就餐统计表", now=now),
        "days": days,
        "totals": totals,
        "total": sum(totals.values()),
        "now": f"{timezone.localtime(now):%Y-%m-%d %H:%M}",
        "open": sum(1 for line in lines if line.state != "frozen"),
    }


def arrivals_sheet_data(course: Course, *, now: datetime) -> dict:
    """报到情况表: arrived / expected, late and missing counts, then every enrolled trainee by
    student number with the time of arrival and 迟到 or 未报到 in the remarks. Four queries."""
    stats = lodging.arrival_stats(course)
    rows = []
    for index, person in enumerate(stats.people, start=1):
        record = person.arrival_record
        rows.append(
            {
                "index": index,
                "no": person.student_no,
                "name": person.trainee.name,
                "name_pt": paper.fit_pt(len(person.trainee.name), ARRIVAL_NAME_MM, largest=10.0, slack=1.05),
                "gender": person.trainee.get_gender_display(),
                "unit": person.trainee.work_unit,
                "phone": person.trainee.phone,
                "at": f"{timezone.localtime(record.arrived_at):%m-%d %H:%M}" if record else "",
                "note": "迟到" if person.arrival_late else ("" if record else "未报到"),
            }
        )
    first = timezone.localtime(stats.late_after) if stats.late_after else None
    return {
        **_head(course, "报到情况表", now=now),
        "rows": paper_bands(rows),
        "expected": stats.expected,
        "arrived": stats.arrived,
        "late": len(stats.late),
        "missing": len(stats.missing),
        "late_after": f"{first.month}月{first.day}日 {first:%H:%M}" if first else "",
        "units": stats.units,
    }


def paper_bands(rows: list) -> list[dict]:
    """The rows in bands whose first and last five stay on one page (documents.rules.row_bands)."""
    return [{"rows": rows[start:stop], "keep": keep} for start, stop, keep in paper.row_bands(len(rows))]
