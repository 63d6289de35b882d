from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import logout as django_logout

from . import mfa, services


class AccountAdapter(DefaultAccountAdapter):
    """allauth's pages write through our services: sign-ups audited as API registrations,
    passwords set through ``user_password_set`` (tokens revoked), one failed-login counter for
    the pages and the API, "log out everywhere"."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.audit_record(actor=user, event="user.registered", target=user,
                                  new={"email": user.email})
        return user

    def set_password(self, user, password) -> None:
        """Password change, reset and set pages: every token and every other session ends (the
        change page then keeps its own session with update_session_auth_hash)."""
        acting_user = user if user.is_authenticated else None
        services.user_password_set(user=user, password=password, acting_user=acting_user)

    def logout(self, request) -> None:
        if request.method == "POST" and request.POST.get("everywhere") and \
                request.user.is_authenticated:
            services.user_sign_out_everywhere(user=request.user)
        django_logout(request)

    def pre_authenticate(self, request, **credentials) -> None:
        email = credentials.get("email") or credentials.get("username") or ""
        if email and services.login_locked(email=email):
            services.login_refusal_audit(email=email, reason="locked", channel="web")
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials) -> None:
        email = credentials.get("email") or credentials.get("username") or ""
        if email:
            services.login_failure_record(email=email)

    def login(self, request, user) -> None:
        """Every completed login on the pages (password, then the code if any; a social
        account; the link of a confirmation email) is audited."""
        super().login(request, user)
        services.login_success_record(user=user, channel="web",
                                      second_factor=mfa.has_totp(user))
