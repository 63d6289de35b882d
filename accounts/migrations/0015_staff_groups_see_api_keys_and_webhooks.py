"""The staff groups see API keys, webhook endpoints and deliveries (view only, like every list:
the admin never shows a key's hash or an endpoint's secret)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("apikey", "webhookendpoint", "webhookdelivery")


def grant_view(apps, schema_editor):
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    views = Permission.objects.filter(content_type__app_label="accounts",
                                      codename__in=[f"view_{m}" for m in MODELS])
    for group in Group.objects.filter(name__in=("Support", "Risk officer", "Administrator")):
        group.permissions.add(*views)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0014_feature_flag_overrides")]
    operations = [migrations.RunPython(grant_view, migrations.RunPython.noop)]
