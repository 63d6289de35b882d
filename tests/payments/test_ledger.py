"""The ledger core: postings, idempotency, accounts, composition, the batch poster."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from payments.ledger import (
    IdempotencyConflict,
    InsufficientFunds,
    Posting,
    UnbalancedTransaction,
    account_for_reference,
    account_for_user,
    credit,
    debit,
    hold_funds,
    hold_legs,
    ledger_post,
    ledger_post_many,
    ledger_settle,
    ledger_write_many,
    platform_account,
    transfer_legs,
)
from payments.models import Account, AccountKind, LedgerLeg, LedgerTransaction
from payments.services import funds_hold, funds_release, funds_transfer
from tests.factories import make_user
from tests.money import available, fund, held

pytestmark = pytest.mark.django_db
D = Decimal
AVAILABLE, HELD = AccountKind.USER_AVAILABLE, AccountKind.USER_HELD


@pytest.fixture
def bank():
    return platform_account(AccountKind.EXTERNAL_BANK)


def test_a_deposit_credits_the_wallet_and_debits_the_bank(lender, bank):
    fund(lender, "125.00")
    bank.refresh_from_db()
    assert available(lender) == D("125.00")
    assert bank.balance == D("-125.00")  # sign convention: credits - debits
    txn = LedgerTransaction.objects.get(kind="deposit")
    assert sorted((leg.debit, leg.credit) for leg in txn.legs.all()) == [
        (D("0"), D("125.00")), (D("125.00"), D("0"))]


@pytest.mark.parametrize("legs", [
    [("a", "debit", "10.00")],
    [("a", "debit", "10.00"), ("b", "credit", "9.99")],
    [("a", "debit", "0.00"), ("b", "credit", "0.00")],
    [("a", "debit", "-5.00"), ("b", "credit", "-5.00")],
    [("a", "debit", "0.001"), ("b", "credit", "0.001")],
    [("a", "debit", "NaN"), ("b", "credit", "NaN")],
    [("a", "debit", "1000000000000.00"), ("b", "credit", "1000000000000.00")],
])
def test_it_refuses_legs_that_are_not_balanced_whole_cents(lender, bank, legs):
    accounts = {"a": bank, "b": account_for_user(lender.pk, AVAILABLE)}
    built = [(debit if side == "debit" else credit)(accounts[name], D(amount))
             for name, side, amount in legs]
    with pytest.raises(UnbalancedTransaction):
        ledger_post(kind="test", legs=built, idempotency_key="bad")
    assert not LedgerTransaction.objects.exists()


def test_the_database_refuses_a_leg_with_two_sides_or_a_negative_amount(lender):
    fund(lender, "5")
    txn = LedgerTransaction.objects.get()
    account = account_for_user(lender.pk, AVAILABLE)
    for debit_amount, credit_amount in [(D("1"), D("1")), (D("-1"), D("0")), (D("0"), D("0"))]:
        with pytest.raises(IntegrityError), transaction.atomic():
            LedgerLeg.objects.create(transaction=txn, account=account, debit=debit_amount,
                                     credit=credit_amount)


def test_the_database_refuses_a_negative_user_balance(lender):
    account = account_for_user(lender.pk, AVAILABLE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=account.pk).update(balance=D("-0.01"))
    bank = platform_account(AccountKind.EXTERNAL_BANK)
    Account.objects.filter(pk=bank.pk).update(balance=D("-0.01"))  # platform accounts may


def test_it_refuses_a_hold_above_available_and_changes_nothing(lender):
    fund(lender, "50")
    before = LedgerTransaction.objects.count()
    with pytest.raises(InsufficientFunds, match="Insufficient funds: 50.01 needed but only 50.00"):
        funds_hold(user=lender, amount="50.01", idempotency_key="h1")
    assert (available(lender), held(lender)) == (D("50.00"), D("0"))
    assert LedgerTransaction.objects.count() == before


def test_holds_and_releases_move_money_between_available_and_held(lender):
    fund(lender, "100")
    funds_hold(user=lender, amount="30", idempotency_key="h1")
    funds_release(user=lender, amount="10", idempotency_key="r1")
    assert (available(lender), held(lender)) == (D("80.00"), D("20.00"))
    with pytest.raises(InsufficientFunds, match="held funds"):
        funds_release(user=lender, amount="20.01", idempotency_key="r2")
    assert AuditEvent.objects.filter(event="funds.held").get().new["held"] == "30.00"


def test_a_repeated_key_returns_the_original_and_a_changed_one_is_refused(lender):
    fund(lender, "100")
    first = funds_hold(user=lender, amount="30", idempotency_key="bid-1")
    again = funds_hold(user=lender, amount="30.00", idempotency_key="bid-1")
    assert again.pk == first.pk and held(lender) == D("30.00")
    with pytest.raises(IdempotencyConflict, match="different parameters"):
        funds_hold(user=lender, amount="31", idempotency_key="bid-1")
    outsider = make_user()
    fund(outsider, "100")
    with pytest.raises(IdempotencyConflict):
        funds_hold(user=outsider, amount="30", idempotency_key="bid-1")
    assert held(outsider) == 0 and held(lender) == D("30.00")
    assert AuditEvent.objects.filter(event="funds.held").count() == 1


def test_transfers_move_money_between_users_and_from_platform_accounts(lender, borrower):
    fund(lender, "100")
    funds_transfer(from_user=lender, to_user=borrower, amount="40", idempotency_key="t1",
                   acting_user=lender)
    assert (available(lender), available(borrower)) == (D("60.00"), D("40.00"))
    with pytest.raises(InsufficientFunds):
        funds_transfer(from_user=lender, to_user=borrower, amount="60.01", idempotency_key="t2")
    # Platform-run bots get their cash from the platform's bot capital (which may go negative).
    funds_transfer(from_kind=AccountKind.PLATFORM_BOT_CAPITAL, to_user=borrower, amount="500",
                   idempotency_key="bot-capital-1", kind="bot_funding")
    assert available(borrower) == D("540.00")
    assert platform_account(AccountKind.PLATFORM_BOT_CAPITAL).balance == D("-500.00")


def test_account_helpers_return_one_account_per_code(lender):
    assert account_for_user(lender.pk, AVAILABLE).pk == account_for_user(lender.pk, AVAILABLE).pk
    loan = account_for_reference("loan:7", AccountKind.LOAN_PRINCIPAL)
    assert loan.code == "loan:7:loan_principal" and loan.user_id is None
    assert account_for_reference("loan:7", AccountKind.LOAN_PRINCIPAL).pk == loan.pk
    assert platform_account(AccountKind.PLATFORM_SERVICING_FEES).code == \
        "platform:platform_servicing_fees"
    with pytest.raises(ValueError):
        platform_account(AVAILABLE)
    with pytest.raises(ValueError):
        account_for_user(lender.pk, AccountKind.EXTERNAL_BANK)
    with pytest.raises(ValueError):
        account_for_reference("loan:7", HELD)


def test_an_account_created_concurrently_is_found_not_duplicated(lender, monkeypatch):
    from payments import ledger

    existing = account_for_user(lender.pk, HELD)
    calls = []
    real_filter = Account.objects.filter

    class Miss:  # the first lookup misses, as if another request were creating the row
        def __init__(self, *args, **kwargs):
            self.qs = real_filter(*args, **kwargs)

        def first(self):
            calls.append(1)
            return None

    monkeypatch.setattr(ledger.Account.objects, "filter", Miss, raising=False)
    found = ledger._get_or_create(existing.code, kind=HELD, user_id=lender.pk)
    assert found.pk == existing.pk and calls


def test_postings_composed_in_one_outer_transaction_commit_or_fail_together(lender, borrower):
    fund(lender, "100")
    fee = platform_account(AccountKind.PLATFORM_ORIGINATION_FEES)
    with pytest.raises(InsufficientFunds), transaction.atomic():
        hold_funds(user_id=lender.pk, amount=D("70"), key="c-hold")
        ledger_post(kind="fee", idempotency_key="c-fee", legs=[
            debit(account_for_user(lender.pk, AVAILABLE), D("30.01")), credit(fee, D("30.01"))])
    assert (available(lender), held(lender)) == (D("100.00"), D("0"))
    assert not LedgerTransaction.objects.filter(idempotency_key__startswith="c-").exists()


def test_the_batch_poster_writes_many_transactions_with_few_queries(bank):
    users = [make_user() for _ in range(30)]
    postings = [Posting(kind="deposit", idempotency_key=f"batch-{u.pk}",
                        legs=transfer_legs(bank, account_for_user(u.pk, AVAILABLE), D("10.00")))
                for u in users]
    postings += [Posting(kind="hold", idempotency_key=f"batch-hold-{u.pk}",
                         legs=hold_legs(u.pk, D("4.00"))) for u in users]
    with CaptureQueriesContext(connection) as queries:
        created = ledger_post_many(postings)
    assert len(created) == 60
    assert len(queries) <= 12, [q["sql"][:80] for q in queries]
    assert all((available(u), held(u)) == (D("6.00"), D("4.00")) for u in users)
    bank.refresh_from_db()
    assert bank.balance == D("-300.00")
    assert ledger_post_many(postings) == []  # idempotent
    assert LedgerTransaction.objects.count() == 60


def test_the_batch_poster_refuses_an_overdraft_anywhere_and_writes_nothing(bank):
    user = make_user()
    wallet = account_for_user(user.pk, AVAILABLE)
    postings = [Posting("deposit", transfer_legs(bank, wallet, D("5.00")), "b-1"),
                Posting("hold", hold_legs(user.pk, D("3.00")), "b-2"),
                Posting("hold", hold_legs(user.pk, D("2.01")), "b-3")]
    with pytest.raises(InsufficientFunds):
        ledger_post_many(postings)
    assert not LedgerTransaction.objects.exists() and available(user) == 0
    # Order matters: money must arrive before it leaves, even inside one batch.
    with pytest.raises(InsufficientFunds):
        ledger_post_many([Posting("hold", hold_legs(user.pk, D("1.00")), "o-1"),
                          Posting("deposit", transfer_legs(bank, wallet, D("5.00")), "o-2")])


def test_the_batch_poster_refuses_a_key_reused_with_other_legs(bank):
    user = make_user()
    wallet = account_for_user(user.pk, AVAILABLE)
    ledger_post_many([Posting("deposit", transfer_legs(bank, wallet, D("5.00")), "k-1")])
    with pytest.raises(IdempotencyConflict):
        ledger_post_many([Posting("deposit", transfer_legs(bank, wallet, D("6.00")), "k-1")])
    with pytest.raises(IdempotencyConflict):
        ledger_post_many([Posting("deposit", transfer_legs(bank, wallet, D("1.00")), "k-2"),
                          Posting("deposit", transfer_legs(bank, wallet, D("1.00")), "k-2")])
    assert available(user) == D("5.00")


def test_a_batch_written_first_and_settled_last_moves_balances_only_when_settled(bank):
    from payments.ledger_check import ledger_report

    users = [make_user() for _ in range(3)]
    postings = [Posting("deposit", transfer_legs(bank, account_for_user(u.pk, AVAILABLE),
                                                 D("7.00")), f"w-{u.pk}") for u in users]
    with transaction.atomic():
        written = ledger_write_many(postings)
        assert len(written.transactions) == 3 and LedgerLeg.objects.count() == 6
        assert all(available(u) == 0 for u in users)  # written, not yet settled
        ledger_settle(written)
        with pytest.raises(Exception, match="settled already"):
            ledger_settle(written)
    assert all(available(u) == D("7.00") for u in users)
    assert ledger_report().ok
    # A key that exists already is refused, not skipped: the caller checks its keys first.
    with pytest.raises(IdempotencyConflict), transaction.atomic():
        ledger_write_many(postings[:1])


def test_settling_a_batch_that_overdraws_raises_and_the_caller_rolls_back(bank):
    user = make_user()
    fund(user, "5.00")
    with pytest.raises(InsufficientFunds), transaction.atomic():
        ledger_settle(ledger_write_many([
            Posting("hold", hold_legs(user.pk, D("3.00")), "s-1"),
            Posting("hold", hold_legs(user.pk, D("2.01")), "s-2")]))
    assert (available(user), held(user)) == (D("5.00"), D("0"))
    assert not LedgerTransaction.objects.filter(idempotency_key__startswith="s-").exists()
