"""The staff groups see the agreement versions and the signed copies (view only, like every
list); the Administrator also publishes new versions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("loanagreement", "signedagreement")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("loans")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="loans",
                                     content_type__model__in=MODELS)
    for group in Group.objects.filter(name__in=("Support", "Risk officer")):
        group.permissions.add(*ours.filter(codename__startswith="view_"))
    for group in Group.objects.filter(name="Administrator"):
        group.permissions.add(*ours)


class Migration(migrations.Migration):
    dependencies = [("loans", "0011_loan_agreement_first_version"),
                    ("accounts", "0003_staff_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
