"""Feature flags: environment defaults (on), staff overrides at run time, each flag's on and off
behaviour, and an unknown name refused (README, "Operations: feature flags")."""

import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.flags import UnknownFeatureFlag, flag_enabled, flags_state
from accounts.models import AuditEvent, FeatureFlag, FeatureFlagOverride, Notification
from accounts.services import (
    NotificationDraft,
    feature_flag_set,
    notification_create,
    notification_create_many,
    notification_send_email,
)
from bots.cycle import bot_cycle_run
from bots.services import auto_invest_rule_create
from loans.models import Bid
from loans.services import loan_apply
from risk.models import RiskAssessment
from risk.services import fallback_grade
from tests.bots.conftest import bots, listing, make_borrower  # noqa: F401 - bots: a fixture
from tests.factories import api_client_for, make_user
from tests.money import fund

pytestmark = pytest.mark.django_db
D = Decimal
ROOT = Path(__file__).resolve().parents[2]
APPLICATION = {"creditScore": 700, "annualIncome": 65000, "loanAmount": 12000, "termMonths": 36,
               "employmentStatus": "employed", "purpose": "debt_consolidation",
               "debtToIncomeRatio": 18.5}


def _off(name):
    feature_flag_set(acting_user=None, name=name, enabled=False)


# --- the flags themselves -----------------------------------------------------------------------

def test_every_flag_is_on_by_default_and_follows_the_environment(settings):
    assert all(flag_enabled(flag) for flag in FeatureFlag)
    settings.FEATURE_FLAG_DEFAULTS = {**settings.FEATURE_FLAG_DEFAULTS,
                                      "ENABLE_ML_SCORING": False}
    assert not flag_enabled("ENABLE_ML_SCORING")
    assert flag_enabled("ENABLE_AUTO_MATCHING")


def test_the_environment_variables_set_the_defaults():
    env = {"DJANGO_DEBUG": "1", "ENABLE_AUTO_MATCHING": "0", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings;"
         " print(sorted(settings.FEATURE_FLAG_DEFAULTS.items()))"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "communitylend.settings"},
        capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == ("[('ENABLE_AUTO_MATCHING', False), ('ENABLE_EMAIL_NOTIFICATIONS',"
                                  " True), ('ENABLE_ML_SCORING', True)]"), out.stderr


def test_a_staff_override_wins_over_the_environment_and_can_be_undone(settings, staff):
    settings.FEATURE_FLAG_DEFAULTS = {**settings.FEATURE_FLAG_DEFAULTS,
                                      "ENABLE_EMAIL_NOTIFICATIONS": False}
    feature_flag_set(acting_user=staff, name="ENABLE_EMAIL_NOTIFICATIONS", enabled=True,
                     note="mail server is back")
    assert flag_enabled("ENABLE_EMAIL_NOTIFICATIONS")
    feature_flag_set(acting_user=staff, name="ENABLE_EMAIL_NOTIFICATIONS", enabled=None)
    assert not flag_enabled("ENABLE_EMAIL_NOTIFICATIONS")
    audit = list(AuditEvent.objects.filter(event="feature_flag.set").order_by("id"))
    assert [(a.actor_id, a.old, a.new) for a in audit] == [
        (staff.pk, {"enabled": None}, {"enabled": True, "note": "mail server is back"}),
        (staff.pk, {"enabled": True}, {"enabled": None, "note": ""})]


@pytest.mark.parametrize("name", ["ENABLE_EVERYTHING", "enable_ml_scoring", "", None])
def test_an_unknown_flag_name_is_a_clear_error_and_changes_nothing(name):
    before = list(FeatureFlagOverride.objects.values_list("name", "enabled"))
    with pytest.raises(UnknownFeatureFlag, match="Unknown feature flag .*the flags are "
                       "ENABLE_ML_SCORING, ENABLE_AUTO_MATCHING, ENABLE_EMAIL_NOTIFICATIONS"):
        feature_flag_set(acting_user=None, name=name, enabled=False)
    with pytest.raises(UnknownFeatureFlag):
        flag_enabled(name)
    assert list(FeatureFlagOverride.objects.values_list("name", "enabled")) == before
    assert not AuditEvent.objects.filter(event="feature_flag.set").exists()


