# Foreign keys covered by a composite index lose their own index; pages keep room for updates.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from communitylend.core.migration_ops import fillfactor


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
