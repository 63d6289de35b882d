"""Servicing's arithmetic (DESIGN.md, "Servicing"): pure functions on Decimal and on installment
and note objects held in memory (model instances or a batch's plain rows alike). No database: the
one-loan service and the batch path both call these, so a rule lives here once.

Allocation of a payment: late fees, then interest due, then principal due (installments due by
the payment date, oldest first), then prepayment of principal, which keeps the installment and
shortens the term (the rows not yet due and untouched are re-amortized from the new balance). A
payoff also settles the running period's interest accrued to the payment date.

Distribution: each part of a payment (principal, interest, late fee) is split across the loan's
notes in proportion to their outstanding principal before the payment, to the cent, by largest
remainder (ties by note id), so the parts sum exactly to the whole; each note then pays the 1%
servicing fee on its own total, half-even.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from communitylend.core.money import CENT, ZERO, cents
from investments.models import NoteStatus
from payments.amortization import rows_from_balance
from payments.models import InstallmentStatus

SERVICING_FEE_RATE = Decimal("0.01")
LATE_FEE_MIN = Decimal("15.00")
LATE_FEE_RATE = Decimal("0.05")
CLOSED_INSTALLMENT = (InstallmentStatus.PAID, InstallmentStatus.WAIVED)


# --- Splitting to the cent ----------------------------------------------------------------------


def split_largest_remainder(total: Decimal, weights: list[tuple[int, Decimal]]) -> dict[int, Decimal]:
    """Split ``total`` (cents) in proportion to ``weights`` [(id, weight)]; parts sum to total.
    Leftover cents go to the largest remainders, ties to the lowest id."""
    total = cents(total)
    weight_sum = sum((w for _, w in weights), ZERO)
    if total == 0 or weight_sum <= 0:
        return {key: ZERO for key, _ in weights}
    whole_cents = int(total / CENT)
    raw = [(key, Decimal(whole_cents) * w / weight_sum) for key, w in weights]
    floors = {key: int(share) for key, share in raw}
    left = whole_cents - sum(floors.values())
    order = sorted(raw, key=lambda item: (-(item[1] - int(item[1])), item[0]))
    for key, _ in order[:left]:
        floors[key] += 1
    return {key: Decimal(value) * CENT for key, value in floors.items()}


@dataclass(frozen=True, slots=True)
class NoteShare:
    """One note's part of a payment and the servicing fee it pays on it."""

    principal: Decimal
    interest: Decimal
    late_fee: Decimal
    fee: Decimal
    net: Decimal


def servicing_fee(gross: Decimal) -> Decimal:
    return cents(gross * SERVICING_FEE_RATE)


def note_shares(*, principal: Decimal, interest: Decimal, late_fees: Decimal,
                weights: list[tuple[int, Decimal]]) -> dict[int, NoteShare]:
    """Each note's share of a payment's parts, by outstanding principal (``weights``: [(note id,
    outstanding principal)] before the payment), less its servicing fee."""
    principal_parts = split_largest_remainder(principal, weights)
    interest_parts = split_largest_remainder(interest, weights)
    fee_parts = split_largest_remainder(late_fees, weights)
    shares = {}
    for note_id, _ in weights:
        gross = principal_parts[note_id] + interest_parts[note_id] + fee_parts[note_id]
        fee = servicing_fee(gross)
        shares[note_id] = NoteShare(principal_parts[note_id], interest_parts[note_id],
                                    fee_parts[note_id], fee, gross - fee)
    return shares


def note_receive(note, share: NoteShare) -> None:
    """A note's running figures after its share of a payment (a note paid down to zero is
    repaid)."""
    note.outstanding_principal -= share.principal
    note.principal_received += share.principal
    note.interest_received += share.interest
    note.late_fees_received += share.late_fee
    note.servicing_fees_paid += share.fee
    if note.outstanding_principal == 0:
        note.status = NoteStatus.REPAID


# --- Installments -------------------------------------------------------------------------------


def is_due(inst, as_of: date) -> bool:
    return inst.due_date <= as_of


def is_open(inst) -> bool:
    return inst.status not in CLOSED_INSTALLMENT


def amount_owed(inst) -> Decimal:
    """What settles an installment now: its unpaid principal, interest and late fee."""
    return (inst.total - inst.principal_paid - inst.interest_paid
            + inst.late_fee - inst.late_fee_paid)


