"""Importing rosters into the database: all or nothing, idempotent, one service for the page and
the command."""

import io

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from openpyxl import load_workbook

from training import services, xlsx
from training.models import Enrollment, Trainee
from training.tests import rosters
from training.tests.factories import CourseFactory, EnrollmentFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Trainee.objects.values_list("phone", "name", "gender", "work_unit", "position", "access_code")),
        sorted(Enrollment.objects.values_list("course_id", "trainee__phone", "student_no", "group", "status")),
    )


def run_import(course, content, filename="花名册.xlsx"):
    return services.roster_import(course=course, content=content, filename=filename)


def test_import_creates_trainees_and_enrollments(course):
    result = run_import(course, rosters.xlsx(rosters.table()))
    assert result.committed and result.counts["create"] == 8
    enrollments = list(course.enrollments.select_related("trainee").order_by("student_no"))
    assert [(e.student_no, e.trainee.name, e.group) for e in enrollments[:3]] == [
        ("001", "张三", "第一组"),
        ("002", "李娜", "第一组"),
        ("003", "阿依古丽·买买提", "第二组"),
    ]
    assert all(len(e.trainee.access_code) == 6 and e.trainee.access_code.isdigit() for e in enrollments)
    assert Trainee.objects.filter(user__isnull=False).count() == 0  # accounts come at the first login


def test_a_roster_saved_as_csv_by_excel_imports_every_row(course):
    """GBK, CRLF, a title row above the header and the phones written as floats (13812345601.0)."""
    content = rosters.excel_saved_csv(rosters.table())
    assert content.startswith(rosters.TITLE.encode("gbk")) and b"\r\n" in content
    result = run_import(course, content, filename="花名册.csv")
    assert result.problems == [] and result.committed and result.counts["create"] == 8
    phones = sorted(course.enrollments.values_list("trainee__phone", flat=True))
    assert phones == [f"138123456{n:02d}" for n in range(1, 9)]


def test_importing_the_same_file_again_changes_nothing(course):
    content = rosters.xlsx(rosters.table())
    run_import(course, content)
    before = snapshot()
    result = run_import(course, content)
    assert result.counts == {"create": 0, "enroll": 0, "update": 0, "unchanged": 8}
    assert snapshot() == before


def test_a_reimport_updates_changed_people_and_adds_new_ones(course):
    run_import(course, rosters.xlsx(rosters.table()))
    people = [list(row) for row in rosters.PEOPLE if row]
    people[0][6] = "工会常务副主席"  # 张三 was promoted
    people[1][8] = "第三组"  # 李娜 moved group
    people.append([9, "新学员", "女", "汉族", "群众", "县财政局工会", "工会委员", "13812345609", "4", ""])
    result = run_import(course, rosters.xlsx(rosters.people(*people)))
    assert result.counts == {"create": 1, "enroll": 0, "update": 2, "unchanged": 6}
    assert Trainee.objects.get(phone="13812345601").position == "工会常务副主席"
    moved = course.enrollments.get(trainee__phone="13812345602")
    assert (moved.group, moved.student_no) == ("第三组", "002")
    assert course.enrollments.get(trainee__phone="13812345609").student_no == "009"
    assert Trainee.objects.count() == 9


def test_a_trainee_known_from_another_course_is_enrolled_not_duplicated(course):
    earlier = CourseFactory(organization=course.organization)
    known = TraineeFactory(name="张三", phone="13812345601", access_code="111111")
    EnrollmentFactory(course=earlier, trainee=known)
    result = run_import(course, rosters.xlsx(rosters.table()))
    assert result.counts["enroll"] == 1
    assert Trainee.objects.filter(phone="13812345601").count() == 1
    assert Trainee.objects.get(phone="13812345601").access_code == "111111"


def test_an_empty_cell_never_blanks_known_data(course):
    run_import(course, rosters.xlsx(rosters.table()))
    row = list(rosters.PEOPLE[0])
    row[5] = ""  # work unit left empty this time
    run_import(course, rosters.xlsx(rosters.people(row)))
    assert Trainee.objects.get(phone="13812345601").work_unit == "青山县人民医院工会"


def test_a_phone_registered_under_another_name_stops_the_whole_import(course):
    TraineeFactory(name="别人", phone="13812345605")
    before = snapshot()
    result = run_import(course, rosters.xlsx(rosters.table()))
    assert not result.committed
    assert [(p.row, p.field) for p in result.problems] == [(8, "phone")]
    assert "已登记为本单位另一位学员" in result.problems[0].message
    assert "别人" not in result.problems[0].message
    assert snapshot() == before


def test_a_student_number_held_by_someone_else_is_refused(course, enrollment):
    rows = rosters.table()
    rows[2] = [*rosters.HEADER, "学号"]
    rows[3] = [*rosters.PEOPLE[0], enrollment.student_no]
    result = run_import(course, rosters.xlsx(rows))
    assert [(p.row, p.field) for p in result.problems] == [(4, "student_no")]
    assert not Trainee.objects.filter(phone="13812345601").exists()


