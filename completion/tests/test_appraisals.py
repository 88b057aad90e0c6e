"""结业鉴定: the first draft written from the facts, the advisor's text and the organizer's opinion
saved (audited, refused on an archived course), drafts for everyone still empty, and the pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from attendance import services as attendance_services
from attendance.models import Method
from completion import appraisals
from completion.models import Appraisal
from completion.rules import AppraisalFacts, appraisal_draft
from core.errors import DomainError
from core.models import AuditEntry
from training import archive
from training.tests.factories import SessionFactory, at

pytestmark = pytest.mark.django_db

FULL = AppraisalFacts(
    total_hours=Decimal("17"),
    hours=Decimal("17"),
    lates=0,
    earlies=0,
    absences=0,
    leave_hours=Decimal("0"),
    points=0,
    eligible=True,
)


def test_a_full_attendance_draft_says_so_and_completes():
    draft = appraisal_draft(FULL)
    assert draft.startswith("该同志学习态度端正")
    assert "应修 17 学时，实修 17 学时，全勤，无迟到、早退、缺勤和请假。" in draft
    assert "自觉遵守学员守则" in draft and draft.endswith("达到结业要求，准予结业。")


def test_lapses_discipline_the_assessment_and_a_failed_result_are_all_in_the_draft():
    facts = AppraisalFacts(
        total_hours=Decimal("17"),
        hours=Decimal("12.5"),
        lates=1,
        earlies=0,
        absences=1,
        leave_hours=Decimal("2"),
        points=2,
        eligible=False,
        reasons=("到课学时 12.5，不足总学时 17 的 90%（15.3）",),
        assessment="考核总评 58 分，不合格",
    )
    draft = appraisal_draft(facts)
    assert "学习态度端正" not in draft  # no praise the facts do not bear out
    assert "违纪扣 2 分" in draft and "迟到 1 次、缺勤 1 次、请假 2 学时。" in draft
    assert "考核总评 58 分，不合格。" in draft
    assert draft.endswith("未达到结业要求（到课学时 12.5，不足总学时 17 的 90%（15.3））。")


@pytest.fixture
def finished(course, enrollment, other_enrollment):
    """One 2-学时 session, over: 张丽华 came on time, 陈建国 ten minutes late."""
    day = course.start_date
    session = SessionFactory(course=course, starts_at=at(day, "08:30"), ends_at=at(day, "10:30"))
    attendance_services.check_in(session, enrollment, method=Method.QR, at=session.starts_at)
    attendance_services.check_in(
        session, other_enrollment, method=Method.QR, at=session.starts_at + timedelta(minutes=10)
    )
    return session.ends_at + timedelta(hours=1)


def test_the_advisor_saves_an_appraisal_and_the_organizer_signs_it(course, enrollment, advisor, organizer, finished):
    with time_machine.travel(finished, tick=False):
        row = appraisals.appraisal_rows(course, now=finished, enrollment=enrollment)[0]
        assert row.appraisal is None and row.text == row.draft and row.state.startswith("未填写")

        appraisals.appraisal_save(enrollment=enrollment, by=advisor, advisor_text=row.draft)
        assert Appraisal.objects.get(enrollment=enrollment).drafted  # saved as drafted: still the draft

        appraisals.appraisal_save(
            enrollment=enrollment, by=advisor, advisor_text=row.draft + "担任小组长，组织讨论认真。"
        )
        appraisals.appraisal_save(enrollment=enrollment, by=organizer, organizer_opinion="同意结业。")
        with pytest.raises(DomainError) as empty:
            appraisals.appraisal_save(enrollment=enrollment, by=advisor, advisor_text="   ")
    assert empty.value.field == "advisor_text"
    saved = Appraisal.objects.get(enrollment=enrollment)
    assert not saved.drafted and saved.advisor_text.endswith("组织讨论认真。") and saved.advisor_by == advisor
    assert saved.organizer_opinion == "同意结业。" and saved.organizer_by == organizer
    actions = list(
        AuditEntry.objects.filter(action="completion.appraisal").order_by("pk").values_list("after", flat=True)
    )
    assert len(actions) == 3 and actions[-1] == {"organizer_opinion": "同意结业。"}


def test_drafts_fill_only_the_empty_appraisals_and_nothing_once_archived(
    course, enrollment, other_enrollment, advisor, organizer, finished
):
    with time_machine.travel(finished, tick=False):
        appraisals.appraisal_save(enrollment=enrollment, by=advisor, advisor_text="本人写的鉴定。")
        assert appraisals.appraisals_draft(course=course, by=organizer, opinion="同意结业。") == 2
        assert appraisals.appraisals_draft(course=course, by=organizer, opinion="同意结业。") == 0
        late = Appraisal.objects.get(enrollment=other_enrollment)
        assert "迟到 1 次" in late.advisor_text and late.drafted and late.organizer_opinion == "同意结业。"
        assert Appraisal.objects.get(enrollment=enrollment).advisor_text == "本人写的鉴定。"

        archive.course_archive(course=course, by=organizer)
        with pytest.raises(DomainError):
            appraisals.appraisal_save(enrollment=enrollment, by=advisor, advisor_text="改一下")
        with pytest.raises(DomainError):
            appraisals.appraisals_draft(course=course, by=organizer)
    assert Appraisal.objects.get(enrollment=enrollment).advisor_text == "本人写的鉴定。"


def test_the_advisor_writes_on_the_page_and_only_organizers_see_the_opinion(
    client, course, enrollment, advisor, organizer, finished
):
    url = reverse("completion:appraisal", args=[course.code, enrollment.pk])
    with time_machine.travel(finished, tick=False):
        client.force_login(advisor)
        page = client.get(url).content.decode()
        assert "班主任鉴定意见" in page and "organizer_opinion" not in page
        response = client.post(url, {"advisor_text": "学习认真。", "organizer_opinion": "advisor may not"})
        assert response.status_code == 302
        assert client.post(url, {"advisor_text": ""}).status_code == 200  # the form again, with its error
        client.force_login(organizer)
        assert "organizer_opinion" in client.get(url).content.decode()
        listing = client.get(reverse("completion:appraisals", args=[course.code])).content.decode()
    saved = Appraisal.objects.get(enrollment=enrollment)
    assert (saved.advisor_text, saved.organizer_opinion) == ("学习认真。", "")
    assert "班主任已填写" in listing
