"""The disbursement's ledger posting, composed inside the acceptance transaction (no durability of
its own). A bid's hold and release are the ledger's own ``hold_funds``/``release_funds``."""

from collections import defaultdict
from decimal import Decimal

from payments.ledger import (
    account_for_reference,
    account_for_user,
    credit,
    debit,
    ledger_post,
    platform_account,
)
from payments.models import AccountKind


def loan_reference(loan_id: int) -> str:
    """The ledger's name for a loan's principal receivable (servicing credits it)."""
    return f"loan:{loan_id}"


def disbursement_post(*, loan_id, borrower_id, lender_amounts, fee, key, memo, acting_user):
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
