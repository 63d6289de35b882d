"""PostgreSQL: the balance trigger also re-checks the old transaction when an UPDATE moves a leg
to another transaction (0002 checked only the new one)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION payments_check_transaction_balanced() RETURNS trigger AS $$
DECLARE
    txn_id bigint;
    imbalance numeric;
BEGIN
    FOR txn_id IN
        SELECT DISTINCT t FROM unnest(ARRAY[
            CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN OLD.transaction_id END,
            CASE WHEN TG_OP IN ('UPDATE', 'INSERT') THEN NEW.transaction_id END]) AS t
        WHERE t IS NOT NULL
    LOOP
        SELECT COALESCE(SUM(debit), 0) - COALESCE(SUM(credit), 0) INTO imbalance
          FROM payments_ledgerleg WHERE transaction_id = txn_id;
        IF imbalance <> 0 THEN
            RAISE EXCEPTION 'ledger transaction % does not balance (debits - credits = %)',
                txn_id, imbalance USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


class Migration(migrations.Migration):
    dependencies = [("payments", "0003_installment")]
    # Backwards: keeping the stricter function is harmless, so there is nothing to undo.
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
