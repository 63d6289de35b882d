"""Concurrency and the database's own balance check: PostgreSQL only (CI runs them; locally
DATABASE_URL=postgres://postgres@127.0.0.1:5432/communitylend pytest tests/payments)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError

from communitylend.core.errors import ApplicationError
from payments.ledger import account_for_user
from payments.ledger_check import ledger_report
from payments.models import Account, AccountKind, GatewayPayment, LedgerLeg, LedgerTransaction
from payments.services import funds_hold, funds_transfer, wallet_deposit, wallet_withdraw
from tests.factories import make_user
from tests.money import available, fund, held
from tests.payments.conftest import postgres_only

pytestmark = postgres_only
D = Decimal


def _in_threads(count, work):
    """Run work(i) in ``count`` threads started together; returns their outcomes."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except ApplicationError as exc:
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_withdrawing_and_holding_never_overdraw_one_wallet():
    user = make_user("busy@example.com")
    fund(user, "1000")

    def work(i):
        if i % 2:
            return wallet_withdraw(user=user, amount=D("90"), idempotency_key=f"w{i}")
        return funds_hold(user=user, amount=D("90"), idempotency_key=f"h{i}")

    outcomes = _in_threads(20, work)
    refused = [o for o in outcomes if isinstance(o, ApplicationError)]
    assert len(refused) == 9, outcomes  # 1000 covers exactly 11 of the 20 moves of 90
    assert all(str(o).startswith("Insufficient funds") for o in refused)
    withdrawals = GatewayPayment.objects.filter(direction="withdrawal", status="settled").count()
    holds = LedgerTransaction.objects.filter(kind="hold").count()
    assert withdrawals + holds == 11
    assert available(user) == D("10.00")
    assert held(user) == D("90") * holds
    assert available(user) + held(user) == D("1000") - D("90") * withdrawals
    assert ledger_report().ok


@pytest.mark.django_db(transaction=True)
def test_the_same_deposit_sent_by_ten_threads_at_once_credits_once():
    user = make_user("double@example.com")
    outcomes = _in_threads(10, lambda i: wallet_deposit(user=user, amount=D("25"),
                                                        idempotency_key="same-key"))
    assert not any(isinstance(o, ApplicationError) for o in outcomes), outcomes
    assert sum(1 for _, created in outcomes if created) == 1
    assert available(user) == D("25.00")
    assert LedgerTransaction.objects.filter(kind="deposit").count() == 1
    assert ledger_report().ok


@pytest.mark.django_db(transaction=True)
def test_opposite_transfers_at_once_do_not_deadlock():
    alice, bob = make_user("alice@example.com"), make_user("bob@example.com")
    fund(alice, "100")
    fund(bob, "100")

    def work(i):
        source, target = (alice, bob) if i % 2 else (bob, alice)
        return funds_transfer(from_user=source, to_user=target, amount=D("1"),
                              idempotency_key=f"x{i}")

    outcomes = _in_threads(20, work)
    assert not any(isinstance(o, ApplicationError) for o in outcomes), outcomes
    assert (available(alice), available(bob)) == (D("100.00"), D("100.00"))
    assert ledger_report().ok


@pytest.mark.django_db(transaction=True)
def test_the_trigger_itself_rejects_an_unbalanced_transaction():
    user = make_user("raw@example.com")
    fund(user, "5")
    account = account_for_user(user.pk, AccountKind.USER_AVAILABLE)
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
    assert available(user) == D("5.00")
    assert ledger_report().ok


@pytest.mark.django_db(transaction=True)
def test_the_trigger_rejects_editing_or_deleting_a_leg_of_a_balanced_transaction():
    user = make_user("edit@example.com")
    fund(user, "5")
    leg = LedgerLeg.objects.filter(account__user=user).get()
    with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
        LedgerLeg.objects.filter(pk=leg.pk).update(credit=D("6.00"))
    with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM payments_ledgerleg WHERE id = %s", [leg.pk])
    other = LedgerTransaction.objects.create(kind="raw", idempotency_key="raw-2", fingerprint="x")
    with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
        LedgerLeg.objects.filter(pk=leg.pk).update(transaction=other)
    assert ledger_report().transactions == 2  # the empty 'raw-2' is reported, not hidden
    assert not ledger_report().ok
    LedgerTransaction.objects.filter(pk=other.pk).delete()
    assert ledger_report().ok


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_negative_wallet_even_without_the_service():
    user = make_user("neg@example.com")
    fund(user, "5")
    with pytest.raises(DatabaseError), transaction.atomic():
        Account.objects.filter(user=user, kind=AccountKind.USER_AVAILABLE).update(
            balance=D("-1"))
