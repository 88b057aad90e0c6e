"""讲课费签收单: one line per lecturer of the course with their 学时, rate, amount, tax withheld by
the organization's rule and a signature column; rates above the caps flagged; PDF and .xlsx."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from documents import fees
from documents import rules as paper
from training import lecturers, services
from training.tests.factories import SessionFactory, at
from training.tests.pdfs import assert_fonts_embedded_and_subset, pages_of, text_of, words_of

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.mark.parametrize(
    ("amount", "tax"),
    [
        ("0", "0.00"),
        ("800", "0.00"),
        ("800.01", "0.00"),  # 0.002 rounds to nothing
        ("1000", "40.00"),
        ("4000", "640.00"),
        ("4000.01", "640.00"),
        ("5000", "800.00"),
        ("25000", "4000.00"),  # taxable 20000: still 20%
        ("30000", "5200.00"),  # taxable 24000: 30% less 2000
        ("70000", "15400.00"),  # taxable 56000: 40% less 7000
    ],
)
def test_labor_income_tax_is_withheld_by_the_table(amount, tax):
    assert paper.labor_tax(D(amount)) == D(tax)


@pytest.mark.parametrize(
    ("hours", "rate", "cap", "rule", "expected"),
    [
        ("2", "500", "500", "labor", (D("1000.00"), D("40.00"), D("960.00"), False)),
        ("2", "400", "300", "labor", (D("800.00"), D("0.00"), D("800.00"), True)),
        ("1.5", "333.33", None, "labor", (D("500.00"), D("0.00"), D("500.00"), False)),  # 499.995 rounds up
        ("2", "500", "300", "none", (D("1000.00"), None, None, True)),
        ("2", None, "300", "labor", (None, None, None, False)),
    ],
)
def test_a_lecture_fee_is_rounded_to_the_fen_flagged_over_the_cap_and_taxed_by_the_rule(
    hours, rate, cap, rule, expected
):
    fee = paper.lecture_fee(hours=D(hours), rate=rate and D(rate), cap=cap and D(cap), tax_rule=rule)
    assert (fee.amount, fee.tax, fee.net, fee.over_cap) == expected


def row_of(words, anchor: str) -> list[str]:
    """The words of the table row that holds `anchor`, left to right (the text layer reads the
    cells column by column)."""
    hit = next(w for w in words if w.text == anchor)
    middle = (hit.y0 + hit.y1) / 2
    return [w.text for w in sorted(words, key=lambda w: w.x0) if w.y0 - 3 <= middle <= w.y1 + 3]


@pytest.fixture
def taught(course):
    """Four lecturers: 刘文华 (副高, 500, cap 500) gives two sessions of 2 学时, taxed as one payment;
    孙立新 (其他, 400, above the cap of 300) one of 2; 周国栋 has no rate; 陈静 co-teaches with 刘文华."""
    organization = course.organization
    for name, value in (("fee_cap_deputy", D("500")), ("fee_cap_other", D("300")), ("lecture_tax_rule", "labor")):
        setattr(organization, name, value)
    organization.save()
    pool = {
        name: lecturers.lecturer_create(
            organization=organization, name=name, title=title, unit=unit, rank=rank, fee_rate=rate
        )
        for name, title, unit, rank, rate in (
            ("刘文华", "副校长、副教授", "县委党校", "deputy", D("500")),
            ("孙立新", "四级高级法官", "县人民法院", "other", D("400")),
            ("周国栋", "党组书记", "县总工会", "other", None),
            ("陈静", "讲师", "市总工会干部学校", "other", D("300")),
        )
    }
    d = course.start_date
    for day, clock, title, names in (
        (0, "08:30", "开班式", ["周国栋"]),
        (0, "14:30", "党的创新理论", ["刘文华"]),
        (1, "08:30", "工会法解读", ["孙立新"]),
        (1, "14:30", "工会发展道路", ["刘文华", "陈静"]),
        (2, "08:30", "分组讨论", []),
    ):
        start = at(d + timedelta(days=day), clock)
        session = SessionFactory(course=course, title=title, starts_at=start, ends_at=start + timedelta(hours=2))
        services.session_update(session=session, lecturers=[pool[n] for n in names])
    return pool


def test_the_fee_sheet_has_a_line_per_lecturer_taxed_on_their_total(course, taught, django_assert_num_queries):
    course.organization  # loaded with the course, as access.course_for_staff does  # noqa: B018
    with django_assert_num_queries(1):  # the course's session lecturers with sessions and lecturers
        data = fees.lecture_fees_data(course)
    rows = {r["name"]: r for r in data["rows"]}
    assert [r["name"] for r in data["rows"]] == ["周国栋", "刘文华", "孙立新", "陈静"]  # timetable order
    liu = rows["刘文华"]
    assert (liu["hours"], liu["rate"], liu["amount"], liu["tax"], liu["net"]) == (
        "4",
        "500.00",
        "2,000.00",
        "240.00",
        "1,760.00",
    )  # one payment of 2000, not two of 1000 (which would be taxed 40 + 40)
    assert [s["line"] for s in liu["sessions"]] == [
        f"{course.start_date.month}月{course.start_date.day}日上午 党的创新理论（2学时）".replace("上午", "下午"),
        f"{(course.start_date + timedelta(days=1)).month}月{(course.start_date + timedelta(days=1)).day}日下午 工会发展道路（2学时）",
    ]
    assert liu["title"] == "县委党校副校长、副教授" and not liu["fee"].over_cap
    assert rows["孙立新"]["fee"].over_cap and rows["孙立新"]["tax"] == "0.00"
    assert rows["周国栋"]["no_rate"] and rows["周国栋"]["amount"] == rows["周国栋"]["net"] == ""
    assert (data["total_hours"], data["total_amount"], data["total_tax"], data["total_net"]) == (
        "10",
        "3,400.00",
        "240.00",
        "3,160.00",
    )
    assert data["over_cap"] == ["孙立新"] and data["no_rate"] == ["周国栋"]


def test_the_fee_sheet_pdf_reads_its_lines_totals_and_flags(client, organizer, course, taught):
    client.force_login(organizer)
    response = client.get(reverse("documents:lecture-fees-pdf", args=[course.code]))
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert_fonts_embedded_and_subset(content)
    assert pages_of(content) == 1
    text = text_of(content)
    assert f"{course.name}讲课费签收单" in text
    for heading in (
        "序号",
        "授课人",
        "职称/职务",
        "课程（日期课次）",
        "学时",
        "标准",
        "金额",
        "代扣个税",
        "实发金额",
        "签名",
    ):
        assert heading in text, heading
    words = words_of(content)
    assert row_of(words, "刘文华")[-4:] == ["500.00", "2,000.00", "240.00", "1,760.00"]
    assert row_of(words, "计")[-4:] == ["10", "3,400.00", "240.00", "3,160.00"]  # 合　计
    assert "超标准" in text and "标“超标准”的（孙立新）" in text and "其他人员300元/学时" in text
    assert "未定*" in text and "（周国栋）在师资库中没有讲课费标准" in text
    assert "经办人：" in text and "审核人：" in text and "负责人：" in text
    sign = next(w for w in words if w.text == "签名")
    right = 841.89 - 12 / 25.4 * 72  # A4 landscape less the 12 mm margin, in points
    assert 2 * (right - (sign.x0 + sign.x1) / 2) >= 30 / 25.4 * 72  # the centred heading: a column of 30 mm or more


def test_without_a_tax_rule_tax_and_net_are_left_to_fill_in(client, organizer, course, taught):
    course.organization.lecture_tax_rule = "none"
    course.organization.save()
    data = fees.lecture_fees_data(course)
    assert data["total_amount"] == "3,400.00" and data["total_tax"] == data["total_net"] == ""
    client.force_login(organizer)
    text = text_of(client.get(reverse("documents:lecture-fees-pdf", args=[course.code])).content)
    assert "代扣个税和实发金额由财务按规定计算后填写" in text


def test_a_course_without_picked_lecturers_prints_an_empty_sheet(client, organizer, course):
    SessionFactory(course=course)
    client.force_login(organizer)
    text = text_of(client.get(reverse("documents:lecture-fees-pdf", args=[course.code])).content)
    assert "还没有从师资库选择授课人" in text


def test_the_fee_sheet_xlsx_has_the_same_columns_with_amounts_as_numbers(client, organizer, course, taught):
    client.force_login(organizer)
    response = client.get(reverse("documents:lecture-fees-xlsx", args=[course.code]))
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content))["讲课费"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == f"{course.name}讲课费签收单"
    assert rows[1][:5] == ("序号", "授课人", "职称/职务", "课程（日期 课次）", "学时") and rows[1][-1] == "签名"
    liu = next(r for r in rows if r[1] == "刘文华")
    assert (liu[4], liu[5], liu[7], liu[8], liu[9]) == (4, 500, 2000, 240, 1760)
    sun = next(r for r in rows if r[1] == "孙立新")
    assert sun[6] == "超标准"
    zhou = next(r for r in rows if r[1] == "周国栋")
    assert zhou[5] == "未定" and zhou[7] is None
    total = next(r for r in rows if r[0] == "合计")
    assert (total[4], total[7], total[8], total[9]) == (10, 3400, 240, 3160)


def test_the_print_centre_links_the_fee_sheet(client, advisor, course):
    client.force_login(advisor)
    page = client.get(reverse("documents:print", args=[course.code])).content.decode()
    assert reverse("documents:lecture-fees-pdf", args=[course.code]) in page
    assert reverse("documents:lecture-fees-xlsx", args=[course.code]) in page
