"""Control characters (NUL above all, which PostgreSQL text cannot hold) are refused with a clear
message before the database sees them: in the address or a query parameter by the middleware (a
page naming the parameter), in a form field by the forms' base (the field's own error). Runs on
both passes; on PostgreSQL each of these answered 500 before."""

import pytest
import time_machine
from django.urls import reverse

from attendance.models import AttendanceRecord
from completion.models import Certificate
from completion.tests.factories import certificate_for
from training.tests.factories import SessionFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, organizer):
    client.force_login(organizer)
    return client


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/courses/QS2026-01/roster/?q=%00", "参数“q”"),
        ("/courses/QS2026-01/roster/?group=%00", "参数“group”"),
        ("/courses/QS2026-01/materials/?q=%00", "参数“q”"),
        ("/courses/QS2026-01/roster/?q=%1F%E5%BC%A0", "参数“q”"),
        ("/courses/%00/", "网页地址"),
    ],
)
def test_a_control_character_in_the_address_is_refused_by_name(staff, course, path, named):
    response = staff.get(path)
    assert response.status_code == 400
    text = response.content.decode()
    assert named in text and "控制字符" in text


def test_a_trainee_searching_materials_with_a_nul_is_told_so(client, trainee_user):
    client.force_login(trainee_user)
    response = client.get(reverse("materials:my-materials"), {"q": "\x00"})
    assert response.status_code == 400
    assert "参数“q”" in response.content.decode()


def test_a_nul_in_the_roll_call_reason_writes_nothing(staff, course, enrollment):
    session = SessionFactory(course=course, starts_at=at(course.start_date, "08:30"))
    url = reverse("attendance:rollcall-all", args=[course.code, session.pk])
    with time_machine.travel(session.starts_at, tick=False):
        response = staff.post(url, {"reason": "课堂点名\x00"}, follow=True)
    assert "更改原因：含有不可见的控制字符" in response.content.decode()
    assert not AttendanceRecord.objects.exists()
    with time_machine.travel(session.starts_at, tick=False):
        staff.post(url, {"reason": "课堂点名"})
    assert AttendanceRecord.objects.count() == 1  # the same request, clean, is taken


def test_a_nul_in_the_certificate_change_reason_writes_nothing(staff, course, enrollment):
    certificate = certificate_for(enrollment)
    url = reverse("completion:certificate-change", args=[course.code, certificate.pk])
    response = staff.post(url, {"action": "revoke", "reason": "姓名有误\x00"}, follow=True)
    assert "撤销原因含有不可见的控制字符" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_line_breaks_and_tabs_pass_in_a_textarea_only(staff, course):
    from django import forms as django_forms

    from core import forms

    class Example(forms.Form):
        line = django_forms.CharField()
        text = django_forms.CharField(widget=django_forms.Textarea)

    assert Example({"line": "甲", "text": "第一段\r\n\t第二段"}).is_valid()
    assert set(Example({"line": "甲\t乙", "text": "文\x0b字"}).errors) == {"line", "text"}
    assert Example({"line": "甲\u202e乙", "text": "x"}).errors["line"] == ["含有不可见的控制字符，请删除后重新输入。"]


def test_a_vertical_tab_pasted_into_a_course_field_is_refused_by_its_form(staff, course):
    edit = reverse("training:course-edit", args=[course.code])
    form = staff.get(edit).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "advisors"}
    data.update(start_date=course.start_date.isoformat(), end_date=course.end_date.isoformat(), name="培训\x0b班")
    response = staff.post(edit, data)
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["含有不可见的控制字符，请删除后重新输入。"]
    course.refresh_from_db()
    assert course.name == "2026年全县基层工会干部培训班"


def test_every_form_of_the_site_has_the_base():
    """A new form that forgets the base fails here."""
    import inspect

    from django import forms as django_forms

    from attendance import forms as attendance_forms
    from core.forms import CleanTextMixin
    from materials import forms as materials_forms
    from training import forms as training_forms

    missing = [
        f"{module.__name__}.{name}"
        for module in (attendance_forms, materials_forms, training_forms)
        for name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, django_forms.BaseForm)
        and cls.__module__ == module.__name__
        and not issubclass(cls, CleanTextMixin)
    ]
    assert missing == []
