"""The staff groups and the loan-life models: every group sees them (view only, like every
list); Risk officers also decide hardship plans and record recoveries; Administrators do all."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("hardshipplan", "recovery", "recoveryshare", "reconciliationrun",
          "reconciliationbreak")
RISK_OFFICER = ("change_hardshipplan", "add_recovery")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("payments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="payments",
                                     content_type__model__in=MODELS)
    views = ours.filter(codename__startswith="view_")
    for group in Group.objects.filter(name__in=("Support", "Risk officer", "Administrator")):
        group.permissions.add(*views)
        if group.name == "Risk officer":
            group.permissions.add(*ours.filter(codename__in=RISK_OFFICER))
        if group.name == "Administrator":
            group.permissions.add(*ours)


class Migration(migrations.Migration):
    dependencies = [("payments", "0011_loan_life_settlement_hardship_recoveries"),
                    ("accounts", "0007_staff_groups_see_new_models")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