def test_a_dry_run_writes_nothing(course):
    before = snapshot()
    result = services.roster_import(
        course=course, content=rosters.xlsx(rosters.table()), filename="r.xlsx", commit=False
    )
    assert result.ok and not result.committed and result.counts["create"] == 8
    assert snapshot() == before


def test_enrollment_add_follows_the_roster_rules(course):
    enrollment = services.enrollment_add(
        course=course,
        name="补报学员",
        phone="13812345699",
        gender="M",
        ethnicity="汉族",
        political_status="",
        work_unit="县林业局工会",
        position="工会主席",
        id_number="",
        group="第二组",
    )
    assert (enrollment.student_no, enrollment.group) == ("001", "第二组")
    with pytest.raises(services.DomainError) as error:
        services.enrollment_add(
            course=course,
            name="补报学员",
            phone="13812345699",
            gender="",
            ethnicity="",
            political_status="",
            work_unit="",
            position="",
            id_number="",
        )
    assert error.value.code == "already_enrolled"


# --- The management command -------------------------------------------------------------------


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_import_roster_command_imports_and_reports(course, tmp_path, capsys):
    call_command("import_roster", course.code, write(tmp_path, "花名册.csv", rosters.csv_bytes(rosters.table())))
    out = capsys.readouterr().out
    assert "已导入 8 名学员" in out
    assert course.enrollments.count() == 8


BROKEN = {
    "no-name-column": (rosters.xlsx([["单位", "手机号码"], ["县医院工会", "13812345601"]]), "r.xlsx", "姓名"),
    "duplicate-phone": (
        rosters.xlsx(rosters.people(rosters.PEOPLE[0], [2, "李四", "男", "", "", "单位", "", "13812345601", "1", ""])),
        "r.xlsx",
        "第5行（李四）：手机号码与第4行重复",
    ),
    "invalid-phone": (
        rosters.xlsx(rosters.people(rosters.PEOPLE[0], [2, "李四", "男", "", "", "单位", "", "12345", "1", ""])),
        "r.xlsx",
        "第5行（李四）：手机号码“12345”不是有效的11位手机号码",
    ),
    "not-a-spreadsheet": (b"\x89PNG\r\n\x1a\n\x00\x00", "r.xlsx", "内容不是 Excel 表格"),
    "empty": (b"", "r.csv", "文件是空的"),
    "row-without-name": (
        rosters.xlsx(rosters.people(rosters.PEOPLE[0], [2, "", "男", "", "", "单位", "", "13812345699", "1", ""])),
        "r.xlsx",
        "第5行：姓名为空",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_import_roster_command_fails_on_broken_files_and_changes_nothing(course, tmp_path, capsys, case):
    content, filename, message = BROKEN[case]
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("import_roster", course.code, write(tmp_path, filename, content))
    captured = capsys.readouterr()
    assert message in str(error.value) + captured.err
    assert snapshot() == before


@pytest.mark.parametrize(
    ("code", "case", "message"),
    [
        ("NO-SUCH-COURSE", "empty", "没有编号为 NO-SUCH-COURSE 的培训班"),
        ("QS2026-01", "duplicate-phone", "没有导入任何学员"),
    ],
)
def test_import_roster_command_exits_non_zero(course, tmp_path, capsys, code, case, message):
    path = write(tmp_path, "r.xlsx", BROKEN[case][0])
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "import_roster", code, path])
    assert exit_.value.code == 1
    assert message in capsys.readouterr().err


# --- Export -------------------------------------------------------------------------------------


def test_export_writes_formula_like_values_as_text(course):
    trainee = TraineeFactory(
        name="张三", phone="13812345601", work_unit='=HYPERLINK("http://evil","点我")', position="+1"
    )
    EnrollmentFactory(course=course, trainee=trainee, student_no="001", group="@SUM(A1)")
    from training import selectors

    content = xlsx.write_roster_xlsx(title="花名册", subtitle="", rows=selectors.roster_export_rows(course))
    sheet = load_workbook(io.BytesIO(content)).active
    row = [cell for cell in sheet[4]]
    assert [c.value for c in row][:2] == ["001", "张三"]
    work_unit, position, group = row[5], row[6], row[8]
    assert work_unit.value == '=HYPERLINK("http://evil","点我")' and work_unit.data_type == "s"
    assert position.data_type == "s" and group.data_type == "s"
    assert work_unit.quotePrefix
    raw = io.BytesIO(content)
    import zipfile

    sheet_xml = zipfile.ZipFile(raw).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    assert sheet.print_title_rows == "$3:$3"


def test_an_exported_roster_imports_back_unchanged(course):
    """Organizers edit the exported 花名册 and send it back: it must be accepted as it is."""
    from training import selectors

    run_import(course, rosters.xlsx(rosters.table()))
    before = snapshot()
    exported = xlsx.write_roster_xlsx(
        title="花名册", subtitle="青山县总工会", rows=selectors.roster_export_rows(course)
    )
    result = run_import(course, exported, "导出的花名册.xlsx")
    assert result.ok and result.counts["unchanged"] == 8
    assert snapshot() == before
