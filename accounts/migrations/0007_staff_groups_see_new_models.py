"""The staff groups see the outbox and the token credentials (view only, like every list)."""

from django.db import migrations

from accounts.migration_helpers import grant_to_staff_groups

MODELS = ("outboundemail", "tokencredential")


def grant_view(apps, schema_editor):
    grant_to_staff_groups(apps, "accounts", [f"view_{m}" for m in MODELS])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_outbound_email")]
    operations = [migrations.RunPython(grant_view, migrations.RunPython.noop)]
