"""The certificate register: issuing by the completion rule, gapless numbers even when two jobs
run at once, revoking and reissuing seen on the public verify page, PDFs with Chinese text."""

import io
import threading
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connections
from django.urls import reverse

from attendance import services as attendance_services
from attendance.models import Method
from completion import rules, services, tasks
from completion.models import Certificate, CertificateJob
from completion.tests.factories import certificate_for
from training.tests.factories import EnrollmentFactory, SessionFactory, TraineeFactory, at
from training.tests.pdfs import (
    assert_fonts_embedded_and_subset,
    decoded_qr_codes,
    pages_of,
    text_of,
    worst_tile_change,
)

pytestmark = pytest.mark.django_db
SITE = "http://10.20.1.5:8000"


@pytest.fixture(autouse=True)
def _site_url(settings):
    """Certificates link to the verify page under the public address."""
    settings.SITE_URL = SITE


def finished_course(course, people):
    """Two sessions held; everyone but the last attended both."""
    d = course.start_date
    sessions = [
        SessionFactory(course=course, starts_at=at(d, "08:30"), ends_at=at(d, "10:30"), credit_hours=Decimal("4")),
        SessionFactory(course=course, starts_at=at(d, "14:30"), ends_at=at(d, "16:30"), credit_hours=Decimal("4")),
    ]
    for enrollment in people[:-1]:
        for session in sessions:
            attendance_services.check_in(session, enrollment, method=Method.QR, at=session.starts_at)
    attendance_services.check_in(sessions[0], people[-1], method=Method.QR, at=sessions[0].starts_at)
    return sessions


@pytest.fixture
def people(course, enrollment):
    others = [EnrollmentFactory(course=course, trainee=TraineeFactory(phone=f"1370000{i:04d}")) for i in range(3)]
    return [enrollment, *others]


def test_issuing_follows_completion_is_numbered_and_idempotent(course, people, organizer):
    finished_course(course, people)
    result = services.certificates_issue(course=course, by=organizer)
    assert [c.number for c in result.issued] == [
        "〔2026〕县工培字第001号",
        "〔2026〕县工培字第002号",
        "〔2026〕县工培字第003号",
    ]
    assert [r.enrollment for r in result.not_eligible] == [people[-1]]
    again = services.certificates_issue(course=course, by=organizer)
    assert (again.issued, len(again.already)) == ([], 3)
    assert Certificate.objects.count() == 3
    first = Certificate.objects.get(seq=1)
    assert len(first.token) >= 43 and first.pdf_sha256 and first.pdf
    text = text_of(first.pdf.read())
    assert first.name in text and "结业证书" in text and course.name in text


@pytest.mark.django_db(transaction=True)
def test_two_jobs_at_once_give_unique_gapless_numbers(course, organization):
    for i in range(12):
        EnrollmentFactory(course=course, trainee=TraineeFactory(phone=f"1360000{i:04d}"))
    people = list(course.enrollments.all())
    finished_course(course, people + [EnrollmentFactory(course=course, trainee=TraineeFactory(phone="13500000001"))])
    errors = []

    def job():
        try:
            services.certificates_issue(course=course)
        except Exception as exc:  # collected below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Certificate.objects.values_list("seq", flat=True)) == list(range(1, 13))


def test_revoking_and_reissuing_show_on_the_verify_page_at_once(client, course, people, organizer):
    finished_course(course, people)
    services.certificates_issue(course=course)
    first = Certificate.objects.get(seq=1)
    url = reverse("completion:verify", args=[first.token])
    page = client.get(url).content.decode()
    assert 'data-status="valid"' in page and rules.mask_name(first.name) in page and first.pdf_sha256 in page
    assert first.enrollment.trainee.phone not in page and first.name not in page
    services.certificate_revoke(certificate=first, reason="冒名顶替")
    assert 'data-status="revoked"' in client.get(url).content.decode()
    second = Certificate.objects.get(seq=2)
    new = services.certificate_reissue(certificate=second)
    assert (new.number, new.version) == (second.number, 2) and new.token != second.token
    old_page = client.get(reverse("completion:verify", args=[second.token])).content.decode()
    assert 'data-status="reissued"' in old_page and "新版取代" in old_page
    assert 'data-status="valid"' in client.get(reverse("completion:verify", args=[new.token])).content.decode()


def test_the_verify_page_is_rate_limited(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}}
    answers = [client.get(reverse("completion:verify", args=["nope"])).status_code for _ in range(31)]
    assert answers[:30] == [404] * 30 and answers[30] == 429


