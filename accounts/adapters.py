from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth import logout as django_logout
from django.http import Http404
from django.urls import reverse

from . import mfa, services


def dashboard_url(user) -> str:
    """Staff: the back-office; a borrower or a lender by the role they chose; both or neither:
    the borrower's dashboard once they have a loan, else the lender's."""
    if user.is_staff:
        return reverse("admin:index")
    if user.is_borrower != user.is_lender:
        return reverse("borrower_dashboard" if user.is_borrower else "lender_dashboard")
    has_loans = user.loans.exists()  # the reverse relation: no import of the loans app
    return reverse("borrower_dashboard" if has_loans else "lender_dashboard")


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

    def get_login_redirect_url(self, request) -> str:
        """After login, the dashboard of the person's role (a safe ``next`` still wins: allauth
        reads it before asking here)."""
        return dashboard_url(request.user)

    def get_signup_redirect_url(self, request) -> str:
        """After sign-up, the profile: what the person must fill in before anything else."""
        return reverse("profile")

    def login(self, request, user) -> None:
        """Every completed login on the pages (password, then the code if any; a social
        account; the link of a confirmation email) is audited."""
        super().login(request, user)
        services.login_success_record(user=user, channel="web",
                                      second_factor=mfa.has_totp(user))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Google and GitHub sign-in, only for the providers configured in the environment; a new
    account made from a provider's profile is audited like any registration."""

    def list_apps(self, request, provider=None, client_id=None):
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        return [app for app in apps if app.provider in settings.SOCIALACCOUNT_PROVIDERS]

    def get_provider(self, request, provider, client_id=None):
        if provider not in settings.SOCIALACCOUNT_PROVIDERS:
            # An unconfigured provider's login address is not there (never a 500).
            raise Http404(f"Sign-in with {provider} is not enabled on this site")
        return super().get_provider(request, provider, client_id=client_id)

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        services.audit_record(actor=user, event="user.registered", target=user,
                              new={"email": user.email, "via": sociallogin.account.provider})
        return user
