"""Finding 1: staff privileges in the admin. Only a superuser grants or changes staff status,
superuser status, groups or permissions, sets a password, or changes another staff account;
nobody raises their own privileges."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import AuditEvent, User
from accounts.services import user_privileges_set
from communitylend.core.errors import PermissionDenied
from tests.factories import PASSWORD, make_staff, make_staff_in, make_user

pytestmark = pytest.mark.django_db


def _change_form(client, user):
    """The admin's change form as a browser would post it back, from the page itself."""
    url = f"/admin/accounts/user/{user.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    for key in ("is_active", "is_borrower", "is_lender", "is_staff", "is_superuser",
                "profile_completed"):
        if data.get(key) is False:
            data.pop(key)
    return url, data


@pytest.mark.parametrize("group", ["Risk officer", "Administrator"])
def test_a_staff_member_who_is_not_superuser_cannot_make_themselves_superuser(client, group):
    officer = make_staff_in(group)
    client.force_login(officer)
    url, data = _change_form(client, officer)
    support = Group.objects.get(name="Administrator")
    every_permission = Permission.objects.values_list("pk", flat=True)
    data.update({"is_superuser": "on", "is_staff": "on", "groups": [str(support.pk)],
                 "user_permissions": [str(pk) for pk in every_permission[:50]],
                 "first_name": "Renamed"})
    client.post(url, data)
    officer.refresh_from_db()
    assert officer.first_name == "Renamed"  # the form worked: only the privileges were refused
    assert officer.is_superuser is False
    assert list(officer.groups.values_list("name", flat=True)) == [group]
    assert officer.user_permissions.count() == 0


def test_a_risk_officer_cannot_make_themselves_superuser(client):
    officer = make_staff_in("Risk officer")
    client.force_login(officer)
    url, data = _change_form(client, officer)
    client.post(url, {**data, "is_superuser": "on"})
    officer.refresh_from_db()
    assert officer.is_superuser is False


def test_nobody_may_set_a_password_through_the_admin_but_a_superuser(client):
    customer = make_user("customer@example.com")
    other_staff = make_staff_in("Support")
    for group in ("Risk officer", "Administrator"):
        client.force_login(make_staff_in(group))
        for target in (customer, other_staff):
            url = f"/admin/accounts/user/{target.pk}/password/"
            assert client.get(url).status_code == 403
            response = client.post(url, {"password1": "Taken-over-pass-1",
                                         "password2": "Taken-over-pass-1",
                                         "set_usable_password": "true"})
            assert response.status_code == 403
            target.refresh_from_db()
            assert target.check_password(PASSWORD)


def test_a_superuser_sets_a_password_and_it_revokes_the_accounts_tokens(client):
    from rest_framework.authtoken.models import Token

    from tests.factories import api_client_for

    customer = make_user("reset.by.staff@example.com")
    api = api_client_for(customer)
    assert api.get("/api/wallet").status_code == 200
    client.force_login(make_staff())
    response = client.post(f"/admin/accounts/user/{customer.pk}/password/", {
        "password1": "Brand-new-pass-42", "password2": "Brand-new-pass-42",
        "set_usable_password": "true"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password("Brand-new-pass-42")
    assert not Token.objects.filter(user=customer).exists()
    assert api.get("/api/wallet").status_code == 401


def test_only_a_superuser_changes_or_deletes_another_staff_account(client):
    superuser = make_staff("the.super@example.com")
    support = make_staff_in("Support")
    client.force_login(make_staff_in("Administrator"))
    for target in (superuser, support):
        url = f"/admin/accounts/user/{target.pk}/change/"
        assert client.post(url, {"email": "mine@example.com"}).status_code == 403
        assert client.post(f"/admin/accounts/user/{target.pk}/delete/",
                           {"post": "yes"}).status_code == 403
        client.post("/admin/accounts/user/", {"action": "delete_selected",
                                              "_selected_action": [target.pk], "post": "yes"})
        target.refresh_from_db()
        assert target.email != "mine@example.com"
    assert User.objects.filter(pk__in=[superuser.pk, support.pk]).count() == 2


def test_a_superuser_grants_staff_status_and_it_is_audited(client):
    superuser = make_staff("granting@example.com")
    customer = make_user("promoted@example.com")
    client.force_login(superuser)
    url, data = _change_form(client, customer)
    client.post(url, {**data, "is_staff": "on"})
    customer.refresh_from_db()
    assert customer.is_staff is True
    assert AuditEvent.objects.filter(event="user.privileges_changed",
                                     target_id=str(customer.pk), actor=superuser).exists()


def test_nobody_raises_their_own_privileges_even_through_the_service():
    officer = make_staff_in("Risk officer")
    with pytest.raises(PermissionDenied):
        user_privileges_set(acting_user=officer, user_id=officer.pk, is_superuser=True)
    with pytest.raises(PermissionDenied):
        user_privileges_set(acting_user=officer, user_id=make_user().pk, is_staff=True)
    demoted = make_staff("stepping.down@example.com")
    User.objects.filter(pk=demoted.pk).update(is_superuser=True)
    user_privileges_set(acting_user=demoted, user_id=demoted.pk, is_superuser=False)
    demoted.refresh_from_db()
    assert demoted.is_superuser is False


def test_only_a_superuser_changes_a_groups_permissions(client):
    client.force_login(make_staff_in("Administrator"))
    support = Group.objects.get(name="Support")
    assert client.get(f"/admin/auth/group/{support.pk}/change/").status_code == 403
    assert client.post(f"/admin/auth/group/{support.pk}/change/",
                       {"name": "Support", "permissions": []}).status_code == 403
    assert support.permissions.count() > 0
