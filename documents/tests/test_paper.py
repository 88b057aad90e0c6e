"""Paper that can be trusted: every PDF kind rendered for a course with the longest realistic names
and the longest course name the form allows, every page drawn by poppler and every QR code read
back by a real decoder (zxing-cpp). Each must be a standard QR code holding an absolute address
that answers with the page it promises; no wording of a certificate may reach its QR band or its
seal box.

Set PAPER_DIR=/some/folder to keep the PDFs and their pages as PNG for looking at them."""

import io
import os
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse

from attendance import services as attendance_services
from attendance.models import DisciplineRecord, LeaveRequest, Method
from completion import services as certificates
from completion.models import Certificate
from training.forms import COURSE_NAME_MAX
from training.models import Session
from training.tests.factories import CourseFactory, EnrollmentFactory, SessionFactory, TraineeFactory, at
from training.tests.pdfs import codes_of, placed_words_of

pytestmark = pytest.mark.django_db

SITE = "https://peixun.qingshan-zonggonghui.cn"
LONGEST_NAMES = ["阿卜杜热合曼·买买提", "买买提江·阿不都热合曼", "阿依古丽·买买提", "欧阳娜娜", "王芳"]
LONG_UNIT = "青山县经济技术开发区新材料产业园区联合工会委员会"
COURSE_NAME = ("2026年青山县基层工会主席暨工会经费审查委员会主任履职能力提升专题培训班" * 2)[:COURSE_NAME_MAX]


def keep(name: str, content: bytes) -> None:
    """With PAPER_DIR set, writes the PDF and its pages as PNG there, for looking at by eye."""
    folder = os.environ.get("PAPER_DIR")
    if folder:
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(path.with_suffix(""))], check=True)


