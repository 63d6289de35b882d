"""The staff groups see the capitalization rows (view only, like every list)."""

from django.db import migrations

from accounts.migration_helpers import grant_to_staff_groups


def grant_view(apps, schema_editor):
    grant_to_staff_groups(apps, "payments", ["view_capitalization"])


class Migration(migrations.Migration):
    dependencies = [("payments", "0018_capitalization")]
    operations = [migrations.RunPython(grant_view, migrations.RunPython.noop)]