def test_the_command_lists_sets_and_refuses_unknown_names():
    out = StringIO()
    call_command("feature_flag", "ENABLE_AUTO_MATCHING", "off", "--note", "incident 42",
                 stdout=out)
    assert not flag_enabled("ENABLE_AUTO_MATCHING")
    assert "ENABLE_AUTO_MATCHING         off (environment default on; staff: off)" in \
        out.getvalue()
    call_command("feature_flag", "enable_auto_matching", "default", stdout=StringIO())
    assert flag_enabled("ENABLE_AUTO_MATCHING")
    with pytest.raises(CommandError, match="Unknown feature flag 'ENABLE_TYPO'"):
        call_command("feature_flag", "ENABLE_TYPO", "off")
    with pytest.raises(CommandError, match="on, off or default"):
        call_command("feature_flag", "ENABLE_ML_SCORING")


def test_staff_switch_a_flag_in_the_admin(client, staff):
    client.force_login(staff)
    listing_page = client.get("/admin/accounts/featureflagoverride/")
    assert listing_page.status_code == 200
    assert "ENABLE_AUTO_MATCHING" in listing_page.content.decode()
    row = FeatureFlagOverride.objects.get(name="ENABLE_AUTO_MATCHING")
    response = client.post(f"/admin/accounts/featureflagoverride/{row.pk}/change/",
                           {"enabled": "off", "note": "matching is slow today"})
    assert response.status_code == 302
    assert not flag_enabled("ENABLE_AUTO_MATCHING")
    row.refresh_from_db()
    assert (row.enabled, row.updated_by_id, row.note) == (False, staff.pk, "matching is slow today")
    assert [f["enabled"] for f in flags_state() if f["name"] == "ENABLE_AUTO_MATCHING"] == [False]
    assert client.get("/admin/accounts/featureflagoverride/add/").status_code == 403


# --- ENABLE_ML_SCORING --------------------------------------------------------------------------

def test_with_ml_scoring_on_the_api_assesses(risk_model, api_as, borrower):
    response = api_as(borrower).post("/api/ml/assess-risk", APPLICATION, format="json")
    assert response.status_code == 200


def test_with_ml_scoring_off_the_api_answers_503_and_applications_use_the_fallback(
        risk_model, api_as, borrower):
    _off("ENABLE_ML_SCORING")
    response = api_as(borrower).post("/api/ml/assess-risk", APPLICATION, format="json")
    assert response.status_code == 503
    body = response.json()
    assert body["success"] is False and "ENABLE_ML_SCORING" in body["error"]
    assert "turned off" in body["error"]
    assert not RiskAssessment.objects.filter(source="api").exists()
    applicant = make_borrower(745)
    loan = loan_apply(borrower=applicant, amount=D("5000"), term_months=36,
                      purpose="debt_consolidation", max_rate=D("25"))
    assert loan.risk_grade == loan.model_grade == "A"  # 745: band A, low debts
    assessment = loan.risk_assessment
    assert "fallback rule" in assessment.factors[0]["text"]
    assert loan.floor_rate > 0 and loan.recommended_rate >= loan.floor_rate


def test_a_staff_import_keeps_its_grade_with_ml_scoring_off(risk_model):
    _off("ENABLE_ML_SCORING")
    loan = listing(make_borrower(790), grade="D")
    assert loan.risk_grade == "D" and loan.model_grade == "A"


