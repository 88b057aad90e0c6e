"""学员结业鉴定表: one page per trainee however long the appraisal, the facts and the texts on it,
a fixed number of queries."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from completion import appraisals
from documents import rules as paper
from documents.appraisal import appraisal_pdf_data
from training.tests.pdfs import page_texts

pytestmark = pytest.mark.django_db


def test_the_birth_month_is_read_from_an_id_number_only_when_there_is_one():
    assert paper.birth_month("360731199412212604") == "1994年12月"
    assert paper.birth_month("36073119941221260X") == "1994年12月"
    assert paper.birth_month("") == paper.birth_month("12345") == paper.birth_month("360731199413212604") == ""


def test_long_text_gets_smaller_type_so_the_box_holds_it():
    assert paper.box_text_size("短。", width_mm=148, height_mm=80) == 11
    assert paper.box_text_size("长" * 1000, width_mm=148, height_mm=80) < 11


def test_every_trainee_has_one_page_with_the_facts_and_the_texts(client, course, held, advisor, organizer):
    zhang, wang, li, _ = held["people"]
    with time_machine.travel(held["now"], tick=False):
        appraisals.appraisal_save(enrollment=li, by=advisor, advisor_text="学习认真，" * 200)  # 1,000 characters
        appraisals.appraisal_save(enrollment=zhang, by=organizer, organizer_opinion="同意结业。")
        client.force_login(advisor)
        everyone = client.get(reverse("documents:appraisals-pdf", args=[course.code])).content
        one = client.get(reverse("documents:appraisal-pdf", args=[course.code, wang.pk])).content
    pages = ["".join(page.split()) for page in page_texts(everyone)]
    assert len(pages) == 4  # the 1,000-character appraisal did not push a page over
    assert all(page.startswith("学员结业鉴定表") for page in pages)
    assert "同意结业。" in pages[0] and "张丽华" in pages[0]
    alone = "".join(page_texts(one)[0].split())
    assert "王建国" in alone and "迟到1次" in alone and "班主任鉴定意见" in alone and "（盖章）" in alone


def test_the_sheets_read_a_fixed_number_of_queries(course, held):
    with CaptureQueriesContext(connection) as queries:
        appraisal_pdf_data(course, now=held["now"])
    # the completion rows (sheet: sessions, enrollments, records, leave; discipline, overrides),
    # the assessment's items (none: not assessed), the appraisals, the discipline records
    assert len(queries) == 9, [q["sql"] for q in queries]
