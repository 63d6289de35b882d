"""Random sequences of wallet operations keep every ledger invariant (hypothesis)."""

import uuid
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payments.checks import ledger_report
from payments.ledger import LedgerError
from payments.models import Account, AccountKind
from payments.selectors import total_in_user_wallets
from payments.services import (
    funds_hold,
    funds_release,
    funds_transfer,
    wallet_deposit,
    wallet_withdraw,
)
from tests.factories import make_user

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)
operation = st.tuples(st.sampled_from(["deposit", "withdraw", "hold", "release", "transfer"]),
                      st.integers(0, 2), st.integers(0, 2), amounts)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=25))
def test_random_money_operations_keep_the_ledger_consistent(ops):
    # Examples share the test's database transaction: each uses fresh users and unique keys.
    example = uuid.uuid4().hex[:8]
    users = [make_user(f"p{example}-{i}@example.com") for i in range(3)]
    start = total_in_user_wallets()
    deposited = withdrawn = Decimal("0")
    for step, (name, a, b, amount) in enumerate(ops):
        key = f"{example}-{step}"
        try:
            if name == "deposit":
                wallet_deposit(user=users[a], amount=amount, idempotency_key=key)
                deposited += amount
            elif name == "withdraw":
                wallet_withdraw(user=users[a], amount=amount, idempotency_key=key)
                withdrawn += amount
            elif name == "hold":
                funds_hold(user=users[a], amount=amount, idempotency_key=key)
            elif name == "release":
                funds_release(user=users[a], amount=amount, idempotency_key=key)
            else:
                funds_transfer(from_user=users[a], to_user=users[b], amount=amount,
                               idempotency_key=key)
        except LedgerError:
            pass
        report = ledger_report()
        assert report.ok, report
        assert not Account.objects.filter(
            kind__in=(AccountKind.USER_AVAILABLE, AccountKind.USER_HELD),
            balance__lt=0).exists()
        assert total_in_user_wallets() - start == deposited - withdrawn
