"""Every form of the site, posted with each class of invalid value that applies to it (non-ASCII
codes, out-of-range and overflowing numbers, malformed networks, over-long text, control characters,
impossible dates, unknown choices), comes back with a Chinese message on the page — the form again
(200) with the error on the field, or for the small inline forms the page's usual redirect with the
message — never a 500, and nothing is written. The table is checked against the forms modules: a new
form class without a case fails `test_every_form_of_the_site_has_a_case`."""

import inspect
import re
from dataclasses import dataclass, field
from datetime import timedelta
from html import escape

import pytest
import time_machine
from django import forms as django_forms
from django.apps import apps
from django.urls import reverse

import assessment.forms
import attendance.forms
import completion.forms
import evaluation.forms
import lodging.forms
import materials.forms
import notifications.forms
import registration.forms
import training.forms
from assessment.tests.form_targets import assessment_targets
from assessment.tests.helpers import sample_essay
from attendance.tests.helpers import sample_attendance
from completion.tests.factories import certificate_for
from core.tests.form_cases import CASES
from evaluation.services import forms_ensure
from evaluation.tests.helpers import attended_session
from lodging.models import Room
from materials.services import material_import
from materials.tests.seeds import seed_path
from registration import services as registration_services
from registration import tokens as registration_tokens
from registration.tests.helpers import form_data, person, sample_registration
from training.models import Lecturer
from training.tests.factories import OrganizationFactory, SessionFactory

pytestmark = pytest.mark.django_db

FORM_MODULES = (
    training.forms,
    assessment.forms,
    attendance.forms,
    materials.forms,
    registration.forms,
    completion.forms,
    evaluation.forms,
    notifications.forms,
    lodging.forms,
)
PROJECT_APPS = (
    "core",
    "training",
    "attendance",
    "materials",
    "registration",
    "assessment",
    "completion",
    "evaluation",
    "lodging",
    "notifications",
)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Target:
    """Where a form is posted, by whom, with which valid values; `inline` forms answer with a
    redirect and a message instead of the form again."""

    url: str
    role: str
    valid: dict
    inline: bool = False
    prefix: str = ""
    files: dict = field(default_factory=dict)


def _course_data(world, **extra):
    return {
        "organization": world["course"].organization.pk,
        "code": "QS2026-09",
        "name": "2026年女职工干部培训班",
        "venue": "中共青山县委党校",
        "start_date": "2026-11-20",
        "end_date": "2026-11-22",
        "status": "published",
        **extra,
    }


def _trainee_data(**extra):
    return {"name": "赵春梅", "phone": "13800138000", "gender": "F", "work_unit": "县医院工会", **extra}


def _lecturer_data(**extra):
    return {"name": "刘文华", "title": "副校长", "unit": "县委党校", "rank": "deputy", "fee_rate": "500", **extra}


def _lodging_settings_data(course):
    from django.utils import timezone

    from lodging.selectors import meal_plan

    data = {"handout": "学员手册"}
    for slot in meal_plan(course)[0]:
        key = f"{slot.day:%Y%m%d}_{slot.kind}"
        data[f"cutoff_{key}"] = timezone.localtime(slot.cutoff).strftime("%Y-%m-%dT%H:%M")
        if slot.served:
            data[f"served_{key}"] = "on"
    return data


