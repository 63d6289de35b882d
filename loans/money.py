"""The marketplace's money moves, all through the payments ledger, composed inside the calling
service's transaction (no durability of their own)."""

from collections import defaultdict
from decimal import Decimal

from payments.ledger import (
    account_for_reference,
    account_for_user,
    credit,
    debit,
    hold_funds,
    ledger_post,
    platform_account,
    release_funds,
)
from payments.models import AccountKind


def loan_reference(loan_id: int) -> str:
    return f"loan:{loan_id}"


def hold(*, user_id, amount, key, memo, acting_user):
    """A bid's reservation: the lender's available cash -> held."""
    return hold_funds(user_id=user_id, amount=amount, key=key, memo=memo,
                      acting_user=acting_user)


def release(*, user_id, amount, key, memo, acting_user):
    return release_funds(user_id=user_id, amount=amount, key=key, memo=memo,
                         acting_user=acting_user)


def disburse(*, loan_id, borrower_id, lender_amounts, fee, key, memo, acting_user):
    """One transaction: each lender's held cash becomes invested principal; the loan's principal
    receivable records what the borrower owes; the borrower's wallet gets the amount less the
    origination fee, which is platform revenue."""
    per_lender: dict[int, Decimal] = defaultdict(Decimal)
    for lender_id, amount in lender_amounts:
        per_lender[lender_id] += Decimal(amount)
    principal = sum(per_lender.values(), Decimal("0.00"))
    legs = []
    for lender_id, amount in sorted(per_lender.items()):
        legs.append(debit(account_for_user(lender_id, AccountKind.USER_HELD), amount))
        legs.append(credit(account_for_user(lender_id, AccountKind.USER_INVESTED), amount))
    legs.append(debit(account_for_reference(loan_reference(loan_id), AccountKind.LOAN_PRINCIPAL),
                      principal))
    legs.append(credit(account_for_user(borrower_id, AccountKind.USER_AVAILABLE),
                       principal - fee))
    if fee:
        legs.append(credit(platform_account(AccountKind.PLATFORM_ORIGINATION_FEES), fee))
    return ledger_post(kind="disbursement", legs=legs, idempotency_key=key, memo=memo,
                       acting_user=acting_user)
