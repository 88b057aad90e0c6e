"""Materials through the test client: import page, reading, read marks, search, permissions."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from materials import rules, selectors, services
from materials.models import Material, MaterialRead
from materials.tests.seeds import FILES, seed_path
from training.tests.factories import CourseFactory, EnrollmentFactory, SessionFactory

pytestmark = pytest.mark.django_db

PREFIXES = ("000", "001", "002", "003", "004")


def import_seeds(course):
    for prefix in PREFIXES:
        path = seed_path(prefix)
        services.material_import(course=course, content=path.read_bytes(), filename=path.name)
    return list(course.materials.order_by("pk"))


def test_the_organizer_imports_by_upload_preview_and_confirm(client, organizer, course):
    session = SessionFactory(course=course)
    client.force_login(organizer)
    url = reverse("materials:import", args=[course.code])
    uploads = [
        SimpleUploadedFile("工会观点四篇（GBK-CRLF）.txt", (FILES / "工会观点四篇（GBK-CRLF）.txt").read_bytes()),
        SimpleUploadedFile("讲话.pdf", b"%PDF-1.4"),
    ]
    preview = client.post(url, {"files": uploads}).content.decode()
    assert "讲话.pdf</strong>：不支持 .pdf 文件" in preview
    assert preview.count("data-article") == 4 and "刘雪莲" in preview and "提纲（4 条）" in preview
    assert not Material.objects.exists()
    tokens = [line.split('value="')[1].split('"')[0] for line in preview.splitlines() if 'name="token"' in line]
    response = client.post(
        reverse("materials:import-confirm", args=[course.code]), {"token": tokens, "sessions": [session.pk]}
    )
    assert response.status_code == 302
    assert course.materials.count() == 4
    assert all(list(m.sessions.all()) == [session] for m in course.materials.all())
    again = client.post(reverse("materials:import-confirm", args=[course.code]), {"token": tokens})
    assert again.status_code == 302 and course.materials.count() == 4  # the upload was used up


def test_another_users_upload_token_is_refused(client, organizer, course, organization):
    from core.uploads import upload_save
    from training.tests.factories import MembershipFactory, UserFactory

    token = upload_save(course=course, user=organizer, content=b"x", filename="a.txt", kind="materials")
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, organization=organization)
    client.force_login(colleague)
    response = client.post(reverse("materials:import-confirm", args=[course.code]), {"token": [token]}, follow=True)
    assert "已过期或无效" in response.content.decode()
    assert not Material.objects.exists()


def test_search_finds_every_material_containing_the_words_most_hits_first(course):
    materials = import_seeds(course)
    for query in ("产业工人", "工会法", "职工之家 服务", "劳动"):
        terms = rules.search_terms(query)
        expected = {m.title for m in materials if all(t in m.body or t in m.title for t in terms)}
        hits = selectors.material_search(course.materials.all(), query)
        assert {hit.material.title for hit in hits} == expected, query
        counts = [hit.count for hit in hits]
        assert counts == sorted(counts, reverse=True)
        assert all(any(is_hit for p in hit.passages for _, is_hit in p.parts) for hit in hits)
    assert selectors.material_search(course.materials.all(), "不存在的词语") == []
    assert {h.material.title for h in selectors.material_search(course.materials.all(), "会")} == {
        m.title for m in materials
    }  # one character: scanned, not looked up


def test_search_page_highlights_passages(client, organizer, course):
    import_seeds(course)
    client.force_login(organizer)
    page = client.get(reverse("materials:list", args=[course.code]), {"q": "产业工人"}).content.decode()
    assert "<mark>产业工人</mark>" in page and "找到 4 份材料" in page


@pytest.fixture
def reader(client, trainee_user):
    client.force_login(trainee_user)
    return client


def test_a_trainee_reads_marks_read_once_and_the_organizer_sees_it(reader, client, course, enrollment, organizer):
    material = import_seeds(course)[0]
    page = reader.get(reverse("materials:my-material", args=[material.pk])).content.decode()
    assert 'href="#p-' in page and "一、牢记初心，了解工会的历史" in page
    assert not MaterialRead.objects.exists()  # reading is not marking
    url = reverse("materials:my-material-read", args=[material.pk])
    reader.post(url)
    first = MaterialRead.objects.get().read_at
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        reader.post(url)
    assert MaterialRead.objects.get().read_at == first
    client.force_login(organizer)
    detail = client.get(reverse("materials:detail", args=[course.code, material.pk])).content.decode()
    assert "已学习 <span data-read-count>1</span> / 1" in detail
    listing = client.get(reverse("materials:list", args=[course.code])).content.decode()
    assert "已学习 1/1" in listing


def test_unreleased_and_other_courses_materials_are_hidden_from_trainees(reader, course, enrollment):
    material, later = import_seeds(course)[:2]
    services.material_update(material=later, release_at=timezone.now() + timedelta(hours=2))
    foreign = services.material_import(
        course=CourseFactory(), content="外县的材料\n外县独有的工作经验。".encode(), filename="x.txt"
    ).materials[0]
    listing = reader.get(reverse("materials:my-materials")).content.decode()
    assert material.title in listing and later.title not in listing and foreign.title not in listing
    for hidden in (later, foreign):
        assert reader.get(reverse("materials:my-material", args=[hidden.pk])).status_code == 404
        assert reader.post(reverse("materials:my-material-read", args=[hidden.pk])).status_code == 404
    assert "找到 0 份材料" in reader.get(reverse("materials:my-materials"), {"q": "八个对标"}).content.decode()
    assert "找到 0 份材料" in reader.get(reverse("materials:my-materials"), {"q": "外县独有"}).content.decode()
    assert not MaterialRead.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert reader.get(reverse("materials:my-material", args=[later.pk])).status_code == 200
        assert "找到 1 份材料" in reader.get(reverse("materials:my-materials"), {"q": "八个对标"}).content.decode()


def test_only_organizers_change_materials(client, advisor, course):
    material = import_seeds(course)[0]
    client.force_login(advisor)
    assert client.get(reverse("materials:detail", args=[course.code, material.pk])).status_code == 200
    edit = reverse("materials:edit", args=[course.code, material.pk])
    assert client.post(edit, {"title": "改"}).status_code == 403
    assert client.post(reverse("materials:delete", args=[course.code, material.pk])).status_code == 403
    assert Material.objects.filter(pk=material.pk, title=material.title).exists()


def test_the_organizer_edits_links_and_releases_a_material(client, organizer, course):
    material = import_seeds(course)[2]
    session = SessionFactory(course=course)
    other = SessionFactory(course=CourseFactory())
    client.force_login(organizer)
    url = reverse("materials:edit", args=[course.code, material.pk])
    bad = client.post(url, {"title": "县总工会开班动员讲话", "sessions": [other.pk]})
    assert bad.status_code == 200
    response = client.post(
        url,
        {
            "title": "县总工会开班动员讲话",
            "speaker": "周国栋",
            "sessions": [session.pk],
            "release_at": "2026-11-20T10:30",
        },
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert (material.title, material.speaker, list(material.sessions.all())) == (
        "县总工会开班动员讲话",
        "周国栋",
        [session],
    )
    assert timezone.localtime(material.release_at).strftime("%H:%M") == "10:30"


def test_material_list_runs_a_constant_number_of_queries(client, organizer, course, django_assert_num_queries):
    client.force_login(organizer)
    url = reverse("materials:list", args=[course.code])
    services.material_import(course=course, content=seed_path("000").read_bytes(), filename="a.txt")
    client.get(url)
    # session, user, membership, course (access), enrolled count, organizer check (can_manage),
    # materials with read counts, their sessions.
    with django_assert_num_queries(8):
        client.get(url)
    import_seeds(course)
    EnrollmentFactory.create_batch(5, course=course)
    with django_assert_num_queries(8):
        assert client.get(url).content.decode().count("data-material=") == 8


def test_search_confirms_past_the_best_scored_candidates(course):
    """Materials heavy in 工会 and 法 score high on the bigrams of 工会法 without containing it;
    the one that does contain it is still found."""
    decoys = "工会" * 400 + "会法" * 400
    for i in range(70):
        body = f"第{i}号：{decoys}。"
        Material.objects.create(course=course, title=f"干扰{i}", body=body, fingerprint=services.fingerprint(body))
        services.material_index(material=Material.objects.get(title=f"干扰{i}"))
    real = services.material_import(course=course, content="工会法学习\n认真学习工会法。".encode(), filename="a.txt")
    hits = selectors.material_search(course.materials.all(), "工会法")
    assert [hit.material.pk for hit in hits] == [real.materials[0].pk]


def test_a_withdrawn_trainee_no_longer_reads(reader, course, enrollment):
    material = import_seeds(course)[0]
    enrollment.status = "withdrawn"
    enrollment.save()
    assert reader.get(reverse("materials:my-material", args=[material.pk])).status_code == 404
    assert reader.post(reverse("materials:my-material-read", args=[material.pk])).status_code == 404
    assert material.title not in reader.get(reverse("materials:my-materials")).content.decode()


def test_reading_per_session(client, organizer, course, enrollment, other_enrollment, django_assert_num_queries):
    session = SessionFactory(course=course)
    first, second = import_seeds(course)[:2]
    for material in (first, second):
        services.material_update(material=material, sessions=[session])
    services.material_mark_read(material=second, enrollment=other_enrollment)
    client.force_login(organizer)
    url = reverse("materials:session-reading", args=[course.code, session.pk])
    client.get(url)
    # session, user, membership, course, session (access), materials, reads, enrollments.
    with django_assert_num_queries(8):
        page = client.get(url).content.decode()
    rows = page.split('id="session-reading"')[1].split("<tr>")[2:]
    assert "张丽华" in rows[0] and rows[0].count("未学习") == 2
    assert "陈建国" in rows[1] and rows[1].count("✓") == 1


def test_the_trainee_list_runs_a_constant_number_of_queries(reader, course, enrollment, django_assert_num_queries):
    url = reverse("materials:my-materials")
    services.material_import(course=course, content=seed_path("000").read_bytes(), filename="a.txt")
    reader.get(url)
    # session, user, membership (staff check), trainee, enrollments, then for the course: reads,
    # materials, their sessions.
    with django_assert_num_queries(8):
        reader.get(url)
    import_seeds(course)
    with django_assert_num_queries(8):
        assert reader.get(url).content.decode().count("data-material=") == 8


def test_confirming_imports_every_file_or_none(client, organizer, course):
    from core.uploads import upload_save

    client.force_login(organizer)
    good = upload_save(
        course=course, user=organizer, content=seed_path("000").read_bytes(), filename="a.txt", kind="materials"
    )
    bad = upload_save(course=course, user=organizer, content=b"", filename="b.txt", kind="materials")
    response = client.post(reverse("materials:import-confirm", args=[course.code]), {"token": [good, bad]}, follow=True)
    assert "没有导入任何材料" in response.content.decode()
    assert not Material.objects.exists()


def test_uploading_nothing_says_so(client, organizer, course):
    client.force_login(organizer)
    page = client.post(reverse("materials:import", args=[course.code]), {}).content.decode()
    assert "请选择要导入的文件" in page
