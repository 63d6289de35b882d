"""PostgreSQL: a deferred constraint trigger refuses, at commit, any ledger transaction whose legs
do not sum to zero. (On SQLite the service checks it before writing.)"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION payments_check_transaction_balanced() RETURNS trigger AS $$
DECLARE
    txn_id bigint;
    imbalance numeric;
BEGIN
    IF TG_OP = 'DELETE' THEN txn_id := OLD.transaction_id; ELSE txn_id := NEW.transaction_id; END IF;
    SELECT COALESCE(SUM(debit), 0) - COALESCE(SUM(credit), 0) INTO imbalance
      FROM payments_ledgerleg WHERE transaction_id = txn_id;
    IF imbalance <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (debits - credits = %)',
            txn_id, imbalance USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS payments_ledgerleg_balanced ON payments_ledgerleg;
CREATE CONSTRAINT TRIGGER payments_ledgerleg_balanced
    AFTER INSERT OR UPDATE OR DELETE ON payments_ledgerleg
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION payments_check_transaction_balanced();
"""

DROP = """
DROP TRIGGER IF EXISTS payments_ledgerleg_balanced ON payments_ledgerleg;
DROP FUNCTION IF EXISTS payments_check_transaction_balanced();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
