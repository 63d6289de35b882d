"""The staff groups see API keys, webhook endpoints and deliveries (view only, like every list:
the admin never shows a key's hash or an endpoint's secret)."""

from django.db import migrations

from accounts.migration_helpers import grant_to_staff_groups

MODELS = ("apikey", "webhookendpoint", "webhookdelivery")


def grant_view(apps, schema_editor):
    grant_to_staff_groups(apps, "accounts", [f"view_{m}" for m in MODELS])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0014_feature_flag_overrides")]
    operations = [migrations.RunPython(grant_view, migrations.RunPython.noop)]