@pytest.mark.parametrize(("score", "dti", "grade"), [
    (800, 10.0, "A"), (740, None, "A"), (739, 20.0, "B"), (700, 36.0, "C"), (660, 0.0, "C"),
    (659, 35.0, "D"), (620, 50.0, "E"), (600, 10.0, "E"), (None, None, "E"), (850, 80.0, "B")])
def test_the_fallback_rule_grades_by_credit_score_and_debts(score, dti, grade):
    assert fallback_grade(credit_score=score, debt_to_income=dti) == grade


# --- ENABLE_AUTO_MATCHING -----------------------------------------------------------------------

def test_with_auto_matching_off_there_is_no_matching_page_or_endpoint(client, lender):
    client.force_login(lender)
    api = api_client_for(lender)
    assert client.get("/marketplace/matches/").status_code == 200
    assert b"Listings for you" in client.get("/lender/").content
    assert api.get(f"/api/ml/loan-matching/{lender.pk}").status_code == 200
    _off("ENABLE_AUTO_MATCHING")
    assert client.get("/marketplace/matches/").status_code == 404
    assert b"Listings for you" not in client.get("/lender/").content
    response = api.get(f"/api/ml/loan-matching/{lender.pk}")
    assert response.status_code == 404 and "turned off" in response.json()["error"]
    assert b"auto-invest-off" in client.get("/auto-invest/").content


@pytest.mark.usefixtures("bots")
def test_with_auto_matching_off_rules_do_not_run_but_bots_do(lender, risk_model):
    fund(lender, "10000")
    auto_invest_rule_create(user=lender, data={
        "name": "Everything", "min_credit_score": 600, "loan_share": D("50"),
        "max_per_loan": D("800"), "borrower_limit": D("100"), "max_capital_use": D("100")})
    loan = listing(make_borrower(800), amount="40000")
    _off("ENABLE_AUTO_MATCHING")
    result = bot_cycle_run()
    assert not Bid.objects.filter(lender=lender).exists()
    assert [r.label for r in result.reports if r.label.startswith("Auto-invest")] == []
    assert Bid.objects.filter(loan=loan, lender__is_staff=False).exclude(lender=lender).exists()
    feature_flag_set(acting_user=None, name="ENABLE_AUTO_MATCHING", enabled=True)
    result = bot_cycle_run()
    assert [r.label for r in result.reports if r.label.startswith("Auto-invest")] == [
        f"Auto-invest rule #{lender.auto_invest_rules.get().pk} (Everything)"]


# --- ENABLE_EMAIL_NOTIFICATIONS -----------------------------------------------------------------

def test_with_email_notifications_off_notices_are_in_app_only(django_capture_on_commit_callbacks):
    user = make_user("inbox.only@example.com")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(user_id=user.pk, kind="test", title="Emailed")
    assert [m.subject for m in mail.outbox] == ["[CommunityLend] Emailed"]
    _off("ENABLE_EMAIL_NOTIFICATIONS")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        quiet = notification_create(user_id=user.pk, kind="test", title="In-app only")
    assert mail.outbox == []
    assert quiet.email_status == Notification.EmailStatus.SKIPPED
    assert Notification.objects.filter(user=user, title="In-app only").exists()


def test_a_pending_email_is_skipped_when_the_flag_goes_off_before_it_is_sent(
        django_capture_on_commit_callbacks):
    user = make_user("pending@example.com")
    with django_capture_on_commit_callbacks(execute=False):
        [pending] = notification_create_many([NotificationDraft(user.pk, "test", "Later")])
    _off("ENABLE_EMAIL_NOTIFICATIONS")
    mail.outbox.clear()
    assert notification_send_email(notification_id=pending) is False
    assert mail.outbox == []
    assert Notification.objects.get(pk=pending).email_status == Notification.EmailStatus.SKIPPED
    assert notification_create_many([NotificationDraft(user.pk, "test", "Batch")]) == []
    assert Notification.objects.get(title="Batch").email_status == \
        Notification.EmailStatus.SKIPPED