TARGETS = {
    "course-create": lambda w: Target(reverse("training:course-create"), "organizer", _course_data(w)),
    "course-edit": lambda w: Target(reverse("training:course-edit", args=[w["code"]]), "organizer", _course_data(w)),
    "session-create": lambda w: Target(
        reverse("training:session-create", args=[w["code"]]),
        "organizer",
        {
            "kind": "lecture",
            "title": "工会法专题",
            "date": "2026-11-21",
            "start_time": "14:00",
            "end_time": "16:00",
            "credit_hours": "2",
        },
    ),
    "roster-import": lambda w: Target(reverse("training:roster-import", args=[w["code"]]), "organizer", {}),
    "trainee-add": lambda w: Target(reverse("training:trainee-add", args=[w["code"]]), "organizer", _trainee_data()),
    "enrollment-edit": lambda w: Target(
        reverse("training:enrollment-edit", args=[w["code"], w["enrollment"].pk]),
        "organizer",
        {
            **{f"t-{k}": v for k, v in _trainee_data(name="张丽华", phone="13900000001").items()},
            "e-student_no": "001",
            "e-group": "第一组",
            "e-status": "enrolled",
        },
    ),
    "staff-add": lambda w: Target(
        reverse("training:staff", args=[w["course"].organization_id]),
        "organizer",
        {"name": "王海涛", "username": "wanght", "role": "advisor"},
    ),
    "organization": lambda w: Target(
        reverse("training:organization", args=[w["course"].organization_id]),
        "organizer",
        {"name": w["course"].organization.name, "short_name": "县总工会", "lecture_tax_rule": "none"},
    ),
    "lecturer-create": lambda w: Target(
        reverse("training:lecturer-create", args=[w["course"].organization_id]), "organizer", _lecturer_data()
    ),
    "lecturer-edit": lambda w: Target(
        reverse("training:lecturer-edit", args=[w["course"].organization_id, w["lecturer"].pk]),
        "organizer",
        _lecturer_data(name="孙立新"),
    ),
    "course-reopen": lambda w: Target(
        reverse("training:course-reopen", args=[w["code"]]), "organizer", {"reason": "补录结业测试成绩"}
    ),
    "trainee-login": lambda w: Target(
        reverse("training:login"), "anonymous", {"phone": "13900000001", "access_code": "246810"}
    ),
    "staff-login": lambda w: Target(reverse("training:staff-login"), "anonymous", {"username": "x", "password": "y"}),
    "rollcall-mark": lambda w: Target(
        reverse("attendance:rollcall-mark", args=[w["code"], w["session"].pk]),
        "advisor",
        {"enrollment": w["enrollment"].pk, "action": "present", "reason": "课堂点名"},
        inline=True,
    ),
    "rollcall-all": lambda w: Target(
        reverse("attendance:rollcall-all", args=[w["code"], w["session"].pk]),
        "advisor",
        {"reason": "课堂点名"},
        inline=True,
    ),
    "discipline-void": lambda w: Target(
        reverse("attendance:discipline-void", args=[w["code"], w["record"].pk]),
        "advisor",
        {"reason": "记错了人"},
        inline=True,
    ),
    "badge-scan": lambda w: Target(
        reverse("attendance:badge-scan", args=[w["code"], w["session"].pk]), "advisor", {"code": "x", "mode": "in"}
    ),
    "leave-new": lambda w: Target(
        reverse("attendance:my-leave-new", args=[w["code"]]),
        "trainee",
        {"kind": "sick", "sessions": [w["later"].pk], "reason": "发烧就医"},
    ),
    "leave-decide": lambda w: Target(
        reverse("attendance:leave-detail", args=[w["code"], w["leave"].pk]), "advisor", {"approve": "1"}
    ),
    "discipline": lambda w: Target(
        reverse("attendance:discipline", args=[w["code"]]),
        "advisor",
        {"enrollment": w["enrollment"].pk, "kind": "phone", "points": "1"},
    ),
    "bulletin": lambda w: Target(
        reverse("attendance:bulletin", args=[w["code"]]),
        "advisor",
        {
            "day": "2026-11-20",
            "title": "纪律通报",
            "recipients": "各学员所在单位工会",
            "opening": "开头",
            "closing": "特此通报。",
        },
    ),
    "material-import": lambda w: Target(reverse("materials:import", args=[w["code"]]), "organizer", {}),
    "material-import-confirm": lambda w: Target(
        reverse("materials:import-confirm", args=[w["code"]]), "organizer", {}, inline=True
    ),
    "material-edit": lambda w: Target(
        reverse("materials:edit", args=[w["code"], w["material"].pk]),
        "organizer",
        {"title": "在全县工会工作会议上的讲话", "speaker": "王建国", "date": "2026-11-20"},
    ),
    "completion-override": lambda w: Target(
        reverse("completion:completion-override", args=[w["code"], w["enrollment"].pk]),
        "organizer",
        {"eligible": "1", "reason": "补交心得"},
        inline=True,
    ),
    "appraisal": lambda w: Target(
        reverse("completion:appraisal", args=[w["code"], w["enrollment"].pk]),
        "organizer",
        {"advisor_text": "学习认真。", "organizer_opinion": "同意结业。"},
    ),
    "appraisals-draft": lambda w: Target(
        reverse("completion:appraisals", args=[w["code"]]), "organizer", {"opinion": "同意结业。"}
    ),
    "summary": lambda w: Target(
        reverse("documents:summary", args=[w["code"]]), "organizer", {"body": "一、基本情况\n圆满完成。"}
    ),
    "certificate-change": lambda w: Target(
        reverse("completion:certificate-change", args=[w["code"], w["certificate"].pk]),
        "organizer",
        {"action": "revoke", "reason": "姓名有误"},
        inline=True,
    ),
    "evaluation-answer": lambda w: Target(
        reverse("evaluation:answer-session", args=[w["evaluated"].pk]),
        "trainee",
        {**{f"s_{i['key']}": "4" for i in w["forms"]["lecture"].items}, "c_comment": "很有收获"},
    ),
    "evaluation-form-edit": lambda w: Target(
        reverse("evaluation:form-edit", args=[w["code"], "lecture"]),
        "organizer",
        {"title": "专题讲座评价表", "scale": "5", "items": "针对性\n理论性", "questions": "意见和建议"},
    ),
    "evaluation-remind": lambda w: Target(
        reverse("notifications:evaluation-remind", args=[w["code"]]),
        "organizer",
        {"session": w["evaluated"].pk, "back": "results"},
        inline=True,
    ),
    "desk-scan": lambda w: Target(reverse("lodging:desk", args=[w["code"]]), "advisor", {"code": "B1-X"}),
    "desk-mark": lambda w: Target(
        reverse("lodging:desk", args=[w["code"]]), "advisor", {"enrollment": w["enrollment"].pk}, inline=True
    ),
    "lodging-settings": lambda w: Target(
        reverse("lodging:settings", args=[w["code"]]),
        "organizer",
        _lodging_settings_data(w["course"]),
    ),
    "stay-edit": lambda w: Target(
        reverse("lodging:stay-edit", args=[w["code"], w["enrollment"].pk]),
        "advisor",
        {"needs_room": "1", "diet": "none", "diet_note": "", "meals": []},
    ),
    "rooms-add": lambda w: Target(
        reverse("lodging:rooms-add", args=[w["code"]]), "organizer", {"lines": "1号楼 3层 301-302 双人间"}
    ),
    "room-edit": lambda w: Target(
        reverse("lodging:room-edit", args=[w["code"], w["room"].pk]),
        "organizer",
        {"building": "1号楼", "floor": "2", "number": "201", "beds": "2", "gender": "", "is_active": "on"},
    ),
    "rooms-assign": lambda w: Target(
        reverse("lodging:rooms-assign", args=[w["code"]]), "organizer", {"keep": "unit"}, inline=True
    ),
    "room-move": lambda w: Target(
        reverse("lodging:room-move", args=[w["code"]]),
        "organizer",
        {"enrollment": w["enrollment"].pk, "room": w["room"].pk},
        inline=True,
    ),
    "my-meal": lambda w: Target(
        reverse("lodging:my-meal", args=[w["code"]]),
        "trainee",
        {"meal": "20261121_dinner", "eats": "0"},
        inline=True,
    ),
    "evaluation-settings": lambda w: Target(
        reverse("evaluation:settings", args=[w["code"]]),
        "organizer",
        {"enabled": "on", "opens_before_minutes": "10", "close_hours": "24", "comment_threshold": "5"},
    ),
    "unit-create": lambda w: Target(
        reverse("registration:unit-create", args=[w["course"].organization_id]),
        "organizer",
        {"name": "县交通运输局工会", "contact": "周强", "phone": "0731-5550000", "email": "", "is_active": "on"},
    ),
    "quotas": lambda w: Target(
        reverse("registration:quotas", args=[w["code"]]),
        "organizer",
        {f"places_{w['quota'].unit_id}": "3", f"extra_{w['quota'].unit_id}": "0", "deadline": "2026-11-10T17:00"},
    ),
    "nominee": lambda w: Target(
        reverse("registration:unit-home", args=[registration_tokens.link_token(w["quota"])]),
        "anonymous",
        form_data("钱伟", "13800138001", gender="M"),
    ),
    "nominee-return": lambda w: Target(
        reverse("registration:return", args=[w["code"], w["nominee"].pk]), "organizer", {"comment": "请补充职务全称"}
    ),
    "nominee-withdraw": lambda w: Target(
        reverse("registration:withdraw", args=[w["code"], w["approved"].pk]),
        "organizer",
        {"comment": "单位来电：本人因工作不能参加"},
    ),
    "notice": lambda w: Target(
        reverse("registration:notice", args=[w["code"]]),
        "organizer",
        {
            "doc_number": "县工发〔2026〕9号",
            "signed_on": "2026-10-30",
            "title": "关于举办2026年全县基层工会干部培训班的通知",
            "recipients": "各乡镇总工会：",
            "purpose": "为提高基层工会干部履职能力，决定举办培训班。",
            "when_where": "2026年11月20日至22日。",
            "audience": "基层工会主席。",
            "content": "",
            "arrival": "11月20日上午8:00前报到。",
            "bring": "",
            "how_to_register": "按名额报名。",
            "contacts": "县总工会组织部：李晓燕，0795-7221234",
        },
    ),
    "quota-extra": lambda w: Target(
        reverse("registration:extra", args=[w["code"], w["quota"].pk]), "organizer", {"extra": "1"}, inline=True
    ),
}
TARGETS |= assessment_targets(Target)


