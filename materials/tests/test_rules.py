"""Cleaning, splitting and outlining the seed speeches, without a database."""

import pytest

from materials import rules
from materials.tests.seeds import seed


def articles(prefix):
    return rules.parse(seed(prefix), fallback_title="文件名")


def test_the_five_seeds_make_eight_materials():
    assert [len(articles(p)) for p in ("000", "001", "002", "003", "004")] == [1, 1, 1, 4, 1]


@pytest.mark.parametrize(("prefix", "sections"), [("000", 5), ("001", 8), ("002", 3), ("004", 4)])
def test_outline_level_one_counts(prefix, sections):
    entries = rules.outline(articles(prefix)[0].body)
    assert sum(1 for e in entries if e.level == 1) == sections
    assert entries[0]["level"] == 1 and entries[0].title == entries[0]["title"]


def test_outline_levels_follow_the_numbering_the_speech_uses():
    speech = rules.outline(articles("000")[0].body)
    assert [e.title for e in speech if e.level == 1][0] == "一、牢记初心，了解工会的历史"
    assert [e.title for e in speech if e.level == 2][:3] == ["一是维护和服务", "二是组织和教育", "三是引领和动员"]
    mobilisation = rules.outline(articles("001")[0].body)  # no 一、: 一是… is the top level
    assert mobilisation[0].title.startswith("一是要对标“落实各级党委（党组）主体责任”要求")
    assert mobilisation[-1].title.startswith("八是要对标")
    opening = rules.outline(articles("002")[0].body)
    assert [(e.level, e.title) for e in opening][1:5] == [
        (1, "二、立足实际，开拓创新，努力推动工会工作实现新突破"),
        (2, "第一，要开展好三项活动"),
        (2, "第二，要进行三个探索"),
        (2, "第三，要加大三个力度"),
    ]
    city = rules.outline(articles("004")[0].body)
    assert sum(1 for e in city if e.level == 2) == 15
    body = articles("004")[0].body.split("\n")
    assert all(body[e.paragraph].startswith(e.title.rstrip("…")) for e in city)


def test_scraped_summary_lines_are_dropped():
    for prefix, opening in (("002", "同志们："), ("004", "各位委员，同志们：")):
        body = articles(prefix)[0].body
        assert body.split("\n")[0] == opening
        assert "..." not in body
    assert articles("002")[0].body.count("按照今年干部培训计划") == 1
    assert articles("004")[0].body.count("今年，突如其来的新冠肺炎疫情") == 1


def test_a_summary_that_does_not_repeat_the_opening_stays():
    text = "内容提要：本文讨论工会工作的若干问题...\n同志们：\n今天我们召开会议。"
    assert rules.clean(text).startswith("内容提要")


def test_page_breaks_inside_sentences_are_joined():
    pieces = articles("003")
    assert "服务振兴发展服务职工群众工作" in pieces[0].body
    assert "加强工会系统党的政治建设" in pieces[0].body
    assert "深化群团改革，应当坚持" in pieces[3].body
    for piece in pieces:
        for paragraph in piece.body.split("\n"):
            assert rules.ends_sentence(paragraph) or len(paragraph) <= 30, paragraph[-20:]


def test_the_four_authors_of_the_compilation():
    found = [(a.title, a.speaker, a.speaker_position) for a in articles("003")]
    assert found == [
        ("把握行动指南彰显工会新担当新作为", "杨忠林", "辽宁省人大常委会副主任、省总工会主席"),
        ("把工会组织建设得更加坚强有力充满活力", "庄莉", "福建省南平市委常委、市总工会主席"),
        (
            "认真学习贯彻习近平总书记重要讲话精神——企业工会干部提高群众工作水平的思考",
            "刘雪莲",
            "福建省南平市委常委、市总工会主席",
        ),
        ("以“四化”推进群团工作创新发展", "谢少先", ""),
    ]
    for article in articles("003"):
        assert "观点" not in article.body.split("\n")[0] and "■" not in article.body and "作者为" not in article.body


def test_titles_and_occasions():
    assert [(a.title, a.occasion) for p in ("000", "001", "004") for a in articles(p)] == [
        ("在全市工会社会工作专业人才业务培训班上的讲话", "全市工会社会工作专业人才业务培训班"),
        ("在工会系统理论培训班上的动员讲话", "工会系统理论培训班"),
        ("在2025年全市工会工作上的讲话", "2025年全市工会工作"),
    ]
    untitled = articles("002")[0]  # starts with 同志们：, says what was held
    assert (untitled.title, untitled.occasion) == ("在工会干部培训班上的讲话", "工会干部培训班")
    assert rules.parse("同志们：\n今天讲三点意见。", fallback_title="讲话稿")[0].title == "讲话稿"


