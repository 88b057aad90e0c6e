"""培训班总结: the draft written from the course's figures, the edited text's parts, the charts."""

import pytest
import time_machine
from django.urls import reverse
from django.utils.safestring import SafeString

from core import charts
from core.models import AuditEntry
from documents import rules as paper
from documents.models import CourseSummary
from training import archive
from training.tests.pdfs import page_texts

FACTS = {
    "course": "2026年春季全县工会财务与经审干部培训班",
    "organization": "青山县总工会",
    "venue": "中共青山县委党校",
    "dates": "2026年4月14日至16日",
    "enrolled": 24,
    "units": [("青山县城关镇总工会", 4), ("青山县教育局工会", 3)],
    "sessions": 13,
    "hours": "17",
    "kinds": [("专题讲座", 7), ("现场教学", 1)],
    "programme": [("《中华人民共和国工会法》解读", "县人民法院四级高级法官 孙立新"), ("观看警示教育片", "")],
    "rate": "97.1%",
    "late": 11,
    "early": 0,
    "absent": 4,
    "leave": 5,
    "records": 3,
    "bulletins": 1,
    "outcome": [("可结业", 22), ("不可结业", 2)],
    "certificates": 22,
    "evaluation_overall": "4.38",
    "evaluation_scale": 5,
    "evaluation_rate": "90.3%",
    "sessions_overall": "4.25",
    "comments": [("意见建议", [("希望多组织“经验交流”。", 2)])],
}


def test_the_draft_has_the_six_parts_and_the_figures():
    draft = paper.summary_draft(FACTS)
    parts = paper.summary_parts(draft)
    headings = [text for kind, text in parts if kind == "heading"]
    assert headings == [
        "一、基本情况",
        "二、培训内容",
        "三、学员出勤和纪律情况",
        "四、考核和结业情况",
        "五、教学评估情况",
        "六、存在的问题和建议",
    ]
    assert "来自2个单位的24名学员参加培训" in draft and "其中专题讲座7个、现场教学1个" in draft
    assert "《〈中华人民共和国工会法〉解读》（孙立新主讲）；《观看警示教育片》" in draft  # nested marks, no empty 主讲
    assert "全班到课率97.1%，迟到11人次" in draft and "发布纪律通报1期" in draft
    assert "可结业22人，不可结业2人，颁发结业证书22本。" in draft
    assert "总体评价均分4.38分（满分5分）" in draft
    assert "意见建议：“希望多组织‘经验交流’”（2人）。" in draft


def test_without_evaluation_the_draft_says_so():
    draft = paper.summary_draft({**FACTS, "evaluation_overall": "—", "comments": []})
    assert "本期培训未开展评教，或评教尚未截止。" in draft


def test_an_edited_text_keeps_its_headings_and_drops_blank_lines():
    parts = paper.summary_parts("一、基本情况\n\n  本期培训……  \n（一）补充\n十二、其他")
    assert parts == [
        ("heading", "一、基本情况"),
        ("paragraph", "本期培训……"),
        ("paragraph", "（一）补充"),
        ("heading", "十二、其他"),
    ]


def test_a_bar_chart_is_labelled_with_every_value_and_escapes_its_text():
    svg = charts.hbars([("<单位>", 4, "4 人"), ("乙", 2, "2 人")], maximum=4, title="学员单位分布")
    assert isinstance(svg, SafeString)
    assert 'aria-label="学员单位分布：&lt;单位&gt; 4 人，乙 2 人"' in svg
    widths = [
        float(part.split('"')[0]) for part in svg.split('<rect x="170" y="')[1:] for part in [part.split('width="')[1]]
    ]
    assert widths == [246.0, 123.0]  # proportional to the values


@pytest.mark.django_db
def test_the_organizer_edits_the_draft_advisors_read_it_and_an_archive_freezes_it(
    client, course, held, advisor, organizer
):
    url = reverse("documents:summary", args=[course.code])
    with time_machine.travel(held["now"], tick=False):
        client.force_login(advisor)
        page = client.get(url).content.decode()
        assert "一、基本情况" in page and 'name="body"' not in page  # the draft, read only
        assert client.post(url, {"body": "一、基本情况\n改写"}).status_code == 403

        client.force_login(organizer)
        draft = client.get(url).context["form"]["body"].value()
        assert draft.startswith("一、基本情况\n") and "4名学员" in draft
        assert client.post(url, {"body": "一、基本情况\n本期培训圆满完成。"}).status_code == 302
        assert client.get(url).context["form"]["body"].value() == "一、基本情况\n本期培训圆满完成。"
        assert client.get(url + "?draft=1").context["form"]["body"].value() == draft  # fresh, not saved
        text = "".join(page_texts(client.get(reverse("documents:summary-pdf", args=[course.code])).content)[0].split())
        assert "一、基本情况本期培训圆满完成。" in text and "青山县总工会" in text

        archive.course_archive(course=course, by=organizer)
        response = client.post(url, {"body": "一、基本情况\n归档后再改"}, follow=True)
    page = response.content.decode()
    assert "培训班已结班归档，考勤、请假" in page and 'name="body"' not in page  # said, and no form to edit
    assert CourseSummary.objects.get(course=course).body == "一、基本情况\n本期培训圆满完成。"
    assert AuditEntry.objects.filter(action="course.summary").count() == 1
