"""``manage.py ledger_check``: passes after real scenarios, fails (non-zero) on any violation."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from payments.gateways import GatewayResult
from payments.gateways.sandbox import SandboxGateway
from payments.ledger import Posting, account_for_user, hold_legs, ledger_post_many, transfer_legs
from payments.models import Account, AccountKind, LedgerTransaction
from payments.services import (
    funds_hold,
    funds_release,
    funds_transfer,
    payment_fail,
    wallet_deposit,
    wallet_withdraw,
)
from tests.factories import make_user
from tests.money import fund

pytestmark = pytest.mark.django_db
D = Decimal


def _check() -> str:
    out = StringIO()
    call_command("ledger_check", stdout=out)
    return out.getvalue()


def test_ledger_check_passes_after_a_day_of_wallet_activity(lender, borrower, monkeypatch):
    fund(lender, "1000")
    fund(borrower, "50")
    funds_hold(user=lender, amount="300", idempotency_key="bid-1")
    funds_release(user=lender, amount="100", idempotency_key="bid-1-release")
    funds_transfer(from_user=lender, to_user=borrower, amount="75.25", idempotency_key="t-1")
    funds_transfer(from_kind=AccountKind.PLATFORM_BOT_CAPITAL, to_user=make_user(),
                   amount="5000", idempotency_key="bot-1")
    wallet_withdraw(user=borrower, amount="25.25")
    bank = Account.objects.get(kind=AccountKind.EXTERNAL_BANK)
    ledger_post_many([
        Posting("deposit", transfer_legs(bank, account_for_user(lender.pk,
                                                                AccountKind.USER_AVAILABLE),
                                         D("10.00")), "batch-1"),
        Posting("hold", hold_legs(lender.pk, D("10.00")), "batch-2"),
    ])
    monkeypatch.setattr(SandboxGateway, "create_withdrawal", lambda self, p: GatewayResult())
    pending, _ = wallet_withdraw(user=lender, amount="20")  # still at the provider
    failed, _ = wallet_withdraw(user=lender, amount="30")
    payment_fail(payment_id=failed.pk, reason="bank refused")
    monkeypatch.undo()
    wallet_deposit(user=lender, amount="1", idempotency_key="again")
    wallet_deposit(user=lender, amount="1", idempotency_key="again")

    output = _check()
    last = output.strip().splitlines()[-1]
    assert last.startswith("ledger_check: ") and last.endswith(" - OK"), output
    assert "0 unbalanced, 0 cache mismatches, 0 negative" in last


def test_ledger_check_fails_on_a_corrupted_cached_balance(lender):
    fund(lender, "10")
    Account.objects.filter(user=lender, kind="user_available").update(balance=D("11"))
    out = StringIO()
    with pytest.raises(CommandError, match="1 cache mismatches.* - FAILED") as failure:
        call_command("ledger_check", stdout=out)
    assert failure.value.returncode == 1
    assert f"CACHE MISMATCH user:{lender.pk}:user_available: cached 11.00 legs 10.00" in out.getvalue()


def test_ledger_check_fails_on_an_unbalanced_transaction(lender):
    # Written behind the services' back. On PostgreSQL the balance trigger refuses such a
    # statement at once, so the leg is written with the triggers off (as a restore or a replica
    # would) and removed again at the end; before that, the check must find it on its own.
    fund(lender, "10")
    account = Account.objects.get(user=lender, kind="user_available")
    txn = LedgerTransaction.objects.create(kind="raw", idempotency_key="raw", fingerprint="x")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("INSERT INTO payments_ledgerleg (transaction_id, account_id, debit, credit)"
                       " VALUES (%s, %s, 0, 3.00)", [txn.pk, account.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    Account.objects.filter(pk=account.pk).update(balance=D("13"))  # cache agrees: only the sum is off
    out = StringIO()
    with pytest.raises(CommandError, match="1 unbalanced"):
        call_command("ledger_check", stdout=out)
    assert f"UNBALANCED transaction {txn.pk}: debits 0.00 credits 3.00" in out.getvalue()
    assert "LEDGER TOTAL 3.00" in out.getvalue()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM payments_ledgerleg WHERE transaction_id = %s", [txn.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    txn.delete()
    Account.objects.filter(pk=account.pk).update(balance=D("10"))
    assert _check().strip().endswith("- OK")
