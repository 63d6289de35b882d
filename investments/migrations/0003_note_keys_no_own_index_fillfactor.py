# Foreign keys covered by a composite index lose their own index; pages keep room for updates.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from communitylend.core.migration_ops import fillfactor


class Migration(migrations.Migration):

    dependencies = [
        ('investments', '0002_initial'),
        ('loans', '0005_loan_borrower_no_own_index_fillfactor'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='note',
            name='lender',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='notes', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='note',
            name='loan',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='notes', to='loans.loan'),
        ),
        fillfactor("investments_note", 80),
    ]
