import os
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from core import tasks, uploads
from core.errors import DomainError
from training.tests import rosters

pytestmark = pytest.mark.django_db


def test_unconfirmed_uploads_are_purged_after_their_lifetime(course, organizer):
    token = uploads.upload_save(course=course, user=organizer, content=b"x", filename="a.xlsx")
    assert tasks.uploads_purge_task.delay().get() == 0  # still young
    later = timezone.now() + uploads.UPLOAD_MAX_AGE + timedelta(minutes=1)
    assert uploads.uploads_purge(now=later) == 1
    with pytest.raises(DomainError) as error:
        uploads.upload_load(token=token, course=course, user=organizer)
    assert error.value.code == "expired"
    assert uploads.uploads_purge(now=later) == 0  # idempotent


def test_an_upload_round_trips_for_its_owner(course, organizer):
    content = rosters.xlsx(rosters.table())
    token = uploads.upload_save(course=course, user=organizer, content=content, filename="花名册.xlsx")
    loaded, filename, name = uploads.upload_load(token=token, course=course, user=organizer)
    assert (loaded, filename) == (content, "花名册.xlsx")
    assert default_storage.exists(name)


def test_an_upload_is_aged_by_our_clock_not_the_file_system(course, organizer):
    """A restored or shared volume may carry any modification time; the stamp in the name decides."""
    uploads.upload_save(course=course, user=organizer, content=b"x", filename="a.xlsx")
    _, names = default_storage.listdir(uploads.UPLOAD_DIR)
    long_ago = (timezone.now() - timedelta(days=400)).timestamp()
    os.utime(default_storage.path(f"{uploads.UPLOAD_DIR}/{names[0]}"), (long_ago, long_ago))
    assert uploads.uploads_purge(now=timezone.now()) == 0
    assert uploads.uploads_purge(now=timezone.now() + uploads.UPLOAD_MAX_AGE + timedelta(minutes=1)) == 1
