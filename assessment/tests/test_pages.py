"""The 考核 pages through the client: the organizer's plan, the advisor's grid and grading, the
test-score import, discussion records, and the trainee's 心得 on /me/."""

from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessment import rules
from assessment.models import AssessmentItem, DiscussionRecord, Essay, Score

from .helpers import assessed, docx_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_a_course_without_a_plan_is_offered_the_default_and_the_organizer_changes_it(client, course, organizer):
    client.force_login(organizer)
    page = client.get(reverse("assessment:overview", args=[course.code])).content.decode()
    assert "本班尚未设置结业考核" in page
    url = reverse("assessment:plan", args=[course.code])
    form = client.get(url).context["form"]
    assert {k: form.initial[f"weight_{k}"] for k in rules.KINDS} == rules.DEFAULT_WEIGHTS
    data = {"pass_mark": "60", "essay_due_at": "2026-11-22T12:00"}
    data |= {f"weight_{k}": "0" for k in rules.KINDS} | {f"pass_{k}": "" for k in rules.KINDS}
    data |= {"weight_test": "60", "weight_everyday": "30", "pass_test": "60"}
    response = client.post(url, data)
    assert "权重合计须为 100%，现在是 90%" in response.content.decode()
    assert not AssessmentItem.objects.exists()
    data["weight_everyday"] = "40"
    assert client.post(url, data).status_code == 302
    assert sorted(AssessmentItem.objects.values_list("kind", "weight")) == [("everyday", 40), ("test", 60)]
    page = client.get(reverse("assessment:overview", args=[course.code])).content.decode()
    assert "结业测试 60%（单项及格线 60 分）" in page


def test_the_advisor_enters_marks_in_the_grid(client, course, enrollment, other_enrollment, organizer, advisor):
    assessed(course, organizer, weights={rules.TEST: 40, rules.SPEECH: 20, rules.EVERYDAY: 40})
    client.force_login(advisor)
    url = reverse("assessment:scores", args=[course.code]) + "?item=speech"
    page = client.get(url).content.decode()
    assert "交流发言成绩录入" in page and 'name="s_001"' in page and 'name="s_002"' in page
    response = client.post(url, {"s_001": "85.5", "s_002": ""})
    assert response.status_code == 302
    assert list(Score.objects.values_list("enrollment_id", "kind", "score")) == [
        (enrollment.pk, "speech", Decimal("85.5"))
    ]
    assert client.get(url).context["form"]["s_001"].value() == Decimal("85.5")
    bad = client.post(url, {"s_001": "120", "s_002": "70"})
    assert bad.status_code == 200 and "120" in bad.content.decode()
    assert Score.objects.count() == 1  # nothing half-written
    overview = client.get(reverse("assessment:overview", args=[course.code])).content.decode()
    assert "85.5" in overview


def test_the_test_scores_import_names_every_bad_row(client, course, enrollment, other_enrollment, organizer, advisor):
    assessed(course, organizer)
    client.force_login(advisor)
    url = reverse("assessment:scores-import", args=[course.code])
    content = xlsx_bytes([["姓名", "手机号", "成绩"], ["张丽华", "13900000001", 91], ["陈建国", "13900000009", 80]])
    response = client.post(url, {"file": SimpleUploadedFile("成绩.xlsx", content)})
    assert "第3行（陈建国）：手机号 13900000009 不在本班花名册中。" in response.content.decode()
    assert not Score.objects.exists()
    content = xlsx_bytes([["姓名", "手机号", "成绩"], ["张丽华", "13900000001", 91], ["陈建国", "13900000002", 80]])
    assert client.post(url, {"file": SimpleUploadedFile("成绩.xlsx", content)}).status_code == 302
    assert dict(Score.objects.values_list("enrollment__trainee__name", "score")) == {"张丽华": 91, "陈建国": 80}


def test_the_trainee_writes_uploads_and_then_reads_the_grade(client, course, enrollment, trainee_user, advisor):
    assessed(course, advisor)
    client.force_login(trainee_user)
    url = reverse("assessment:my-essay", args=[course.code])
    assert "提交心得" in client.get(url).content.decode()
    assert client.post(url, {"title": "学习体会", "body": "通过学习，我深刻认识到……"}).status_code == 302
    upload = SimpleUploadedFile("我的心得.docx", docx_bytes())
    assert client.post(url, {"title": "学习体会", "body": "", "file": upload}).status_code == 302
    essay = Essay.objects.get()
    assert essay.filename == "我的心得.docx" and essay.body == ""
    page = client.get(url).content.decode()
    assert "等待班主任评分" in page and "保存修改" in page

    client.force_login(advisor)
    listing = client.get(reverse("assessment:essays", args=[course.code])).content.decode()
    assert "阅读并评分" in listing
    download = client.get(reverse("assessment:essay-file", args=[course.code, essay.pk]))
    assert b"".join(download.streaming_content) == docx_bytes()
    grade = reverse("assessment:essay", args=[course.code, essay.pk])
    assert client.post(grade, {"score": "88", "comment": "联系实际，体会深刻"}).status_code == 302

    client.force_login(trainee_user)
    page = client.get(url).content.decode()
    assert "<strong>88</strong> 分" in page and "联系实际，体会深刻" in page and "保存修改" not in page
    refused = client.post(url, {"title": "改", "body": "再改"})
    assert "已经评分，不能再修改" in refused.content.decode()


def test_after_the_deadline_the_trainee_is_told_and_cannot_hand_in(client, course, enrollment, trainee_user, advisor):
    due = timezone.now()
    assessed(course, advisor, essay_due_at=due)
    client.force_login(trainee_user)
    url = reverse("assessment:my-essay", args=[course.code])
    with time_machine.travel(due + timezone.timedelta(minutes=1), tick=False):
        page = client.get(url).content.decode()
        assert "已截止提交，您没有提交" in page and "提交心得" not in page
        assert "截止提交" in client.post(url, {"body": "迟到的心得"}).content.decode()
    assert not Essay.objects.exists()


def test_the_trainee_home_loads_the_assessment_block(client, course, enrollment, trainee_user, advisor):
    assessed(course, advisor)
    client.force_login(trainee_user)
    page = client.get(reverse("attendance:me")).content.decode()
    assert reverse("completion:my-assessment", args=[course.code]) in page


def test_an_advisor_records_a_group_discussion(client, course, enrollment, other_enrollment, advisor):
    client.force_login(advisor)
    url = reverse("assessment:discussions", args=[course.code])
    data = {
        "group": "第二组",
        "topic": "新时代工会工作的着力点",
        "recorder": enrollment.pk,  # of 第一组
        "held_at": "2026-11-21T14:30",
        "summary": "大家结合本单位实际谈了体会。",
    }
    assert "不在“第二组”" in client.post(url, data).content.decode()
    data["recorder"] = other_enrollment.pk
    assert client.post(url, data).status_code == 302
    record = DiscussionRecord.objects.get()
    assert (record.group, record.recorder) == ("第二组", other_enrollment)
    assert "新时代工会工作的着力点" in client.get(url).content.decode()
