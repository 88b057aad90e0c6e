"""结班归档: what the closing dossier holds, in the order an archive files it. One registry, ENTRIES:
each entry is (key, title, builder); a builder takes the course and the moment and returns the
entry's papers, each a file name, a title and a function that renders it (nothing is rendered
until the job asks, one paper at a time). A new document is one more line here.

Every paper is made by the renderer the 打印 page uses (documents.selectors and friends, through
core.pdf), so the archive holds exactly what was printed during the course."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from attendance.selectors import bulletins_for_course
from core import links, pdf
from training.models import Course

from . import appraisal, closing, evaluation, hours, notice, selectors, summary
from .xlsx import report_xlsx


@dataclass(frozen=True)
class Paper:
    """One file of the dossier: `title` for the 目录 and the bookmark, `stem` for its file name."""

    title: str
    stem: str
    ext: str  # "pdf", or "xlsx" where a spreadsheet is the original form
    render: Callable[[], bytes]


def _one(title: str, template: str, data: Callable[[], dict]) -> list[Paper]:
    return [Paper(title, title, "pdf", lambda: pdf.render(template, data()))]


def _notice(course: Course, now: datetime) -> list[Paper]:
    return _one("培训通知", "pdf/notice.html", lambda: notice.notice_pdf_data(course, today=timezone.localdate(now)))


def _timetable(course: Course, now: datetime) -> list[Paper]:
    return _one("课程表", "pdf/timetable.html", lambda: selectors.timetable_data(course))


def _signin(course: Course, now: datetime) -> list[Paper]:
    def paper(session):
        start = timezone.localtime(session.starts_at)
        title = f"签到表 {start:%m月%d日%H:%M} {session.title}"
        data = lambda: selectors.signin_data(session, base_url=links.site_url())  # noqa: E731
        return Paper(title, title, "pdf", lambda: pdf.render("pdf/signin.html", data()))

    return [paper(s) for s in course.sessions.select_related("course__organization").order_by("starts_at", "pk")]


def _report(course: Course, now: datetime) -> list[Paper]:
    return [
        *_one("考勤报告", "pdf/report.html", lambda: selectors.report_data(course, now=now)),
        Paper("考勤统计表（Excel）", "考勤统计表", "xlsx", lambda: report_xlsx(selectors.report_data(course, now=now))),
    ]


def _leave(course: Course, now: datetime) -> list[Paper]:
    return _one("请假登记表", "pdf/leave_register.html", lambda: closing.leave_register_data(course, now=now))


def _bulletins(course: Course, now: datetime) -> list[Paper]:
    def paper(bulletin):
        title = f"纪律通报 {bulletin.doc_number}"
        return Paper(
            title, title, "pdf", lambda: pdf.render("pdf/bulletin.html", selectors.bulletin_pdf_data(bulletin))
        )

    return [paper(b) for b in reversed(list(bulletins_for_course(course).select_related("course__organization")))]


def _evaluation(course: Course, now: datetime) -> list[Paper]:
    return _one(
        "教学评估报告", "pdf/evaluation_report.html", lambda: evaluation.evaluation_report_data(course, now=now)
    )


def _completion(course: Course, now: datetime) -> list[Paper]:
    return _one("结业名单", "pdf/completion_list.html", lambda: closing.completion_list_data(course, now=now))


def _certificates(course: Course, now: datetime) -> list[Paper]:
    return _one("结业证书存根", "pdf/certificate_stubs.html", lambda: closing.certificate_stubs_data(course, now=now))


APPRAISAL_PART = 50  # sheets rendered at a time (core.pdf.render_in_parts): memory of 50 pages, not 500


def _appraisal(course: Course, now: datetime) -> list[Paper]:
    def render():
        data = appraisal.appraisal_pdf_data(course, now=now)
        return pdf.render_in_parts("pdf/appraisal.html", data, key="sheets", size=APPRAISAL_PART)

    return [Paper("结业鉴定表", "结业鉴定表", "pdf", render)]


def _summary(course: Course, now: datetime) -> list[Paper]:
    def data():
        body, _ = summary.summary_text(course, now=now)
        return summary.summary_pdf_data(course, body=body, now=now)

    return _one("培训班总结", "pdf/summary.html", data)


def _hours(course: Course, now: datetime) -> list[Paper]:
    return [Paper("学时汇总（Excel）", "学时汇总", "xlsx", lambda: hours.hours_xlsx(hours.hours_data(course, now=now)))]


ENTRIES: list[tuple[str, str, Callable[[Course, datetime], list[Paper]]]] = [
    ("notice", "培训通知", _notice),
    ("timetable", "课程表", _timetable),
    ("signin", "签到表（每个课次一份）", _signin),
    ("report", "考勤报告（PDF 和 Excel）", _report),
    ("leave", "请假登记表", _leave),
    ("bulletins", "纪律通报（每份已发布的通报）", _bulletins),
    ("evaluation", "教学评估报告", _evaluation),
    ("appraisal", "结业鉴定表（每位学员一页）", _appraisal),
    ("completion", "结业名单", _completion),
    ("certificates", "结业证书存根", _certificates),
    ("summary", "培训班总结", _summary),
    ("hours", "学时汇总（Excel）", _hours),
]


def papers(course: Course, *, now: datetime) -> list[tuple[str, Paper]]:
    """Every paper of the dossier in order, with its entry's key; renders nothing (reads the
    sessions and bulletins to know how many sign-in sheets and bulletins there are)."""
    return [(key, paper) for key, _, build in ENTRIES for paper in build(course, now)]


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def file_name(order: int, paper: Paper) -> str:
    """`03-签到表_04月14日09:00_开班式.pdf` without the characters file systems refuse."""
    return f"{order:02d}-{_UNSAFE.sub('_', paper.stem).strip('_')[:60]}.{paper.ext}"
