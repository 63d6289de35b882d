"""Random sequences of money operations keep every ledger invariant (hypothesis).

Hypothesis examples share the test's database transaction (durable services cannot run inside a
per-example atomic), so each example uses fresh users and keys and compares totals to its start.
"""

import itertools
import uuid
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payments.ledger import (
    InsufficientFunds,
    LedgerError,
    Posting,
    account_for_user,
    hold_legs,
    ledger_post_many,
    platform_account,
    release_legs,
    transfer_legs,
)
from payments.ledger_check import ledger_report
from payments.models import AccountKind, LedgerTransaction
from payments.selectors import total_in_user_wallets, wallet_balances
from payments.services import (
    funds_hold,
    funds_release,
    funds_transfer,
    wallet_deposit,
    wallet_withdraw,
)
from tests.factories import make_user

ZERO = Decimal("0.00")
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)
operation = st.tuples(
    st.sampled_from(["deposit", "withdraw", "hold", "release", "transfer", "replay"]),
    st.integers(0, 2), st.integers(0, 2), amounts)
FAST = settings(max_examples=50, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
_examples = itertools.count()


def _fresh_users(n=3):
    tag = f"{next(_examples)}-{uuid.uuid4().hex[:6]}"
    return tag, [make_user(f"prop-{tag}-{i}@example.com") for i in range(n)]


def _run(name, users, a, b, amount, key):
    if name == "deposit":
        wallet_deposit(user=users[a], amount=amount, idempotency_key=key)
    elif name == "withdraw":
        wallet_withdraw(user=users[a], amount=amount, idempotency_key=key)
    elif name == "hold":
        funds_hold(user=users[a], amount=amount, idempotency_key=key)
    elif name == "release":
        funds_release(user=users[a], amount=amount, idempotency_key=key)
    else:
        funds_transfer(from_user=users[a], to_user=users[b], amount=amount, idempotency_key=key)


def _expected(name, model, a, b, amount):
    """The model's next state, or None when the ledger must refuse the operation."""
    avail, held = dict(model["available"]), dict(model["held"])
    if name == "deposit":
        avail[a] += amount
    elif name in ("withdraw", "hold"):
        if avail[a] < amount:
            return None
        avail[a] -= amount
        if name == "hold":
            held[a] += amount
    elif name == "release":
        if held[a] < amount:
            return None
        held[a] -= amount
        avail[a] += amount
    else:
        if a == b or avail[a] < amount:
            return None
        avail[a] -= amount
        avail[b] += amount
    return {"available": avail, "held": held}


@pytest.mark.django_db
@FAST
@given(st.lists(operation, min_size=1, max_size=25))
def test_random_money_operations_keep_the_ledger_consistent(ops):
    tag, users = _fresh_users()
    start = total_in_user_wallets()
    model = {"available": dict.fromkeys(range(3), ZERO), "held": dict.fromkeys(range(3), ZERO)}
    deposited = withdrawn = ZERO
    done = []  # (name, a, b, amount, key) of the steps that happened
    for step, (name, a, b, amount) in enumerate(ops):
        replay = name == "replay"
        if replay:
            if not done:
                continue
            name, a, b, amount, key = done[(a * 7 + b) % len(done)]
            expected = model  # the same key again: nothing happens twice
        else:
            key = f"{tag}-{step}"
            expected = _expected(name, model, a, b, amount)
        try:
            _run(name, users, a, b, amount, key)
        except LedgerError:
            assert expected is None, f"{name} {amount} was refused but should have happened"
        else:
            assert expected is not None, f"{name} {amount} happened but should have been refused"
            if not replay:
                done.append((name, a, b, amount, key))
                deposited += amount if name == "deposit" else ZERO
                withdrawn += amount if name == "withdraw" else ZERO
            model = expected

        report = ledger_report()
        assert report.ok, report  # legs sum to zero, cache == sum of legs, nothing negative
        for i, user in enumerate(users):
            balances = wallet_balances(user.pk)
            assert (balances["available"], balances["held"]) == (
                model["available"][i], model["held"][i])
        assert total_in_user_wallets() - start == deposited - withdrawn


batch_item = st.tuples(st.sampled_from(["deposit", "hold", "release", "transfer"]),
                       st.integers(0, 1), amounts)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(batch_item, min_size=1, max_size=30))
def test_a_batch_posts_all_or_nothing_with_the_same_result_as_one_by_one(items):
    tag, users = _fresh_users(2)
    bank = platform_account(AccountKind.EXTERNAL_BANK)
    wallets = [account_for_user(u.pk, AccountKind.USER_AVAILABLE) for u in users]
    postings = []
    model = {"available": dict.fromkeys(range(2), ZERO), "held": dict.fromkeys(range(2), ZERO)}
    feasible = True
    for i, (name, a, amount) in enumerate(items):
        if name == "deposit":
            legs = transfer_legs(bank, wallets[a], amount)
        elif name == "hold":
            legs = hold_legs(users[a].pk, amount)
        elif name == "release":
            legs = release_legs(users[a].pk, amount)
        else:
            legs = transfer_legs(wallets[a], wallets[1 - a], amount)
        postings.append(Posting(kind=name, legs=legs, idempotency_key=f"{tag}-b{i}"))
        if feasible:
            model = _expected(name, model, a, 1 - a, amount)
            feasible = model is not None
    before = LedgerTransaction.objects.count()
    if feasible:
        assert len(ledger_post_many(postings)) == len(postings)
        assert ledger_post_many(postings) == []
        for i, user in enumerate(users):
            balances = wallet_balances(user.pk)
            assert (balances["available"], balances["held"]) == (
                model["available"][i], model["held"][i])
    else:
        with pytest.raises(InsufficientFunds):
            ledger_post_many(postings)
        assert LedgerTransaction.objects.count() == before
        assert all(wallet_balances(u.pk)["total"] == 0 for u in users)
    assert ledger_report().ok