def test_whitespace_is_normalised_and_redaction_marks_kept():
    cleaned = rules.clean("　　一、加强\u3000组织建设\r\n\r\n全市共有工会社工人才*人，新增城镇就业×万人。 \t\n")
    assert cleaned == "一、加强组织建设\n全市共有工会社工人才*人，新增城镇就业×万人。"
    assert "*人" in articles("000")[0].body and "×市总工会" in articles("004")[0].body


def test_ascii_punctuation_inside_chinese_becomes_full_width():
    assert (
        rules.clean("习近平总书记的重要论述,深刻阐明了(作者为主席)")
        == "习近平总书记的重要论述，深刻阐明了（作者为主席）"
    )
    assert rules.clean("经费1,000元。") == "经费1,000元。"


def test_bylines_in_their_usual_forms():
    piece = rules.parse("工会工作的几点思考\n张明 观点\n正文第一段。\n（作者为县总工会主席）\n■ 张明")[0]
    assert (piece.title, piece.speaker, piece.speaker_position, piece.body) == (
        "工会工作的几点思考",
        "张明",
        "县总工会主席",
        "正文第一段。",
    )
    signed = rules.parse("工会工作的几点思考\n正文第一段。\n■ 李华")[0]
    assert signed.speaker == "李华"


def test_search_terms_and_passages():
    assert rules.search_terms(" 产业工人　工会法,产业工人 ") == ["产业工人", "工会法"]
    body = "第一段没有。\n推进产业工人队伍建设改革，产业工人是主力。\n另一段讲工会法。"
    found = rules.passages(body, ["产业工人"])
    assert [p.paragraph for p in found] == [1]
    assert [text for text, hit in found[0].parts if hit] == ["产业工人", "产业工人"]


def test_grams_index_word_characters_only():
    assert rules.grams("工会法，AB") == {"工会": 1, "会法": 1, "ab": 1}


def test_a_title_or_a_heading_is_never_joined_to_the_next_line():
    assert rules.clean("凝心聚力，奋发有为\n同志们：\n今天开会。").split("\n") == [
        "凝心聚力，奋发有为",
        "同志们：",
        "今天开会。",
    ]
    text = "我们要做好以下工作，具体包括\n一、加强组织建设\n要把工作做好。\n二、加强作风建设\n要改进作风。"
    assert rules.clean(text).split("\n")[1] == "一、加强组织建设"
    assert [e.title for e in rules.outline(rules.clean(text))] == ["一、加强组织建设", "二、加强作风建设"]


def test_sentences_that_merely_begin_like_numbering_make_no_outline():
    body = "一定要坚持学习。\n一方面要学，另一方面要做。\n同志们，一是要学习，二是要实践。"
    assert rules.outline(body) == []
    assert rules.outline("一是学习。\n正文。") == []  # an 一是 without an 二是 is not a list


def test_a_last_article_without_its_closing_mark_is_its_own_piece():
    text = "文章一\n张三 观点\n正文一。\n■ 张三\n文章二\n李四 观点\n正文二。\n■ 李四\n文章三\n王五 观点\n正文三。"
    assert [(a.title, a.speaker, a.body) for a in rules.parse(text)] == [
        ("文章一", "张三", "正文一。"),
        ("文章二", "李四", "正文二。"),
        ("文章三", "王五", "正文三。"),
    ]


def test_a_long_first_line_ending_in_dots_is_not_compared_at_length():
    long_line = "工会" * 5000 + "..."
    assert rules.clean(long_line + "\n正文。").startswith("工会")


def test_joining_cut_lines_is_linear_in_the_length_of_the_text():
    """Lines a page break cut are joined into one paragraph; the check of each join looked at the
    whole paragraph so far, so 20,000 short lines took 8.7 s and 40,000 about 35 s (a 30 KB .docx
    of 13,000 short paragraphs killed a worker). Now 40,000 lines take about 0.3 s; the bound below
    fails the quadratic version by a wide margin and the linear one never."""
    import time

    text = "各位同志" * 13 + "\n" + "\n".join("工会工作要服务大局" for _ in range(40_000))
    started = time.perf_counter()
    [article] = rules.parse(text)
    assert time.perf_counter() - started < 5
    assert article.body.count("\n") == 0 and len(article.body) == 52 + 9 * 40_000
    started = time.perf_counter()
    rules.clean("（" + "(" + "中" * 200_000)  # an unclosed bracket before a long run of text
    assert time.perf_counter() - started < 5
