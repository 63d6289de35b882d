"""The staff groups see the servicing runs and their batches (view only, like every list)."""

from django.db import migrations

from accounts.migration_helpers import grant_to_staff_groups

MODELS = ("servicingrun", "servicingbatch")


def grant_view(apps, schema_editor):
    grant_to_staff_groups(apps, "payments", [f"view_{m}" for m in MODELS])


class Migration(migrations.Migration):
    dependencies = [("payments", "0014_servicing_runs_over_celery")]
    operations = [migrations.RunPython(grant_view, migrations.RunPython.noop)]
