"""Risk officers review KYC documents one by one in the admin (issue 22): they may change a
document (its decision and note; the service checks they may change users too)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_review(apps, schema_editor):
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    change = Permission.objects.filter(content_type__app_label="accounts",
                                       codename="change_kycdocument")
    for group in Group.objects.filter(name__in=("Risk officer", "Administrator")):
        group.permissions.add(*change)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0010_kyc_document_review")]
    operations = [migrations.RunPython(grant_review, migrations.RunPython.noop)]