def test_print_all_is_one_pdf_and_trainees_get_only_their_own(client, course, people, organizer, trainee_user):
    finished_course(course, people)
    services.certificates_issue(course=course)
    client.force_login(organizer)
    response = client.get(reverse("completion:certificates-print", args=[course.code]))
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert all(c.name in text for c in Certificate.objects.all())
    mine = Certificate.objects.get(enrollment__trainee__user=trainee_user)
    other = Certificate.objects.exclude(pk=mine.pk).first()
    client.force_login(trainee_user)
    assert client.get(reverse("completion:my-certificate", args=[mine.pk])).status_code == 200
    assert client.get(reverse("completion:my-certificate", args=[other.pk])).status_code == 404


def test_the_trainee_home_offers_the_issued_certificate_and_not_a_revoked_one(client, course, people, trainee_user):
    finished_course(course, people)
    client.force_login(trainee_user)
    home, mine = reverse("attendance:me"), reverse("attendance:my-attendance")
    assert "结业证书" not in client.get(home).content.decode()  # nothing issued yet
    services.certificates_issue(course=course)
    certificate = Certificate.objects.get(enrollment__trainee__user=trainee_user)
    link = reverse("completion:my-certificate", args=[certificate.pk])
    for page in (home, mine):
        html = client.get(page).content.decode()
        assert "结业证书" in html and link in html and certificate.number in html
    download = client.get(link)
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert download.content == certificate.pdf.read() and certificate.name in text_of(download.content)

    services.certificate_revoke(certificate=certificate, reason="冒名顶替")
    for page in (home, mine):
        html = client.get(page).content.decode()
        assert link not in html and "结业证书" not in html


def test_the_command_writes_a_pdf_each_and_says_who_was_not_eligible(course, people, tmp_path, capsys):
    finished_course(course, people)
    call_command("issue_certificates", course.code, "--out", str(tmp_path))
    out = capsys.readouterr().out
    assert len(list(tmp_path.glob("*.pdf"))) == 3
    assert f"不符合：{people[-1].trainee.name}（到课学时 4" in out
    call_command("issue_certificates", course.code, "--out", str(tmp_path))
    assert "新颁发 0 份，已有 3 份" in capsys.readouterr().out


def test_the_command_finishes_what_a_stopped_job_left_without_pdfs(
    course, people, organizer, tmp_path, capsys, monkeypatch
):
    """A job that stopped between issuing and rendering (its worker was killed) left certificates
    in the register without PDFs; the command read `.pdf` of those and crashed with "The 'pdf'
    attribute has no file". The job, the page and the command now share one service, which
    renders whatever valid certificate has no PDF yet."""
    finished_course(course, people)
    real_pdf = services.certificates_pdf
    monkeypatch.setattr(services, "certificates_pdf", lambda items, **kwargs: 1 / 0)
    job = services.certificate_job_start(course=course, by=organizer, enqueue=lambda job, base_url: None)
    with pytest.raises(ZeroDivisionError):  # the worker stops after issuing, before any PDF
        services.certificate_job_run(job.pk, SITE)
    assert Certificate.objects.count() == 3 and not Certificate.objects.exclude(pdf="").exists()
    monkeypatch.setattr(services, "certificates_pdf", real_pdf)

    call_command("issue_certificates", course.code, "--out", str(tmp_path))
    assert "新颁发 0 份，已有 3 份" in capsys.readouterr().out
    assert len(list(tmp_path.glob("*.pdf"))) == 3
    assert all(c.pdf and c.pdf_sha256 for c in Certificate.objects.all())


def test_chinese_dates_numbers_and_masked_names():
    assert rules.certificate_number("〔{year}〕县工培字第{seq:03d}号", year=2026, seq=7) == "〔2026〕县工培字第007号"
    with pytest.raises(ValueError, match="只能使用"):
        rules.certificate_number("第{n}号", year=2026, seq=1)
    assert [rules.mask_name(n) for n in ("张丽华", "李娜", "阿依古丽·买买提")] == ["张*华", "李*", "阿******提"]


def test_a_missing_chinese_font_stops_the_checks(monkeypatch):
    from core import pdf

    monkeypatch.setattr(pdf, "cjk_fonts", lambda: [])
    assert [e.id for e in pdf.cjk_font_check(None)] == ["training.E001"]
    monkeypatch.setattr(pdf, "cjk_fonts", lambda: ["Noto Serif CJK SC"])
    assert pdf.cjk_font_check(None) == []


def test_the_pdf_fetcher_refuses_the_network():
    from core import pdf

    with pytest.raises(ValueError, match="只能引用"):
        pdf._fetcher().fetch("http://example.com/logo.png")


