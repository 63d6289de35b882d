"""The staff groups see the market's lists (view only, like every list); Administrators may use
the switch that halts trading; the switch's one row exists (trading open)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("listing", "trade", "buyorder", "marketcontrol")


def grant_and_create(apps, schema_editor):
    app_config = apps.get_app_config("investments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    views = Permission.objects.filter(content_type__app_label="investments",
                                      codename__in=[f"view_{m}" for m in MODELS])
    for group in Group.objects.filter(name__in=("Support", "Risk officer", "Administrator")):
        group.permissions.add(*views)
    switch = Permission.objects.filter(content_type__app_label="investments",
                                       codename="change_marketcontrol")
    for group in Group.objects.filter(name="Administrator"):
        group.permissions.add(*switch)
    apps.get_model("investments", "MarketControl").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("investments", "0004_secondary_market"),
                    ("accounts", "0007_staff_groups_see_new_models")]
    operations = [migrations.RunPython(grant_and_create, migrations.RunPython.noop)]