def seal_png() -> bytes:
    """A red ring with a star, the shape of an organ's seal, on a transparent ground."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 390, 390), outline=(200, 20, 20, 255), width=16)
    draw.regular_polygon((200, 200, 70), 5, fill=(200, 20, 20, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def long_course(settings, organization, organizer):
    """A three-day course of 24 trainees, the longest names among them, with a day of history: a
    latecomer, an approved leave, a phone-use record and a published bulletin; a seal uploaded."""
    settings.SITE_URL = SITE
    organization.name = "新疆维吾尔自治区伊犁哈萨克自治州总工会"
    organization.seal.save("seal.png", ContentFile(seal_png()))
    course = CourseFactory(organization=organization, code="QS2026-09", name=COURSE_NAME, start_date=date(2026, 4, 14))
    names = LONGEST_NAMES + [f"学员{i:02d}" for i in range(len(LONGEST_NAMES), 24)]
    people = [
        EnrollmentFactory(
            course=course,
            trainee=TraineeFactory(name=name, phone=f"1380000{i:04d}", work_unit=LONG_UNIT),
            student_no=f"{i + 1:03d}",
            group=f"第{'一二三'[i % 3]}组",
        )
        for i, name in enumerate(names)
    ]
    sessions = []
    for offset in range(3):
        day = course.start_date + timedelta(days=offset)
        for start, kind, title in (
            ("08:30", Session.Kind.LECTURE, "学习贯彻新修订的《中华人民共和国工会法》专题辅导"),
            ("14:30", Session.Kind.DISCUSSION, "分组讨论：如何做好新时代基层工会工作"),
        ):
            sessions.append(
                SessionFactory(
                    course=course,
                    kind=kind,
                    title=title,
                    starts_at=at(day, start),
                    ends_at=at(day, start) + timedelta(hours=3),
                    credit_hours=Decimal("3"),
                    requires_checkout=start == "14:30",
                    lecturer="中共青山县委党校副校长、教授 欧阳建国",
                )
            )
    leave = attendance_services.leave_request_create(
        enrollment=people[5],
        sessions=[sessions[1]],
        kind=LeaveRequest.Kind.SICK,
        reason="发烧",
        at=at(course.start_date, "07:00"),
    )
    attendance_services.leave_decide(leave=leave, by=organizer, role="organizer", approve=True, confirm=True)
    for person in people:
        for session in sessions:
            if person is people[5] and session is sessions[1]:
                continue
            late = timedelta(minutes=12) if person is people[0] and session is sessions[0] else timedelta()
            attendance_services.check_in(session, person, method=Method.QR, at=session.starts_at + late)
            if session.requires_checkout:
                attendance_services.check_out(session, person, method=Method.QR, at=session.ends_at)
    attendance_services.discipline_record_create(
        enrollment=people[2], session=sessions[0], kind=DisciplineRecord.Kind.PHONE, points=1, by=organizer
    )
    bulletin = attendance_services.bulletin_publish(
        course=course, day=None, by=organizer, at=at(course.end_date, "18:00")
    )
    return {"course": course, "people": people, "sessions": sessions, "bulletin": bulletin}


def printed(client, url_name, *args) -> bytes:
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url_name
    return response.content


def test_every_printed_qr_code_is_a_standard_qr_code_whose_address_answers(client, long_course, organizer):
    course, people, sessions = long_course["course"], long_course["people"], long_course["sessions"]
    after = at(course.end_date, "18:30")
    with time_machine.travel(after, tick=False):
        client.force_login(organizer)
        certificates.certificates_issue(course=course, by=organizer)
        documents = {
            "certificates": printed(client, "completion:certificates-print", course.code),
            "badges": printed(client, "documents:badges-pdf", course.code),
            "desk-cards": printed(client, "documents:desk-cards-pdf", course.code),
            "timetable": printed(client, "documents:timetable-pdf", course.code),
            "report": printed(client, "documents:report-pdf", course.code),
            "bulletin": printed(client, "documents:bulletin-pdf", course.code, long_course["bulletin"].pk),
            **{
                f"sign-in-{i}": printed(client, "documents:signin-pdf", course.code, s.pk)
                for i, s in enumerate(sessions, start=1)
            },
        }
        for single in Certificate.objects.filter(course=course)[:2]:
            documents[f"certificate-{single.seq}"] = single.pdf.read()
    codes = {}
    for name, content in documents.items():
        keep(f"{name}.pdf", content)
        codes[name] = codes_of(content)
        assert all(code.format == "QRCode" for code in codes[name]), (name, [c.format for c in codes[name]])
        assert all(code.text.startswith(f"{SITE}/") for code in codes[name]), (name, [c.text for c in codes[name]])

    valid = Certificate.objects.filter(course=course, status="valid")
    assert len(codes["certificates"]) == valid.count() == len(people) - 1  # one a page, each read (one on leave)
    assert len(codes["badges"]) == len(people)
    assert all(len(codes[f"sign-in-{i}"]) == 1 for i in range(1, len(sessions) + 1))
    assert codes["certificate-1"][0].text == codes["certificates"][0].text

    def answer(url: str, user) -> str:
        client.logout()
        if user:
            client.force_login(user)
        response = client.get(url.removeprefix(SITE))
        assert response.status_code == 200, (url, response.status_code)
        return response.content.decode()

    with time_machine.travel(at(course.end_date, "14:00"), tick=False):  # a session is open
        for code, certificate in zip(codes["certificates"], valid.order_by("seq"), strict=True):
            cache.clear()  # the verify page allows one address 30 a minute; here all come from one
            page = answer(code.text, None)
            assert "有效" in page and certificate.number in page
        names = {answer(code.text, organizer).split('id="badge-name">')[1].split("<")[0] for code in codes["badges"]}
        assert names == {p.trainee.name for p in people}
        for i, session in enumerate(sessions, start=1):
            assert session.title in answer(codes[f"sign-in-{i}"][0].text, organizer)
        client.logout()
        login = client.get(codes["badges"][0].text.removeprefix(SITE))
        assert login.status_code == 302 and login["Location"].startswith(reverse("training:staff-login"))


def inside(box, area, slack: float = 0.5) -> bool:
    left, top, right, bottom = box
    return left >= area[0] - slack and top >= area[1] - slack and right <= area[2] + slack and bottom <= area[3] + slack


def overlaps(box, area) -> bool:
    return not (box[2] <= area[0] or box[0] >= area[2] or box[3] <= area[1] or box[1] >= area[3])


def rect(name: str) -> tuple[float, float, float, float]:
    part = certificates.LAYOUT[name]
    return part["left"], part["top"], part["left"] + part["width"], part["top"] + part["height"]


def test_no_wording_of_a_certificate_reaches_its_qr_band_or_its_seal(long_course, organizer):
    """For each of the longest names: every word of the body lies inside the body box, the body box
    is clear of the band and the seal box, the QR code lies in the band, and the wording is whole
    (准予结业。特发此证。 read back from the page)."""
    course = long_course["course"]
    body, band, seal = rect("body"), rect("band"), rect("seal")
    assert not overlaps(body, band) and not overlaps(body, seal) and not overlaps(band, seal)
    with time_machine.travel(at(course.end_date, "18:30"), tick=False):
        certificates.certificates_issue(course=course, by=organizer)
    issued = list(Certificate.objects.filter(course=course, name__in=LONGEST_NAMES).order_by("seq"))
    assert len(issued) == len(LONGEST_NAMES)
    content = certificates.certificates_pdf(issued)
    keep("certificates-longest.pdf", content)
    words = placed_words_of(content)
    for page, certificate in enumerate(issued, start=1):
        wording = in_band = in_seal = ""
        for word in (w for w in words if w.page == page):
            if word.box[3] < body[1]:
                continue  # the title above the body
            if overlaps(word.box, band):
                assert inside(word.box, band), word
                in_band += word.text
            elif overlaps(word.box, seal):
                assert inside(word.box, seal), word
                in_seal += word.text
            else:
                assert inside(word.box, body), (certificate.name, word)
                wording += word.text
        assert in_band == f"证书编号：{certificate.number}扫码查验真伪"
        assert in_seal == f"{course.organization.name}二〇二六年四月十六日"
        assert wording.startswith(certificate.name.replace("·", "")[:2]) or certificate.name in wording
        assert wording.endswith("准予结业。特发此证。"), wording
        assert COURSE_NAME in wording and "二〇二六年四月十四日至十六日" in wording
    for code in codes_of(content):
        assert code.format == "QRCode" and inside(code.box, band, slack=1), code
