"""Finding 10: forms send the user on to a path of this site only (no open redirect)."""

import pytest
from django.test import Client

from accounts.services import notification_create
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ELSEWHERE = ["https://evil.example/", "//evil.example/x", "/\\evil.example", "http:evil.example",
             "javascript:alert(1)", " //evil.example", "https://testserver.evil.example/"]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_mark_read_never_sends_the_user_to_another_site(target):
    user = make_user()
    note = notification_create(user_id=user.pk, kind="test", title="hello")
    client = Client()
    client.force_login(user)
    for url in ("/notifications/read/", f"/notifications/{note.pk}/read/"):
        response = client.post(url, {"next": target})
        assert response.status_code == 302
        assert response["Location"] == "/notifications/", (url, target)


def test_a_path_of_this_site_is_followed():
    user = make_user()
    client = Client()
    client.force_login(user)
    response = client.post("/notifications/read/", {"next": "/wallet/?page=2"})
    assert response["Location"] == "/wallet/?page=2"