def site_forms() -> set:
    return {
        cls
        for module in FORM_MODULES
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, django_forms.BaseForm) and cls.__module__ == module.__name__
    }


def test_every_form_of_the_site_has_a_case():
    missing = sorted(cls.__name__ for cls in site_forms() - set(CASES))
    assert not missing, f"forms without an invalid-value case in CASES: {missing}"
    assert all(CASES.values())


@pytest.fixture
def world(course, enrollment, trainee_user, advisor, organizer):
    session = SessionFactory(course=course)
    later = SessionFactory(course=course, starts_at=session.starts_at + timedelta(days=1))
    leave, record, _ = sample_attendance(course, session, enrollment, advisor)
    material = material_import(course=course, content=seed_path("001").read_bytes(), filename="x.txt").materials[0]
    users = {"anonymous": None, "trainee": trainee_user, "advisor": advisor, "organizer": organizer}
    # A lecture the trainee attended, over an hour before "now": its evaluation is open.
    evaluated = attended_session(
        course,
        [enrollment],
        starts_at=session.starts_at - timedelta(hours=3),
        ends_at=session.starts_at - timedelta(hours=1),
    )
    pool = {"organization": course.organization, "title": "副校长", "unit": "县委党校", "fee_rate": 500}
    lecturer = Lecturer.objects.create(name="孙立新", **{**pool, "unit": "县人民法院", "title": "法官"})
    Lecturer.objects.create(name="刘文华", **pool)
    Lecturer.objects.create(name="外县讲师", organization=OrganizationFactory(name="石门县总工会"))
    quota, nominee = sample_registration(course)
    essay = sample_essay(course, enrollment, organizer)
    quota = registration_services.quota_extra_set(quota=quota, extra=1)
    approved = registration_services.nominee_add(quota=quota, values=person("钱红", "13800138011"))
    registration_services.nominees_approve(course=course, nominees=[approved], by=organizer)
    return {
        "essay": essay,
        "approved": approved,
        "quota": quota,
        "nominee": nominee,
        "evaluated": evaluated,
        "forms": forms_ensure(course)[1],
        "lecturer": lecturer,
        "course": course,
        "code": course.code,
        "session": session,
        "later": later,
        "enrollment": enrollment,
        "leave": leave,
        "record": record,
        "material": material,
        "certificate": certificate_for(enrollment),
        "room": Room.objects.create(organization=course.organization, building="1号楼", floor=2, number="201", beds=2),
        "users": users,
        "now": session.starts_at + timedelta(minutes=5),
    }


