"""The staff groups see which documents support an application (view only, like every list)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_view(apps, schema_editor):
    app_config = apps.get_app_config("loans")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(content_type__app_label="loans",
                                     codename="view_loandocument")
    for group in Group.objects.filter(name__in=("Support", "Risk officer", "Administrator")):
        group.permissions.add(*view)


class Migration(migrations.Migration):
    dependencies = [("loans", "0008_loan_documents"), ("accounts", "0003_staff_groups")]
    operations = [migrations.RunPython(grant_view, migrations.RunPython.noop)]
