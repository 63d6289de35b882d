import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.factories import api_client_for, make_staff, make_user


@pytest.fixture(autouse=True)
def _isolation(settings):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _clean_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def borrower(db):
    return make_user("borrower@example.com", first_name="Bea", complete=True)


@pytest.fixture
def other_borrower(db):
    return make_user("other.borrower@example.com", first_name="Otto", complete=True)


@pytest.fixture
def lender(db):
    return make_user("lender@example.com", first_name="Lena")


@pytest.fixture
def staff(db):
    return make_staff("staff@example.com")


@pytest.fixture
def anon_api():
    return api_client_for(None)


@pytest.fixture
def api_as():
    return api_client_for