def late_fee_for(inst) -> Decimal:
    """The greater of 15.00 and 5% of the installment."""
    return max(LATE_FEE_MIN, cents(inst.total * LATE_FEE_RATE))


def accrued_interest(inst, *, period_start: date, as_of: date) -> Decimal:
    """The running installment's unpaid interest pro rata to the days of its period elapsed."""
    period_days = max((inst.due_date - period_start).days, 1)
    elapsed = min(max((as_of - period_start).days, 0), period_days)
    return cents((inst.interest - inst.interest_paid) * elapsed / period_days)


# --- Applying a payment -------------------------------------------------------------------------


@dataclass
class Allocation:
    late_fees: Decimal = ZERO
    interest: Decimal = ZERO
    principal: Decimal = ZERO
    prepaid: Decimal = ZERO


def _take(inst, paid_field: str, owed: Decimal, left: Decimal) -> Decimal:
    take = min(left, owed)
    if take > 0:
        setattr(inst, paid_field, getattr(inst, paid_field) + take)
        return take
    return ZERO


def allocate(installments: list, amount: Decimal, as_of: date, *, payoff: bool,
             outstanding_principal: Decimal) -> Allocation:
    """Apply ``amount`` to the open ``installments`` in place (late fees, interest due,
    principal due, on a payoff the running period's interest, then prepayment) and return the
    parts."""
    left, result = amount, Allocation()
    for inst in installments:
        taken = _take(inst, "late_fee_paid", inst.late_fee - inst.late_fee_paid, left)
        result.late_fees, left = result.late_fees + taken, left - taken
    due = [i for i in installments if is_due(i, as_of)]
    for inst in due:
        taken = _take(inst, "interest_paid", inst.interest - inst.interest_paid, left)
        result.interest, left = result.interest + taken, left - taken
    for inst in due:
        taken = _take(inst, "principal_paid", inst.principal - inst.principal_paid, left)
        result.principal, left = result.principal + taken, left - taken
    if payoff and left > 0:
        # A payoff also settles the current period's accrued interest.
        upcoming = next((i for i in installments if not is_due(i, as_of)), None)
        if upcoming is not None:
            taken = _take(upcoming, "interest_paid", min(
                upcoming.interest - upcoming.interest_paid,
                left - (outstanding_principal - result.principal)), left)
            if taken:
                upcoming.interest = upcoming.interest_paid
            result.interest, left = result.interest + taken, left - taken
    if left > 0:  # prepayment of principal
        result.principal += left
        result.prepaid = left
    return result


def reamortize(installments: list, as_of: date, *, outstanding_principal: Decimal,
               rate: Decimal, installment: Decimal, start: date) -> None:
    """After a prepayment keep the installment and shorten the term: rows not yet due (and
    untouched) are rebuilt from the new balance; rows left over are waived."""
    future = [i for i in installments if not is_due(i, as_of) and i.principal_paid == 0
              and i.interest_paid == 0]
    if not future:
        return
    # Principal still scheduled in due/partly paid rows is part of the balance too.
    balance = outstanding_principal - sum((i.principal - i.principal_paid for i in installments
                                           if i not in future), ZERO)
    rows = rows_from_balance(balance, rate, installment, first_period=future[0].number,
                             start=start, max_periods=len(future)) if balance > 0 else []
    for inst, row in zip(future, rows, strict=False):
        inst.principal, inst.interest, inst.total = row.principal, row.interest, row.payment
        inst.due_date = row.due_date
    for inst in future[len(rows):]:
        inst.principal = inst.interest = inst.total = ZERO
        inst.status = InstallmentStatus.WAIVED


def settle_statuses(installments: list, *, now, repaid: bool) -> None:
    """Installments covered in full are paid, touched ones partial; once the loan is repaid the
    untouched rest is waived."""
    for inst in installments:
        if inst.principal_paid >= inst.principal and inst.interest_paid >= inst.interest \
                and inst.late_fee_paid >= inst.late_fee:
            inst.status = InstallmentStatus.PAID
            inst.paid_at = now
        elif inst.principal_paid or inst.interest_paid:
            inst.status = InstallmentStatus.PARTIAL
    if repaid:
        for inst in installments:
            if inst.status != InstallmentStatus.PAID:
                inst.status = (InstallmentStatus.PAID if inst.principal_paid or inst.interest_paid
                               else InstallmentStatus.WAIVED)
