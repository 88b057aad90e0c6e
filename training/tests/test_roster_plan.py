"""Planning a roster import from plain values: who is new, what changed, what clashes. No database."""

from training import roster
from training.roster import Enrolled, NewEnrollment, Registered, RosterEntry

ALL = frozenset(["name", "phone", "gender", "work_unit", "position", "group", "student_no", "id_number"])
ID_ZHANG = "110101199003071234"  # a man's ID number (the 17th digit is odd)


def entry(row, name, phone, **values):
    return RosterEntry(row=row, name=name, phone=phone, given=ALL, **values)


ZHANG = Registered(pk=1, phone="13812345601", name="张三", gender="M", work_unit="县总工会", position="主席")


def plan(*entries, registered=(), id_owner=None, enrolled=()):
    return roster.plan_import(
        list(entries), registered=list(registered), id_owner=id_owner or {}, enrolled=list(enrolled)
    )


def test_a_new_person_is_created_and_enrolled_with_the_next_free_number():
    result = plan(entry(2, "李娜", "13812345602", gender="F", work_unit="县教育局工会", group="第一组"))
    assert result.problems == []
    assert result.new_trainees == {
        "13812345602": {
            "name": "李娜",
            "gender": "F",
            "work_unit": "县教育局工会",
            "position": "",
            "id_number": "",
        }
    }
    assert result.new_enrollments == [NewEnrollment("13812345602", "001", "第一组")]
    assert [(line.action, line.changes) for line in result.lines] == [("create", [])]


def test_a_known_person_gets_the_changed_field_and_an_empty_cell_clears_nothing():
    promoted = entry(2, "张三", ZHANG.phone, gender="M", work_unit="", position="常务副主席", group="第二组")
    place = Enrolled(pk=7, trainee_pk=ZHANG.pk, phone=ZHANG.phone, student_no="003", group="第一组")
    result = plan(promoted, registered=[ZHANG], enrolled=[place])
    assert result.trainee_changes == {ZHANG.pk: {"position": "常务副主席"}}  # the empty 工作单位 is left alone
    assert result.enrollment_changes == {place.pk: {"group": "第二组"}}  # the empty 学号 too
    assert result.new_trainees == {} and result.new_enrollments == []
    assert [(line.action, line.changes) for line in result.lines] == [("update", ["职务", "小组"])]


def test_a_known_person_new_to_the_course_is_enrolled_and_unchanged_data_is_not_rewritten():
    result = plan(entry(2, "张三", ZHANG.phone, gender="M", position="主席"), registered=[ZHANG])
    assert result.trainee_changes == {}
    assert result.new_enrollments == [NewEnrollment(ZHANG.phone, "001", "")]
    assert [line.action for line in result.lines] == ["enroll"]


def test_a_phone_registered_under_another_name_is_a_problem_of_its_row_and_field():
    result = plan(entry(5, "张山", ZHANG.phone), registered=[ZHANG])
    assert [(p.row, p.field) for p in result.problems] == [(5, "phone")]
    assert "138****5601" in result.problems[0].message and "张三" not in result.problems[0].message
    assert result.lines == [] and result.new_trainees == {} and result.new_enrollments == []


def test_an_id_number_held_by_another_trainee_is_a_problem():
    result = plan(
        entry(3, "王五", "13812345603", gender="M", id_number=ID_ZHANG),
        registered=[ZHANG],
        id_owner={ID_ZHANG: ZHANG.phone},
    )
    assert [(p.row, p.field, p.message) for p in result.problems] == [
        (3, "id_number", "身份证号码已登记在本单位另一位学员名下")
    ]
    assert (
        plan(
            entry(3, "张三", ZHANG.phone, id_number=ID_ZHANG), registered=[ZHANG], id_owner={ID_ZHANG: ZHANG.phone}
        ).problems
        == []
    )


def test_a_student_number_held_by_another_enrollee_is_a_problem():
    place = Enrolled(pk=7, trainee_pk=ZHANG.pk, phone=ZHANG.phone, student_no="003")
    result = plan(entry(4, "李娜", "13812345602", student_no="003"), registered=[ZHANG], enrolled=[place])
    assert [(p.row, p.field, p.message) for p in result.problems] == [
        (4, "student_no", "学号 003 已属于本班另一位学员")
    ]


def test_new_places_get_the_next_free_numbers_after_those_taken_or_given():
    places = [Enrolled(pk=7, trainee_pk=ZHANG.pk, phone=ZHANG.phone, student_no="0007")]
    result = plan(
        entry(2, "李娜", "13812345602"),
        entry(3, "王五", "13812345603", student_no="0009"),
        entry(4, "赵六", "13812345604"),
        registered=[ZHANG],
        enrolled=places,
    )
    assert [(new.phone, new.student_no) for new in result.new_enrollments] == [
        ("13812345602", "0010"),
        ("13812345603", "0009"),
        ("13812345604", "0011"),
    ]