def test_the_issue_page_runs_a_job_with_progress_and_hands_out_a_zip(
    client, course, people, organizer, django_capture_on_commit_callbacks
):
    finished_course(course, people)
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("completion:certificates", args=[course.code]))
    assert response.status_code == 302
    job = CertificateJob.objects.get()
    assert (job.status, job.issued, job.total, job.done, job.percent) == ("done", 3, 3, 3, 100)
    page = client.get(reverse("completion:certificates", args=[course.code])).content.decode()
    assert "生成 PDF 3/3" in page and reverse("completion:certificate-job-download", args=[course.code, job.pk]) in page
    download = client.get(reverse("completion:certificate-job-download", args=[course.code, job.pk]))
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    issued = list(Certificate.objects.order_by("seq"))
    assert archive.namelist() == [f"{c.seq:03d}-{c.name}.pdf" for c in issued] + ["全部证书（打印用）.pdf"]
    assert archive.read(f"001-{issued[0].name}.pdf") == issued[0].pdf.open("rb").read()
    everyone = archive.read("全部证书（打印用）.pdf")
    assert pages_of(everyone) == 3 and all(c.name in text_of(everyone) for c in issued)
    # A second run changes nothing in the register and makes a new ZIP of the same services.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("completion:certificates", args=[course.code]))
    assert Certificate.objects.count() == 3 and CertificateJob.objects.latest("created_at").issued == 0


