"""Risk officers review KYC documents one by one in the admin (issue 22): they may change a
document (its decision and note; the service checks they may change users too)."""

from django.db import migrations

from accounts.migration_helpers import grant_to_staff_groups


def grant_review(apps, schema_editor):
    grant_to_staff_groups(apps, "accounts", ["change_kycdocument"],
                          groups=("Risk officer", "Administrator"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0010_kyc_document_review")]
    operations = [migrations.RunPython(grant_review, migrations.RunPython.noop)]
