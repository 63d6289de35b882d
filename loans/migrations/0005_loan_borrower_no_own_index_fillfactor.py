# Foreign keys covered by a composite index lose their own index; pages keep room for updates.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fillfactor(table: str, percent: int):
    """Leave room in each page for updated rows (PostgreSQL only): an UPDATE that finds room
    on the row's page and changes no indexed column writes no index entries (a HOT update).
    Applies to pages written from now on; ``VACUUM FULL`` the table to repack old ones."""

    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'ALTER TABLE "{table}" SET (fillfactor = {percent})')

    def revert(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'ALTER TABLE "{table}" RESET (fillfactor)')

    return migrations.RunPython(apply, revert, elidable=False)


class Migration(migrations.Migration):

    dependencies = [
        ('loans', '0004_loan_autopay_loan_days_past_due_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='loan',
            name='borrower',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='loans', to=settings.AUTH_USER_MODEL),
        ),
        fillfactor("loans_loan", 80),
    ]
