"""Concurrency and the database's own balance check: PostgreSQL only (runs in CI)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError

from communitylend.errors import ApplicationError
from payments.checks import ledger_report
from payments.models import Account, LedgerTransaction
from payments.services import funds_hold, wallet_withdraw
from tests.factories import make_user
from tests.money import available, fund, held

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_withdrawing_and_holding_never_overdraw_one_wallet():
    user = make_user("busy@example.com")
    fund(user, "1000")
    barrier = threading.Barrier(20)
    outcomes = []

    def worker(i):
        try:
            barrier.wait()
            if i % 2:
                wallet_withdraw(user=user, amount=Decimal("90"), idempotency_key=f"w{i}")
            else:
                funds_hold(user=user, amount=Decimal("90"), idempotency_key=f"h{i}")
            outcomes.append("ok")
        except ApplicationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 11 and outcomes.count("refused") == 9
    assert available(user) == Decimal("10.00")
    assert held(user) + available(user) + Decimal("90") * sum(
        1 for i in range(1, 20, 2)) >= Decimal("0")
    assert ledger_report().ok


@pytest.mark.django_db(transaction=True)
def test_the_trigger_itself_rejects_an_unbalanced_transaction():
    user = make_user("raw@example.com")
    fund(user, "5")
    account = Account.objects.get(user=user, kind="user_available")
    with pytest.raises(DatabaseError, match="does not balance"):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO payments_ledgertransaction (kind, memo, idempotency_key, "
                    "fingerprint, created_at) VALUES ('raw', '', 'raw-1', 'x', now()) "
                    "RETURNING id")
                txn_id = cursor.fetchone()[0]
                cursor.execute(
                    "INSERT INTO payments_ledgerleg (transaction_id, account_id, debit, credit) "
                    "VALUES (%s, %s, 0, 7.00)", [txn_id, account.pk])
    assert not LedgerTransaction.objects.filter(idempotency_key="raw-1").exists()
    assert ledger_report().ok
