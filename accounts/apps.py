from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and KYC"

    def ready(self):
        # The receiver that counts a wrong code on the login pages towards the account's
        # lockout (accounts/mfa.py) connects when the module loads.
        from . import mfa  # noqa: F401
