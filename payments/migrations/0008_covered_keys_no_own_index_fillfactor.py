# Foreign keys covered by a composite index lose their own index; pages keep room for updates.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from communitylend.core.migration_ops import fillfactor


class Migration(migrations.Migration):

    dependencies = [
        ('investments', '0003_note_keys_no_own_index_fillfactor'),
        ('loans', '0005_loan_borrower_no_own_index_fillfactor'),
        ('payments', '0007_balance_check_per_statement'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='account',
            name='user',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ledger_accounts', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='distribution',
            name='note',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='distributions', to='investments.note'),
        ),
        migrations.AlterField(
            model_name='distribution',
            name='repayment',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='distributions', to='payments.repayment'),
        ),
        migrations.AlterField(
            model_name='installment',
            name='loan',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='installments', to='loans.loan'),
        ),
        migrations.AlterField(
            model_name='ledgerleg',
            name='account',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='legs', to='payments.account'),
        ),
        migrations.AlterField(
            model_name='repayment',
            name='loan',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='repayments', to='loans.loan'),
        ),
        fillfactor("payments_account", 50),
        fillfactor("payments_installment", 80),
    ]
