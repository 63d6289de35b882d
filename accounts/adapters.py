from allauth.account.adapter import DefaultAccountAdapter

from .services import audit_record


class AccountAdapter(DefaultAccountAdapter):
    """Site sign-ups write the same audit row as API registrations."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            audit_record(actor=user, event="user.registered", target=user,
                         new={"email": user.email})
        return user