def database_rows() -> dict:
    """Every row of the project's tables (login lock counters aside: a failed login counts)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS and model._meta.model_name != "loginlock":
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


def page_forms(response) -> list:
    found = []
    for context in response.context or []:
        for layer in context.dicts:
            found += [v for v in layer.values() if isinstance(v, django_forms.BaseForm) and v not in found]
    return found


def assert_summarised_and_linked(text: str, forms) -> None:
    """A failed form opens with the error summary (templates/bootstrap5/errors.html), whose links
    lead to each field in error, and each such field is described by its message."""
    assert "data-error-summary" in text, "no error summary at the top of the failed form"
    for form in forms:
        for name in form.errors:
            if name == "__all__" or form[name].is_hidden:
                continue  # said in the summary, with no field to go to
            field = form[name]
            target = (field.subwidgets[0].id_for_label if field.subwidgets else None) or field.auto_id
            assert f'href="#{target}"' in text, f"the summary does not link to {name}"
            assert f'id="{field.auto_id}_error"' in text, f"the message of {name} has no id to be described by"
            assert re.search(rf'aria-describedby="[^"]*{field.auto_id}_error', text), (
                f"{name} is not tied to its message"
            )


CASE_LIST = [(cls, *case) for cls, cases in CASES.items() for case in cases]


@pytest.mark.parametrize(
    ("form_class", "target", "name", "value"),
    CASE_LIST,
    ids=[f"{cls.__name__}-{target}-{name}-{i}" for i, (cls, target, name, _) in enumerate(CASE_LIST)],
)
def test_an_invalid_value_comes_back_as_a_chinese_form_error(client, world, form_class, target, name, value):
    spec = TARGETS[target](world)
    user = world["users"][spec.role]
    if user is not None:
        client.force_login(user)
    data = {**spec.valid, name: value} if value is not None else {k: v for k, v in spec.valid.items() if k != name}
    before = database_rows()
    with time_machine.travel(world["now"], tick=False):
        response = client.post(spec.url, data, follow=spec.inline)
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    if spec.inline:
        assert response.redirect_chain, "an inline form answers with the page's usual redirect"
        shown = list(response.context["messages"])
        errors = [str(m) for m in shown if m.level_tag == "error" and CHINESE.search(str(m))]
        assert errors, f"no Chinese error message after posting {name}={value!r}: {[str(m) for m in shown]}"
        assert all(escape(m) in text for m in errors), f"the page does not show {errors}"
    else:
        field_name = name[2:] if name[:2] in ("t-", "e-") else name
        errors = [
            message
            for form in page_forms(response)
            for key, messages in form.errors.items()
            if key in (field_name, "__all__")
            for message in messages
        ]
        assert errors, f"{name}={value!r} was not refused on the field: {[f.errors for f in page_forms(response)]}"
        assert all(CHINESE.search(m) for m in errors), errors
        assert any(escape(m) in text or m in text for m in errors), f"the page does not show {errors}"
        assert_summarised_and_linked(text, [f for f in page_forms(response) if f.errors])
    assert database_rows() == before, "an invalid post wrote to the database"
