"""The activity log: every audit row written during a request records where it came from (IP
address, as the rate limits read it, and user agent); logins, good and bad, are audited."""

import pytest

from accounts.models import AuditEvent
from accounts.services import audit_entry, audit_record, audit_record_many
from communitylend.core import context
from tests.factories import PASSWORD, api_client_for, make_user

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0"


def _rows(event):
    return list(AuditEvent.objects.filter(event=event).order_by("id"))


def test_a_deposit_through_the_api_records_the_address_and_user_agent():
    lender = make_user("audited.lender@example.com")
    client = api_client_for(lender)
    response = client.post("/api/wallet/deposit", {"amount": "50.00"}, format="json",
                           REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT="lender-app/2.1",
                           HTTP_X_REQUEST_ID="req-deposit-1")
    assert response.status_code == 201, response.content
    rows = AuditEvent.objects.filter(actor=lender).exclude(event="user.registered")
    assert rows.exists()
    for row in rows:
        assert (row.ip_address, row.user_agent, row.request_id) == (
            "198.51.100.23", "lender-app/2.1", "req-deposit-1"), row.event


def test_a_successful_api_login_is_audited_with_where_it_came_from():
    user = make_user("api.login@example.com")
    response = api_client_for(None).post(
        "/api/auth/login", {"email": user.email, "password": PASSWORD}, format="json",
        REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT="curl/8.5")
    assert response.status_code == 200
    [row] = _rows("user.logged_in")
    assert row.actor_id == user.pk and row.target_id == str(user.pk)
    assert row.new == {"channel": "api", "second_factor": False}
    assert (row.ip_address, row.user_agent) == ("203.0.113.5", "curl/8.5")


def test_failed_api_logins_are_audited_for_known_and_unknown_emails():
    user = make_user("api.fail@example.com")
    api = api_client_for(None)
    assert api.post("/api/auth/login", {"email": user.email, "password": "wrong-one-1"},
                    format="json", REMOTE_ADDR="203.0.113.9").status_code == 401
    assert api.post("/api/auth/login", {"email": "nobody@example.com", "password": "x" * 9},
                    format="json", REMOTE_ADDR="203.0.113.9").status_code == 401
    known, unknown = _rows("user.login_failed")
    assert known.actor_id is None and known.target_id == str(user.pk)
    assert known.new == {"email": user.email, "reason": "password", "channel": "api"}
    assert unknown.target_id == "" and unknown.new["email"] == "nobody@example.com"
    assert known.ip_address == unknown.ip_address == "203.0.113.9"
    assert not _rows("user.logged_in")


def test_an_attempt_on_a_locked_account_is_audited_as_locked(settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    user = make_user("locked@example.com")
    api = api_client_for(None)
    for _ in range(2):
        api.post("/api/auth/login", {"email": user.email, "password": "wrong-one-1"},
                 format="json")
    response = api.post("/api/auth/login", {"email": user.email, "password": PASSWORD},
                        format="json")
    assert response.status_code == 429
    assert [r.new["reason"] for r in _rows("user.login_failed")] == [
        "password", "password", "locked"]


def test_the_login_pages_audit_failures_and_successes(client):
    user = make_user("page.login@example.com")
    client.post("/accounts/login/", {"login": user.email, "password": "not-the-password"},
                REMOTE_ADDR="192.0.2.44", HTTP_USER_AGENT=BROWSER)
    [failed] = _rows("user.login_failed")
    assert failed.new == {"email": user.email, "reason": "password", "channel": "web"}
    assert (failed.ip_address, failed.user_agent) == ("192.0.2.44", BROWSER)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD},
                           REMOTE_ADDR="192.0.2.44", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    [success] = _rows("user.logged_in")
    assert success.actor_id == user.pk and success.new["channel"] == "web"
    assert (success.ip_address, success.user_agent) == ("192.0.2.44", BROWSER)


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy(settings):
    user = make_user("proxied@example.com")
    api = api_client_for(None)
    forged = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.77"}
    api.post("/api/auth/login", {"email": user.email, "password": PASSWORD}, format="json",
             **forged)
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # what TRUSTED_PROXY_COUNT=1 sets
    api.post("/api/auth/login", {"email": user.email, "password": PASSWORD}, format="json",
             **forged)
    direct, proxied = _rows("user.logged_in")
    assert direct.ip_address == "10.0.0.2"  # no proxy trusted: the header is ignored
    assert proxied.ip_address == "198.51.100.77"  # the address our one proxy saw


def test_a_long_user_agent_is_cut_and_rows_outside_a_request_have_no_address():
    user = make_user("batch@example.com")
    with context.bound(context.RequestContext(client_ip="192.0.2.1", user_agent="x" * 256,
                                              request_id="req-batch")):
        audit_record_many([audit_entry(actor=user, event="test.batch", target=user)])
    audit_record(actor=user, event="test.outside", target=user)
    [batch] = _rows("test.batch")
    assert (batch.ip_address, len(batch.user_agent), batch.request_id) == (
        "192.0.2.1", 256, "req-batch")
    [outside] = _rows("test.outside")
    assert (outside.ip_address, outside.user_agent, outside.request_id) == (None, "", "")


def test_the_middleware_cuts_the_user_agent_to_the_column(client):
    user = make_user("long.agent@example.com")
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD},
                HTTP_USER_AGENT="A" * 1000)
    [row] = _rows("user.logged_in")
    assert row.user_agent == "A" * 256


def test_staff_filter_the_activity_log_by_address_and_user_agent(client, staff):
    target = make_user("filtered@example.com")
    for ip, agent in [("192.0.2.10", "curl/8.5"), ("192.0.2.10", BROWSER),
                      ("192.0.2.99", BROWSER)]:
        with context.bound(context.RequestContext(client_ip=ip, user_agent=agent)):
            audit_record(actor=target, event="test.where", target=target)
    client.force_login(staff)
    page = client.get("/admin/accounts/auditevent/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "IP address" in html and "user agent" in html and "192.0.2.10 (2)" in html
    by_ip = client.get("/admin/accounts/auditevent/", {"ip_address": "192.0.2.10",
                                                       "event": "test.where"})
    assert by_ip.context["cl"].result_count == 2
    by_both = client.get("/admin/accounts/auditevent/", {
        "ip_address": "192.0.2.10", "user_agent": BROWSER, "event": "test.where"})
    assert by_both.context["cl"].result_count == 1
    unseen = client.get("/admin/accounts/auditevent/", {"ip_address": "203.0.113.250"})
    assert unseen.status_code == 200 and unseen.context["cl"].result_count == 0


