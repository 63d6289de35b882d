"""The staff groups see the servicing runs and their batches (view only, like every list)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("servicingrun", "servicingbatch")


def grant_view(apps, schema_editor):
    app_config = apps.get_app_config("payments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    views = Permission.objects.filter(content_type__app_label="payments",
                                      codename__in=[f"view_{m}" for m in MODELS])
    for group in Group.objects.filter(name__in=("Support", "Risk officer", "Administrator")):
        group.permissions.add(*views)


class Migration(migrations.Migration):
    dependencies = [("payments", "0014_servicing_runs_over_celery")]
    operations = [migrations.RunPython(grant_view, migrations.RunPython.noop)]
