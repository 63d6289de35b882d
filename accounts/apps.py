from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and KYC"

    def ready(self):
        # The receiver that marks a session which activated TOTP as having passed the second
        # factor (accounts/mfa.py) connects when the module loads.
        from . import mfa  # noqa: F401
