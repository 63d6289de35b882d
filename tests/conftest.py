import shutil

import pytest
from django.conf import settings
from django.core.cache import cache, caches

from tests.factories import api_client_for, make_staff, make_user


@pytest.fixture(autouse=True)
def _isolation(settings):
    cache.clear()
    caches["local"].clear()
    yield
    cache.clear()
    caches["local"].clear()


@pytest.fixture(scope="session", autouse=True)
def _force_login_passes_the_second_factor():
    """In this suite ``client.force_login(user)`` stands for the whole login: password, then the
    TOTP code when the user has an authenticator (staff power needs a session that passed it:
    accounts/mfa.py). ``force_login(user, second_factor=False)``: a session that did not."""
    from django.test import Client

    from accounts.mfa import has_totp
    from tests.factories import pass_second_factor

    original = Client.force_login

    def force_login(self, user, backend=None, second_factor=True):
        original(self, user, backend)
        if second_factor and has_totp(user):
            pass_second_factor(self, user)

    Client.force_login = force_login
    yield
    Client.force_login = original


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """pytest-django's test database, plus what the migrations wrote in it (staff groups, the
    first loan agreement, the platform's accounts, the flags...) kept aside for
    ``migrations_data`` when a test of the session asks for it."""
    from django.db import connection

    if any("migrations_data" in getattr(item, "fixturenames", ()) for item in request.session.items):
        with django_db_blocker.unblock():
            connection._migrations_data = connection.creation.serialize_db_to_string()


@pytest.fixture
def migrations_data(transactional_db):
    """A transactional test (live server) that needs the migrations' data: flush what earlier
    transactional tests left (their flush took the migrations' rows and put content types and
    permissions back), then load the rows the migrations wrote. Django's own serialized_rollback
    clashes here with the content types a plain flush re-creates."""
    from django.core.management import call_command
    from django.db import connection

    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(connection._migrations_data)


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


@pytest.fixture(scope="session")
def risk_artifact(tmp_path_factory):
    """The credit model, trained once per test run (fit only) and saved: (bundle, path, sha)."""
    from risk import ml

    bundle = ml.fit_only()
    path = tmp_path_factory.mktemp("risk-model") / "model.joblib"
    return bundle, path, ml.save_bundle(bundle, path)


@pytest.fixture
def risk_model(db, risk_artifact):
    """The session's model registered as the active version in this test's database."""
    from risk.services import model_version_register

    bundle, path, sha = risk_artifact
    return model_version_register(bundle=bundle, artifact_path=path, artifact_sha256=sha)
