import pytest
from django.contrib.auth.models import Group

from tests.factories import make_staff_in, make_user

pytestmark = pytest.mark.django_db



def test_the_three_staff_groups_exist_with_their_permissions():
    support = Group.objects.get(name="Support").permissions.values_list("codename", flat=True)
    assert support and all(code.startswith("view_") for code in support)
    risk = set(Group.objects.get(name="Risk officer").permissions.values_list("codename",
                                                                               flat=True))
    assert {"change_user", "change_loan"} <= risk and "change_botlender" not in risk
    admin = set(Group.objects.get(name="Administrator").permissions.values_list("codename",
                                                                                flat=True))
    assert {"change_botlender", "change_user", "view_ledgertransaction"} <= admin


def test_a_support_user_sees_but_cannot_change_anything(client):
    borrower = make_user("kyc@example.com", complete=True)
    client.force_login(make_staff_in("Support"))
    assert client.get("/admin/accounts/user/").status_code == 200
    client.post("/admin/accounts/user/", {
        "action": "verify_selected", "_selected_action": [borrower.pk], "apply": "1",
        "note": "ok"})
    borrower.refresh_from_db()
    assert borrower.verification_status == "pending"
    assert client.post(f"/admin/accounts/user/{borrower.pk}/change/",
                       {"first_name": "Hacked"}).status_code == 403


def test_a_risk_officer_verifies_kyc_but_cannot_touch_bots(client, risk_model):
    from bots.models import BotLender
    from communitylend.demo.market import seed_bots

    seed_bots()
    borrower = make_user("kyc2@example.com", complete=True)
    client.force_login(make_staff_in("Risk officer"))
    client.post("/admin/accounts/user/", {"action": "verify_selected",
                                          "_selected_action": [borrower.pk], "apply": "1",
                                          "note": "documents checked"})
    borrower.refresh_from_db()
    assert borrower.verification_status == "verified"
    bot = BotLender.objects.first()
    client.post("/admin/bots/botlender/", {"action": "stop_bots", "_selected_action": [bot.pk]})
    bot.refresh_from_db()
    assert bot.status == "running"
    assert client.post(f"/admin/bots/botlender/{bot.pk}/change/", {}).status_code == 403
