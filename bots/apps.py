from django.apps import AppConfig


class BotsConfig(AppConfig):
    name = "bots"

    def ready(self):
        # A new market listing starts order matching here (investments never imports bots).
        from investments.market.hooks import on_new_listing

        # Here, not at the top: the models must be loaded first.
        from .market import match_new_listing

        on_new_listing(match_new_listing)
