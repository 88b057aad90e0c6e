"""Importing the files organizers send, through the service and the command."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from materials import files, rules, services
from materials.models import Material, MaterialGram
from materials.tests.docx import docx
from materials.tests.seeds import FILES, seed, seed_path

pytestmark = pytest.mark.django_db


def imported(course, path, **kwargs):
    return services.material_import(course=course, content=path.read_bytes(), filename=path.name, **kwargs)


@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        ("全市工会工作会议讲话（GBK）.txt", "004"),
        ("社工人才培训班讲话（BOM-CRLF）.txt", "000"),
        ("开班动员讲话.docx", "002"),
        ("工会观点四篇（GBK-CRLF）.txt", "003"),
        ("理论培训班动员讲话.md", "001"),
    ],
)
def test_files_as_organizers_send_them_import_like_the_seeds(course, name, prefix):
    expected = rules.parse(seed(prefix))
    result = imported(course, FILES / name)
    assert [(m.title, m.speaker, m.body) for m in result.materials] == [(a.title, a.speaker, a.body) for a in expected]
    for material, article in zip(result.materials, expected, strict=True):
        assert rules.outline(material.body) == rules.outline(article.body)
        assert "\r" not in material.body and "\ufeff" not in material.body


def test_importing_twice_changes_nothing_and_a_compilation_shares_its_file(course, organizer):
    first = imported(course, seed_path("003"), by=organizer)
    assert len(first.materials) == 4
    assert len({m.source_file.name for m in first.materials}) == 1
    assert first.materials[0].source_file.read() == seed_path("003").read_bytes()
    again = imported(course, FILES / "工会观点四篇（GBK-CRLF）.txt")
    assert (again.materials, again.existing) == ([], {0, 1, 2, 3})
    assert Material.objects.count() == 4


def test_the_search_index_follows_the_title(course):
    material = imported(course, seed_path("001")).materials[0]
    in_text = material.body.count("对标")
    assert MaterialGram.objects.filter(material=material, gram="对标").get().count == in_text
    assert not MaterialGram.objects.filter(material=material, gram="八个").exists() or "八个" in material.body
    services.material_update(material=material, title="八个对标动员讲话")
    assert MaterialGram.objects.filter(material=material, gram="对标").get().count == in_text + 1


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "empty.txt", "empty"),
        (b"  \r\n\r\n ", "blank.txt", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "picture.txt", "binary"),
        (bytes([0xFF, 0x81, 0x30, 0xFE, 0xFF, 0x7F, 0x80, 0x80]) * 4, "garbled.txt", "encoding"),
        (b"%PDF-1.4", "speech.pdf", "unsupported"),
        (b"PK\x03\x04 not really", "broken.docx", "bad_docx"),
    ],
)
def test_bad_files_are_refused_with_a_reason_and_create_nothing(course, content, name, code):
    with pytest.raises(files.MaterialFileError) as error:
        services.material_import(course=course, content=content, filename=name)
    assert error.value.code == code and error.value.message
    assert not Material.objects.exists()


def test_a_docx_that_unpacks_too_large_is_refused(course, monkeypatch):
    monkeypatch.setattr(files, "MAX_DOCX_XML_BYTES", 1000)
    with pytest.raises(files.MaterialFileError) as error:
        services.material_import(course=course, content=docx("讲话" * 1000), filename="big.docx")
    assert error.value.code == "too_large"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/other.xml", "<x/>")
    with pytest.raises(files.MaterialFileError):
        services.material_import(course=course, content=buffer.getvalue(), filename="empty.docx")


def test_the_command_imports_into_a_course_or_the_library(course, capsys):
    call_command("import_materials", str(seed_path("003")), "--course", course.code)
    assert course.materials.count() == 4
    assert "已导入培训班 QS2026-01 4 份材料" in capsys.readouterr().out
    call_command("import_materials", str(seed_path("000")))
    assert Material.objects.filter(course=None).count() == 1
    call_command("import_materials", str(seed_path("000")), "--dry-run")
    assert Material.objects.count() == 5


def test_the_command_writes_nothing_when_one_file_is_bad(course, tmp_path):
    bad = tmp_path / "空文件.txt"
    bad.write_bytes(b"")
    with pytest.raises(CommandError, match="空文件.txt：文件是空的"):
        call_command("import_materials", str(seed_path("000")), str(bad), "--course", course.code)
    with pytest.raises(CommandError, match="没有编号为 NOPE 的培训班"):
        call_command("import_materials", str(seed_path("000")), "--course", "NOPE")
    assert not Material.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"\xef\xbb\xbf" + "讲话稿".encode("gbk"), "bom-then-gbk.txt", "encoding"),
        (b"\xff\xfe\x00\xd8a", "broken-utf16.txt", "encoding"),
    ],
)
def test_damaged_text_files_are_refused(course, content, name, code):
    with pytest.raises(files.MaterialFileError) as error:
        services.material_import(course=course, content=content, filename=name)
    assert error.value.code == code


@pytest.mark.parametrize(
    "xml",
    ['<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "<x><unclosed></x>"],
)
def test_docx_with_entities_or_broken_xml_is_refused(course, xml):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", xml)
    with pytest.raises(files.MaterialFileError) as error:
        services.material_import(course=course, content=buffer.getvalue(), filename="x.docx")
    assert error.value.code == "bad_docx"


def test_the_same_article_twice_in_one_library_file_is_imported_once():
    text = "工会工作的几点思考\n张明 观点\n正文第一段。\n■ 张明\n"
    result = services.material_import(course=None, content=(text * 2).encode(), filename="twice.txt")
    assert (len(result.materials), result.existing) == (1, {1})


def test_a_library_material_cannot_join_a_course_that_has_its_text(client, course):
    from django.urls import reverse

    from training.tests.factories import UserFactory

    path = seed_path("000")
    services.material_import(course=course, content=path.read_bytes(), filename=path.name)
    library = services.material_import(course=None, content=path.read_bytes(), filename=path.name).materials[0]
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:materials_material_change", args=[library.pk]), {"course": course.pk})
    assert response.status_code == 200 and "已有相同正文的材料" in response.content.decode()
    library.refresh_from_db()
    assert library.course is None


def _peak_memory(call):
    """The most memory Python held while `call` ran, in MB (tracemalloc: the parser's trees and
    strings; a tree of the whole document would show here)."""
    import tracemalloc

    tracemalloc.start()
    try:
        outcome = call()
    except files.MaterialFileError as error:
        outcome = error
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return outcome, peak / 2**20


def test_a_docx_of_thousands_of_tiny_paragraphs_is_read_within_bounds(course):
    """The 30 KB .docx of 13,000 short paragraphs that killed a worker: now read as a stream
    (1.6 MB traced while reading; the whole tree took 18.7 MB) and parsed in linear time."""
    content = docx("\n".join(f"第{i}行工会工作" for i in range(13_000)))
    assert len(content) < 60_000
    text, peak = _peak_memory(lambda: files.read(content, "行.docx"))
    assert text.count("\n") == 12_999
    assert peak < 8
    result = services.material_import(course=course, content=content, filename="行.docx")
    assert result.materials and "第12999行工会工作" in result.materials[0].body


def test_a_docx_with_more_text_than_a_material_holds_is_refused_while_reading(course):
    """Past MAX_PARAGRAPHS the reading stops, the tree of the whole document never built: 10 MB
    traced, where reading it whole took 138 MB."""
    content = docx("\n".join(f"第{i}行" for i in range(files.MAX_PARAGRAPHS + 10)))
    error, peak = _peak_memory(lambda: files.read(content, "多.docx"))
    assert isinstance(error, files.MaterialFileError) and error.code == "too_long"
    assert "200 万字" in error.message
    assert peak < 40
    with pytest.raises(files.MaterialFileError):
        services.material_import(course=course, content=content, filename="多.docx")
    assert not Material.objects.exists()


def test_a_text_file_longer_than_a_material_is_refused(course):
    content = ("工会工作。" * (files.MAX_TEXT_CHARS // 5 + 1)).encode()
    with pytest.raises(files.MaterialFileError) as error:
        services.material_import(course=course, content=content, filename="长.txt")
    assert error.value.code == "too_long"
    assert not Material.objects.exists()