def test_a_running_job_is_polled_and_a_failed_one_says_why(client, course, people, organizer, monkeypatch):
    client.force_login(organizer)
    job = services.certificate_job_start(
        course=course, by=organizer, enqueue=tasks.certificate_job_enqueue
    )  # on_commit: not run in this test
    assert (
        services.certificate_job_start(course=course, by=organizer, enqueue=tasks.certificate_job_enqueue) == job
    )  # a second click follows it
    url = reverse("completion:certificate-job", args=[course.code, job.pk])
    partial = client.get(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in partial.content.decode() and "HX-Refresh" not in partial
    monkeypatch.setattr(services, "certificates_pdf", lambda items, **kwargs: 1 / 0)
    finished_course(course, people)
    with pytest.raises(ZeroDivisionError):
        services.certificate_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.error == services.JOB_FAILED
    partial = client.get(url, headers={"HX-Request": "true"})
    assert services.JOB_FAILED in partial.content.decode() and partial["HX-Refresh"] == "true"


def test_certificate_fonts_are_shrunk_and_the_page_looks_the_same(course, people):
    """WeasyPrint alone embeds ≈145 KB per CJK face; the finisher re-subsets with renumbered glyphs.
    The page must look the same when poppler draws it, tile by tile: a wrong glyph mapping in either
    the CFF text face or the TrueType kaishu name scores near 1 (measured 0.89 for a name drawn
    through an identity map), the real thing about 0.26 (a bare CFF is rasterised a shade
    differently on some edges)."""
    from weasyprint import HTML

    from core import pdf

    finished_course(course, people)
    services.certificates_issue(course=course)
    certificate = Certificate.objects.get(seq=1)
    compact = services.certificates_pdf([certificate])
    context = {
        "certificates": [services._context(certificate, "", "")],
        "layout": services.LAYOUT,
        "qr_mm": services.QR_MM,
    }
    html = pdf.render_to_string("pdf/certificate.html", context)
    plain = HTML(string=html, base_url="file:///", url_fetcher=pdf._fetcher()).write_pdf(font_config=pdf._font_config())
    assert len(compact) <= 100_000 < len(plain)
    fonts = assert_fonts_embedded_and_subset(compact)
    assert any("CJK" in f["name"] for f in fonts)
    if "AR PL UKai CN" in pdf.cjk_fonts():  # the kaishu name: the TrueType (CIDToGIDMap) path
        assert any(f["type"] == "CID TrueType" for f in fonts)
    assert text_of(compact) == text_of(plain) and certificate.name in text_of(compact)
    assert worst_tile_change(plain, compact) < 0.5, "the re-subset fonts draw different glyphs"


def test_a_job_whose_worker_died_is_taken_over(course, people, organizer):
    from datetime import timedelta

    from django.utils import timezone

    job = services.certificate_job_start(
        course=course, by=organizer, enqueue=tasks.certificate_job_enqueue
    )  # queued, never run here
    later = timezone.now() + timedelta(minutes=services.JOB_STALL_MINUTES - 1)
    assert (
        services.certificate_job_start(course=course, by=organizer, now=later, enqueue=tasks.certificate_job_enqueue)
        == job
    )
    later += timedelta(minutes=2)
    new = services.certificate_job_start(course=course, by=organizer, now=later, enqueue=tasks.certificate_job_enqueue)
    job.refresh_from_db()
    assert new != job and (job.status, job.error) == ("failed", services.JOB_STALLED) and new.running


def test_a_job_that_cannot_be_queued_says_so(course, organizer, monkeypatch, django_capture_on_commit_callbacks):

    def broker_down(*args, **kwargs):
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(tasks.certificate_job_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.certificate_job_start(course=course, by=organizer, enqueue=tasks.certificate_job_enqueue)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", services.JOB_NOT_QUEUED)


def test_certificates_are_dated_and_numbered_by_the_course_not_the_day_the_job_ran(course, people, organizer):
    """A course of April whose certificates are issued in December: 二〇二六年四月十六日 (its last day)
    and the number of 2026, even when the job runs in the next year; or the date the organizer chose."""
    from datetime import date

    from training.models import Course

    course.start_date, course.end_date = date(2026, 4, 14), date(2026, 4, 16)
    course.save()
    finished = finished_course(course, people)
    assert finished[0].starts_at.date() == date(2026, 4, 14)
    late = at(date(2027, 1, 5), "10:00")
    result = services.certificates_issue(course=course, by=organizer, now=late)
    first = result.issued[0]
    assert first.number == "〔2026〕县工培字第001号" and first.dated == date(2026, 4, 16)
    text = text_of(first.pdf.read())
    assert "二〇二六年四月十六日" in text and "二〇二六年四月十四日至十六日" in text and "特发此证" in text
    assert "二〇二七" not in text
    Course.objects.filter(pk=course.pk).update(certificate_date=date(2026, 4, 20))
    course.refresh_from_db()
    services.completion_override(enrollment=people[-1], eligible=True, reason="补考合格", by=organizer)
    later = services.certificates_issue(course=course, by=organizer, now=late).issued[0]
    assert later.dated == date(2026, 4, 20) and "二〇二六年四月二十日" in text_of(later.pdf.read())


def test_without_a_public_address_no_certificate_is_issued_outside_debug(client, settings, course, people, organizer):
    settings.SITE_URL = ""
    finished_course(course, people)
    client.force_login(organizer)
    page = client.get(reverse("completion:certificates", args=[course.code])).content.decode()
    assert 'id="site-url-missing"' in page  # said before anyone clicks
    response = client.post(reverse("completion:certificates", args=[course.code]), follow=True)
    assert services.SITE_URL_REQUIRED in response.content.decode()
    assert not Certificate.objects.exists() and not CertificateJob.objects.exists()
    with pytest.raises(Exception, match="SITE_URL"):
        call_command("issue_certificates", course.code, "--out", "/tmp/unused")
    assert not Certificate.objects.exists()


def test_in_debug_without_a_public_address_certificates_link_to_the_page_address(
    client, settings, course, people, organizer, django_capture_on_commit_callbacks
):
    settings.SITE_URL, settings.DEBUG, settings.ALLOWED_HOSTS = "", True, ["10.9.8.7"]
    finished_course(course, people)
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("completion:certificates", args=[course.code]), HTTP_HOST="10.9.8.7:8000")
    certificate = Certificate.objects.get(seq=1)
    assert f"http://10.9.8.7:8000/v/{certificate.token}/" in decoded_qr_codes(certificate.pdf.read())


def test_the_register_page_reads_in_a_fixed_number_of_queries(
    client, course, people, organizer, django_assert_num_queries
):
    """The session and its user; the staff membership check; the course; the latest job; whether
    the user manages the course; the certificates with their enrollments. Seven, for 4 or 24."""
    client.force_login(organizer)
    url = reverse("completion:certificates", args=[course.code])
    for extra in (0, 20):
        for i in range(extra):
            enrollment = EnrollmentFactory(course=course, trainee=TraineeFactory(phone=f"1360000{i:04d}"))
            certificate_for(enrollment, seq=100 + i)
        with django_assert_num_queries(7):
            assert client.get(url).status_code == 200
    assert Certificate.objects.count() == 20


def test_the_completion_page_reads_in_a_fixed_number_of_queries(
    client, course, people, organizer, django_assert_num_queries
):
    """The session and its user; the membership check; the course; the sheet (sessions, enrollments
    with trainees, attendance records, approved leave); discipline points; overrides; the sessions
    again for "finished"; whether the user manages the course; the assessment items (none here).
    Thirteen, for 4 trainees or 24."""
    finished_course(course, people)
    client.force_login(organizer)
    url = reverse("completion:completion", args=[course.code])
    for extra in (0, 20):
        for i in range(extra):
            EnrollmentFactory(course=course, trainee=TraineeFactory(phone=f"1350000{i:04d}"))
        with django_assert_num_queries(13):
            assert client.get(url).status_code == 200


def test_the_register_shows_the_number_as_it_will_print_not_the_pattern(client, course, organizer):
    client.force_login(organizer)
    page = client.get(reverse("completion:certificates", args=[course.code])).content.decode()
    first = f"〔{course.end_date.year}〕县工培字第001号"
    assert f"证书编号如：{first}" in page and "{seq" not in page
