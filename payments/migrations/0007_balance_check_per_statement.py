"""PostgreSQL: the ledger's balance check runs once per statement instead of once per leg.

0002/0004 ran a deferred trigger for every leg at commit (a SUM per leg: 260,000 of them for a
day of 20,000 repayments, most of the commit's time). These statement-level triggers check, at
the end of each INSERT, UPDATE or DELETE on the legs, every ledger transaction the statement
touched, with one set-based query over the statement's transition tables (STYLE.md rule 3: "the
ledger's balance check runs per statement or per transaction"). So every statement that writes
legs must write whole transactions: ``ledger_post`` inserts a transaction's legs in one INSERT,
``ledger_post_many`` all of a batch's legs in one COPY.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION payments_check_legs_balanced() RETURNS trigger AS $$
DECLARE
    bad record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT l.transaction_id AS id, SUM(l.debit) - SUM(l.credit) AS imbalance INTO bad
          FROM payments_ledgerleg l
         WHERE l.transaction_id IN (SELECT transaction_id FROM new_legs)
         GROUP BY l.transaction_id HAVING SUM(l.debit) <> SUM(l.credit) LIMIT 1;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT l.transaction_id AS id, SUM(l.debit) - SUM(l.credit) AS imbalance INTO bad
          FROM payments_ledgerleg l
         WHERE l.transaction_id IN (SELECT transaction_id FROM new_legs
                                    UNION SELECT transaction_id FROM old_legs)
         GROUP BY l.transaction_id HAVING SUM(l.debit) <> SUM(l.credit) LIMIT 1;
    ELSE
        SELECT l.transaction_id AS id, SUM(l.debit) - SUM(l.credit) AS imbalance INTO bad
          FROM payments_ledgerleg l
         WHERE l.transaction_id IN (SELECT transaction_id FROM old_legs)
         GROUP BY l.transaction_id HAVING SUM(l.debit) <> SUM(l.credit) LIMIT 1;
    END IF;
    IF bad.id IS NOT NULL THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (debits - credits = %)',
            bad.id, bad.imbalance USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS payments_ledgerleg_balanced ON payments_ledgerleg;
CREATE TRIGGER payments_ledgerleg_balanced_insert AFTER INSERT ON payments_ledgerleg
    REFERENCING NEW TABLE AS new_legs
    FOR EACH STATEMENT EXECUTE FUNCTION payments_check_legs_balanced();
CREATE TRIGGER payments_ledgerleg_balanced_update AFTER UPDATE ON payments_ledgerleg
    REFERENCING OLD TABLE AS old_legs NEW TABLE AS new_legs
    FOR EACH STATEMENT EXECUTE FUNCTION payments_check_legs_balanced();
CREATE TRIGGER payments_ledgerleg_balanced_delete AFTER DELETE ON payments_ledgerleg
    REFERENCING OLD TABLE AS old_legs
    FOR EACH STATEMENT EXECUTE FUNCTION payments_check_legs_balanced();
"""

RESTORE = """
DROP TRIGGER IF EXISTS payments_ledgerleg_balanced_insert ON payments_ledgerleg;
DROP TRIGGER IF EXISTS payments_ledgerleg_balanced_update ON payments_ledgerleg;
DROP TRIGGER IF EXISTS payments_ledgerleg_balanced_delete ON payments_ledgerleg;
DROP FUNCTION IF EXISTS payments_check_legs_balanced();
CREATE CONSTRAINT TRIGGER payments_ledgerleg_balanced
    AFTER INSERT OR UPDATE OR DELETE ON payments_ledgerleg
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION payments_check_transaction_balanced();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESTORE, params=None)


class Migration(migrations.Migration):
    dependencies = [("payments", "0006_servicing_schedule")]
    operations = [migrations.RunPython(create, restore)]
