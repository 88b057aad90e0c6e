"""评估报告: the course's 评教 on paper, with the numbers the results page shows, a bar chart per item
(drawn as SVG, its numbers in the text layer), comments only where shown, for the course's staff."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from documents import evaluation
from evaluation.tests.helpers import answer, attended_session, trainees
from training.models import Session
from training.tests.factories import SessionFactory, at
from training.tests.pdfs import assert_fonts_embedded_and_subset, page_texts, text_of, words_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluated(course):
    """Six trainees at two lectures: the first answered by five (5, 5, 4, 4, 4, with comments),
    the second by four (under the threshold of 5); the course form by five (all 4)."""
    people = trainees(course, 6)
    first = attended_session(
        course,
        people,
        title="工会法解读",
        lecturer="县人民法院四级高级法官 孙立新",
        starts_at=at(course.start_date, "08:30"),
    )
    second = attended_session(course, people, title="劳动争议调解", starts_at=at(course.start_date, "14:30"))
    SessionFactory(course=course, title="结业式", kind=Session.Kind.CLOSING, starts_at=at(course.end_date, "16:00"))
    for n, enrollment in enumerate(people[:5]):
        answer(enrollment, first, value=5 if n < 2 else 4, comment="案例贴近基层" if n < 2 else f"建议{n}")
    for enrollment in people[:4]:
        answer(enrollment, second, value=2, comment="不该出现的意见")
    for enrollment in people[:5]:
        answer(enrollment, None, value=4, at=at(course.end_date, "09:00"))
    return {"first": first, "second": second, "after": at(course.end_date + timedelta(days=2), "09:00")}


def test_the_report_data_says_what_the_results_page_shows(course, evaluated, django_assert_num_queries):
    # enrolled, settings, forms, sessions, check-ins per session, trainees who attended anything,
    # Responded counts, answers
    with django_assert_num_queries(8):
        data = evaluation.evaluation_report_data(course, now=evaluated["after"])
    assert data["title"].suffix == "教学评估报告" and data["enrolled"] == 6
    first, second = data["sessions"]
    assert (first["index"], first["title"], first["lecturer"]) == (1, "工会法解读", "孙立新（县人民法院四级高级法官）")
    assert (first["answered"], first["attended"], first["rate"], first["overall"]) == (5, 6, "83.3%", "4.40")
    assert first["means"][0] == ("针对性", "4.40") and first["state"] == "已截止"
    assert [bar.count for bar in first["charts"][0].bars] == [0, 0, 0, 3, 2]
    assert first["comments"] == [("意见和建议", [("案例贴近基层", 2), ("建议2", 1), ("建议3", 1), ("建议4", 1)])]
    assert (second["shown"], second["means"], second["charts"], second["comments"]) == (False, [], [], [])
    assert (data["answered"], data["attended"], data["rate"]) == (9, 12, "75.0%")
    assert (data["overall"], data["overall_of"]) == ("4.40", 1)  # the hidden session does not count
    assert data["course_form"]["overall"] == "4.00" and data["course_form"]["answered"] == 5


def test_while_open_the_report_counts_answers_and_prints_no_means(client, course, evaluated, organizer):
    still_open = evaluated["first"].ends_at + timedelta(hours=1)
    first = evaluation.evaluation_report_data(course, now=still_open)["sessions"][0]
    assert (first["answered"], first["shown"], first["closed"], first["means"], first["comments"]) == (
        5,
        False,
        False,
        [],
        [],
    )
    client.force_login(organizer)
    with time_machine.travel(still_open, tick=False):
        text = text_of(client.get(reverse("documents:evaluation-report-pdf", args=[course.code])).content)
    assert "评价尚未截止，截止后统计均分、分布和文字意见。" in text and "案例贴近基层" not in text


def test_the_report_pdf_prints_numbers_charts_and_only_shown_comments(client, course, evaluated, organizer):
    client.force_login(organizer)
    with time_machine.travel(evaluated["after"], tick=False):
        response = client.get(reverse("documents:evaluation-report-pdf", args=[course.code]))
    assert response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    assert_fonts_embedded_and_subset(response.content)
    text = text_of(response.content)  # without whitespace
    assert f"{course.name}教学评估报告" in text
    assert "孙立新（县人民法院四级高级法官）" in text and "5/6" in text and "83.3%" in text and "4.40" in text
    assert "案例贴近基层（2人）" in text and "建议4" in text
    assert "不该出现的意见" not in text and "评价人数不足5人" in text and "制表人" in text
    assert chart_of(response.content, "针对性") == [
        ("1分", "0"),
        ("2分", "0"),
        ("3分", "0"),
        ("4分", "3"),
        ("5分", "2"),
    ]
    assert chart_of(response.content, "总体满意度") == [
        ("1分", "0"),
        ("2分", "0"),
        ("3分", "0"),
        ("4分", "5"),
        ("5分", "0"),
    ]


MM = 72 / 25.4


def chart_of(pdf: bytes, label: str, page: int = 1) -> list[tuple[str, str]]:
    """The chart under the caption `label`, read off the page: each score under the axis with the
    number written over the same bar (same column, above it), left to right."""
    words = words_of(pdf, page)
    caption = next(w for w in words if w.text == label)
    area = [
        w for w in words if caption.x0 - 1 <= w.x0 <= caption.x0 + 35 * MM and caption.y1 < w.y0 < caption.y1 + 23 * MM
    ]
    scores = sorted((w for w in area if w.text.endswith("分")), key=lambda w: w.x0)
    counts = [w for w in area if w.text.isdigit()]
    column = []
    for score in scores:
        middle = (score.x0 + score.x1) / 2
        (count,) = [c for c in counts if abs((c.x0 + c.x1) / 2 - middle) < 2 and c.y1 < score.y0]
        column.append((score.text, count.text))
    return column


def test_a_sessions_heading_stays_on_the_page_of_its_charts(client, course, evaluated, organizer):
    for n in range(8):  # enough lectures for the report to run over pages
        session = attended_session(
            course,
            list(course.enrollments.all()),
            title=f"专题{n}",
            starts_at=at(course.start_date + timedelta(days=1), "08:00") + timedelta(hours=n),
        )
        for enrollment in course.enrollments.all()[:5]:
            answer(enrollment, session, value=3 + n % 3, comment=f"第{enrollment.pk}位学员的意见，讲得很好" * 3)
    client.force_login(organizer)
    with time_machine.travel(evaluated["after"], tick=False):
        content = client.get(reverse("documents:evaluation-report-pdf", args=[course.code])).content
    pages = page_texts(content)  # without whitespace
    assert len(pages) >= 3 and all(pages)  # no empty page
    for n in range(8):
        heading = f"{n + 3}.专题{n}"  # after the two lectures of the first day
        (page,) = [p for p in pages if heading in p]
        after = page[page.index(heading) :]
        assert "教风教态" in after and "5分" in after  # its charts follow it on the same page


def test_the_report_is_for_the_courses_staff(client, course, evaluated, advisor, other_organizer, trainee_user):
    url = reverse("documents:evaluation-report-pdf", args=[course.code])
    assert client.get(url).status_code == 302
    client.force_login(other_organizer)
    assert client.get(url).status_code == 404
    client.force_login(trainee_user)
    assert client.get(url).status_code == 403
    client.force_login(advisor)
    assert client.get(url).status_code == 200


def test_the_print_centre_links_the_report(client, course, organizer):
    client.force_login(organizer)
    page = client.get(reverse("documents:print", args=[course.code])).content.decode()
    assert reverse("documents:evaluation-report-pdf", args=[course.code]) in page and "教学评估报告" in page
