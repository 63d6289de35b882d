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
