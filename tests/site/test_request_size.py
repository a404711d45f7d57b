"""A body larger than any form is refused from its Content-Length, before it is read: no
400 MB upload reaches memory or a temporary file."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUGE = 400 * 1024 * 1024


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data; boundary=xyz", "application/x-www-form-urlencoded"],
)
def test_a_400_mb_body_is_refused_unread(content_type):
    # The test client's body holds a few bytes: reading past them fails the request.
    start = b"--xyz\r\nContent-Disposition: form-data; name=f; filename=a\r\n\r\nAAAA"
    response = Client().generic(
        "POST",
        reverse("login"),
        data=start,
        content_type=content_type,
        CONTENT_LENGTH=str(HUGE),
    )
    assert response.status_code == 413


def test_a_body_at_the_limit_reaches_the_form(settings):
    body = b"username=a%40b.example&password=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 32)
    response = Client().generic(
        "POST", reverse("login"), data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code != 413
