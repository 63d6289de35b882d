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
from typing import NamedTuple

from communitylend.core.money import CENT, SERVICING_FEE_RATE, ZERO, cents
from investments.models import NoteStatus
from payments.amortization import add_months, installment_amount, monthly_rate, rows_from_balance
from payments.models import ApplyTo as PaymentApplyTo
from payments.models import InstallmentStatus

LATE_FEE_MIN = Decimal("15.00")
LATE_FEE_RATE = Decimal("0.05")
# A hardship deferral's rows are not due either: their interest is added to the principal at the
# plan's end (or paid with a payoff before it).
CLOSED_INSTALLMENT = (InstallmentStatus.PAID, InstallmentStatus.WAIVED, InstallmentStatus.DEFERRED)


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


class NoteShare(NamedTuple):
    """One note's part of a payment and the servicing fee it pays on it (a tuple: a day's
    servicing makes 100,000)."""

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
    """What settles an installment now: its unpaid principal, interest and fees."""
    return inst.total - inst.principal_paid - inst.interest_paid + fees_unpaid(inst)


def fees_unpaid(inst) -> Decimal:
    """The row's unpaid late fee and platform fee (a returned payment's)."""
    return inst.late_fee - inst.late_fee_paid + inst.platform_fee - inst.platform_fee_paid


def due_by(installments: list, as_of: date) -> Decimal:
    """What settles every installment due by ``as_of``: their unpaid principal, interest and
    fees."""
    return sum((amount_owed(i) for i in installments if is_open(i) and is_due(i, as_of)), ZERO)


def close_at_paid(inst) -> Decimal:
    """Close a row at what was paid on it and return the interest it no longer carries (a
    hardship plan adds it to the principal); a row with unpaid fees stays open for them."""
    unpaid = inst.interest - inst.interest_paid
    inst.principal, inst.interest = inst.principal_paid, inst.interest_paid
    inst.total = inst.principal + inst.interest
    if not fees_unpaid(inst):
        inst.status = InstallmentStatus.PAID if inst.total else InstallmentStatus.WAIVED
    return unpaid


def principal_or_interest_unpaid(inst) -> bool:
    return inst.principal_paid < inst.principal or inst.interest_paid < inst.interest


def late_fee_for(inst, installment: Decimal) -> Decimal:
    """The greater of 15.00 and 5% of the installment's scheduled amount (its principal plus
    interest; a row that carries a prepayment counts the installment amount only)."""
    return max(LATE_FEE_MIN, cents(min(inst.principal + inst.interest, installment)
                                   * LATE_FEE_RATE))


def days_past_due_of(installments: list, as_of: date) -> int:
    """Days since the due date of the oldest installment with unpaid principal or interest (fees
    alone do not count); 0 when there is none."""
    oldest = next((i for i in installments if i.due_date < as_of and is_open(i)
                   and principal_or_interest_unpaid(i)), None)
    return (as_of - oldest.due_date).days if oldest else 0


def period_start(installments: list, inst, disbursed_on: date) -> date:
    """The day ``inst``'s period began: the previous installment's due date (the disbursement
    date for the first). ``installments`` is the whole schedule, in order."""
    previous = [i.due_date for i in installments if i.number < inst.number]
    return max(previous, default=disbursed_on)


def running_installment(installments: list, as_of: date):
    """The first open installment not yet due (the period running on ``as_of``), or None."""
    return next((i for i in installments if is_open(i) and not is_due(i, as_of)), None)


def accrued_interest(inst, *, started: date, as_of: date) -> Decimal:
    """Interest of ``inst``'s period accrued to ``as_of`` and not yet paid: its scheduled
    interest x days elapsed / days in the period, half-even, less what is paid (never below 0)."""
    period_days = max((inst.due_date - started).days, 1)
    elapsed = min(max((as_of - started).days, 0), period_days)
    return max(cents(inst.interest * elapsed / period_days) - inst.interest_paid, ZERO)


# --- Applying a payment -------------------------------------------------------------------------


class ApplyTo:
    """What a payment beyond what is due goes to: a borrower asks for ``INSTALLMENT`` (the next
    installment ahead, then principal) or ``PRINCIPAL`` (the running period's accrued interest,
    then principal); a payment of exactly the payoff quote is a ``PAYOFF``."""

    INSTALLMENT = PaymentApplyTo.INSTALLMENT.value
    PRINCIPAL = PaymentApplyTo.PRINCIPAL.value
    PAYOFF = "payoff"
    ALL = tuple(PaymentApplyTo.values)


@dataclass
class Terms:
    """What allocation needs of the loan besides its installments."""

    outstanding_principal: Decimal
    rate: Decimal  # percent a year
    installment: Decimal
    disbursed_on: date


@dataclass
class Allocation:
    platform_fees: Decimal = ZERO  # owed to the platform (returned payments), not the lenders
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


def _pay_row(inst, left: Decimal, result: Allocation) -> Decimal:
    """An installment's platform fee (a returned payment's), late fee, then its interest, then
    its principal; returns what is left."""
    for paid_field, owed, part in (
            ("platform_fee_paid", inst.platform_fee - inst.platform_fee_paid, "platform_fees"),
            ("late_fee_paid", inst.late_fee - inst.late_fee_paid, "late_fees"),
            ("interest_paid", inst.interest - inst.interest_paid, "interest"),
            ("principal_paid", inst.principal - inst.principal_paid, "principal")):
        taken = _take(inst, paid_field, owed, left)
        setattr(result, part, getattr(result, part) + taken)
        left -= taken
    return left


PAID_FIELDS = ("principal_paid", "interest_paid", "late_fee_paid", "platform_fee_paid")


def paid_snapshot(installments: list, *, since: dict | None = None) -> dict:
    """{row number: [principal, interest, late fee, platform fee paid]}; with ``since`` (an
    earlier snapshot) what was paid in between, only on the rows it touched (strings: the
    repayment keeps it as JSON)."""
    now = {i.number: [getattr(i, f) for f in PAID_FIELDS] for i in installments}
    if since is None:
        return now
    return {str(n): [str(a - b) for a, b in zip(paid, since[n], strict=True)]
            for n, paid in now.items() if paid != since[n]}


def take_back(installments: list, applied: dict) -> None:
    """Undo what a payment applied to the rows (``paid_snapshot(..., since=...)``) and give
    each touched row the status it has without it."""
    by_number = {i.number: i for i in installments}
    for number, amounts in applied.items():
        inst = by_number[int(number)]
        for paid_field, amount in zip(PAID_FIELDS, amounts, strict=True):
            setattr(inst, paid_field, getattr(inst, paid_field) - Decimal(amount))
        if amount_owed(inst) <= 0:
            continue
        inst.paid_at = None
        if inst.principal_paid or inst.interest_paid or inst.late_fee_paid \
                or inst.platform_fee_paid:
            inst.status = InstallmentStatus.PARTIAL
        else:
            inst.status = InstallmentStatus.LATE if inst.late_fee else InstallmentStatus.DUE


def payoff_amount(installments: list, as_of: date, terms: Terms) -> Decimal:
    """Outstanding principal + unpaid interest of installments due + the running period's
    accrued interest + unpaid fees: what closes the loan on ``as_of``."""
    open_rows = [i for i in installments if is_open(i)]
    fees = sum((fees_unpaid(i) for i in open_rows), ZERO)
    interest = sum((i.interest - i.interest_paid for i in open_rows if is_due(i, as_of)), ZERO)
    interest += sum(deferred_interest(installments, as_of, terms).values(), ZERO)
    running = running_installment(installments, as_of)
    if running is not None:
        interest += accrued_interest(running, started=period_start(
            installments, running, terms.disbursed_on), as_of=as_of)
    return terms.outstanding_principal + interest + fees


def deferred_interest(installments: list, as_of: date, terms: Terms) -> dict:
    """{row number: interest not yet paid}: what a hardship deferral's rows have accrued by
    ``as_of`` (a past month's whole interest, the running month's by days): not due, added to
    the principal at the plan's end, settled by a payoff or extra principal before it."""
    owed = {}
    for inst in installments:
        if inst.status != InstallmentStatus.DEFERRED:
            continue
        accrued = accrued_interest(inst, started=period_start(
            installments, inst, terms.disbursed_on), as_of=as_of)
        if accrued > 0:
            owed[inst.number] = accrued
    return owed


def allocate(installments: list, amount: Decimal, as_of: date, *, apply_to: str,
             terms: Terms) -> Allocation:
    """Apply ``amount`` to the schedule in place (DESIGN.md, "Servicing: the exact rules") and
    return the parts: the installments due, oldest first (each its late fee, interest,
    principal); then on ``ApplyTo.INSTALLMENT`` the next installment paid ahead, on
    ``PRINCIPAL`` and ``PAYOFF`` the running period's accrued interest; what is left prepays
    principal. ``installments`` is the whole schedule in order; the caller makes a payment equal
    to the payoff quote a ``PAYOFF`` and refuses more."""
    result = Allocation()
    left = amount
    for inst in installments:
        if left > 0 and is_open(inst) and is_due(inst, as_of):
            left = _pay_row(inst, left, result)
    running = running_installment(installments, as_of)
    if left <= 0 or running is None:
        return result
    if apply_to == ApplyTo.INSTALLMENT:
        left = _pay_row(running, left, result)
    else:
        # A deferral's interest accrued so far first (its rows precede the running one).
        by_number = {i.number: i for i in installments}
        for number, accrued in deferred_interest(installments, as_of, terms).items():
            taken = _take(by_number[number], "interest_paid", accrued, left)
            result.interest, left = result.interest + taken, left - taken
        accrued = accrued_interest(running, started=period_start(
            installments, running, terms.disbursed_on), as_of=as_of)
        taken = _take(running, "interest_paid", accrued, left)
        result.interest, left = result.interest + taken, left - taken
    if left <= 0:
        return result
    _prepay(installments, running, left, as_of, apply_to=apply_to, terms=terms,
            balance_after=terms.outstanding_principal - result.principal - left)
    result.principal += left
    result.prepaid = left
    return result


def _prepay(installments: list, running, amount: Decimal, as_of: date, *, apply_to: str,
            terms: Terms, balance_after: Decimal) -> None:
    """Record ``amount`` of prepaid principal on the running installment and rebuild what
    follows (DESIGN.md: a prepayment keeps the installment and shortens the term). On "extra
    principal" the running installment's interest becomes what was paid of it plus the new
    balance's interest for the days left, and its principal the installment less that; the rows
    after it not yet touched are re-amortized from what is left; rows no longer needed are
    waived at zero. A payoff leaves nothing to rebuild."""
    running.principal += amount
    running.principal_paid += amount
    later = [i for i in installments if i.number > running.number and is_open(i)]
    if apply_to == ApplyTo.PAYOFF or balance_after <= 0:
        _waive([running, *later])
        _close_deferred(installments)
        return
    if apply_to == ApplyTo.PRINCIPAL:
        started = period_start(installments, running, terms.disbursed_on)
        days = max((running.due_date - started).days, 1)
        days_left = min(max((running.due_date - as_of).days, 0), days)
        running.interest = running.interest_paid + cents(
            balance_after * monthly_rate(terms.rate) * days_left / days)
        scheduled = min(max(terms.installment - running.interest, ZERO), balance_after)
        running.principal = running.principal_paid + scheduled
    running.total = running.principal + running.interest
    untouched = [i for i in later if not i.principal_paid and not i.interest_paid]
    kept = sum((i.principal - i.principal_paid for i in later if i not in untouched), ZERO)
    _reamortize(untouched, balance_after - (running.principal - running.principal_paid) - kept,
                terms)


def _waive(rows: list) -> None:
    """Rows a payoff or prepayment no longer needs: a touched row keeps what was paid on it as
    its amounts, an untouched one goes to zero, waived."""
    for inst in rows:
        if inst.principal_paid or inst.interest_paid:
            inst.principal, inst.interest = inst.principal_paid, inst.interest_paid
            inst.total = inst.principal + inst.interest
        else:
            inst.principal = inst.interest = inst.total = ZERO
            inst.status = InstallmentStatus.WAIVED


def _close_deferred(installments: list) -> None:
    """A deferral's rows once the loan is paid off: what was paid of their interest is all
    they carry."""
    for inst in installments:
        if inst.status == InstallmentStatus.DEFERRED:
            close_at_paid(inst)


def _reamortize(future: list, balance: Decimal, terms: Terms) -> None:
    """The untouched rows after the running one, rebuilt from ``balance`` with the same
    installment (the term shortens); the last row takes what is left; rows left over are waived
    at zero."""
    if not future:
        return
    rows = rows_from_balance(balance, terms.rate, terms.installment,
                             first_period=future[0].number, start=terms.disbursed_on,
                             max_periods=len(future)) if balance > 0 else []
    for inst, row in zip(future, rows, strict=False):
        inst.principal, inst.interest, inst.total = row.principal, row.interest, row.payment
        inst.due_date = row.due_date
    _waive(future[len(rows):])


def settle_statuses(installments: list, *, now, repaid: bool) -> None:
    """Installments covered in full are paid, touched ones partial; once the loan is repaid
    whatever is left is waived."""
    for inst in installments:
        if not is_open(inst):
            continue
        if inst.principal_paid >= inst.principal and inst.interest_paid >= inst.interest \
                and inst.late_fee_paid >= inst.late_fee \
                and inst.platform_fee_paid >= inst.platform_fee:
            inst.status = InstallmentStatus.PAID
            inst.paid_at = inst.paid_at or now
        elif inst.principal_paid or inst.interest_paid or inst.late_fee_paid \
                or inst.platform_fee_paid:
            inst.status = InstallmentStatus.PARTIAL
    if repaid:
        _waive([i for i in installments if is_open(i)])
        for inst in installments:
            if is_open(inst) and (inst.principal_paid or inst.interest_paid):
                inst.status = InstallmentStatus.PAID
                inst.paid_at = inst.paid_at or now


# --- Hardship plans -----------------------------------------------------------------------------

HARDSHIP_MAX_MONTHS = {"deferral": 3, "reduced": 6}


class HardshipRow(NamedTuple):
    number: int
    due_date: date
    principal: Decimal
    interest: Decimal
    status: str


@dataclass
class Reschedule:
    """What a hardship plan does to a schedule: the rows from the plan's first month on (the
    caller writes them over the untouched future rows in order and creates the rest), the
    arrears' interest added to the principal now, the interest the plan's months will add at
    its end (a deferral's; a reduced plan's borrower pays it), the installment after the plan
    and the plan's last day."""

    rows: list[HardshipRow]
    capitalized: Decimal
    plan_interest: Decimal
    installment: Decimal
    ends_on: date


def hardship_reschedule(installments: list, *, kind: str, months: int, as_of: date,
                        terms: Terms) -> Reschedule:
    """DESIGN.md, "Servicing: the exact rules", Hardship, on approval. The rows due by
    ``as_of`` and any future row already touched are closed at what was paid on them (unpaid
    fees stay due as fees); their unpaid principal stays in the balance and their unpaid
    interest is added to it (capitalized, from today). The plan's months: a deferral's rows are
    deferred (nothing due; each accrues the month's interest on the new balance, added to the
    principal at the plan's end); a reduced plan's are due and are the month's interest. Then
    the balance at the plan's end re-amortizes at the loan's rate over the remaining term (plus
    the deferred months). ``installments`` is the whole schedule in order; the rows closed are
    changed in place. Raises ValueError when the plan does not fit the loan."""
    if months < 1 or months > HARDSHIP_MAX_MONTHS.get(kind, 0):
        raise ValueError(f"a {kind} plan lasts 1 to {HARDSHIP_MAX_MONTHS.get(kind, 0)} months")
    open_rows = [i for i in installments if is_open(i)]
    future = [i for i in open_rows if not is_due(i, as_of)
              and not i.principal_paid and not i.interest_paid]
    closing = [i for i in open_rows if i not in future]
    principal = sum((i.principal - i.principal_paid for i in open_rows), ZERO)
    if principal <= 0 or not future:
        raise ValueError("nothing left to reschedule on this loan")
    remaining = len(future) if kind == "deferral" else len(future) - months
    if remaining < 1:
        raise ValueError(f"a reduced plan of {months} months must end before the loan's last "
                         f"installment ({len(future)} left)")
    capitalized = sum((close_at_paid(inst) for inst in closing), ZERO)
    balance = principal + capitalized
    rate = monthly_rate(terms.rate)
    first = future[0]
    # The running month: the principal's interest for the whole month, the arrears' from today.
    started = period_start(installments, first, terms.disbursed_on)
    days = max((first.due_date - started).days, 1)
    days_left = min(max((first.due_date - as_of).days, 0), days)
    first_interest = cents(principal * rate + capitalized * rate * days_left / days)
    status = (InstallmentStatus.DEFERRED if kind == "deferral" else InstallmentStatus.DUE)
    rows = [HardshipRow(first.number + k, add_months(terms.disbursed_on, first.number + k),
                        ZERO, first_interest if k == 0 else cents(balance * rate), status)
            for k in range(months)]
    plan_interest = (sum((row.interest for row in rows), ZERO) if kind == "deferral"
                     else ZERO)
    after = balance + plan_interest
    installment = installment_amount(after, terms.rate, remaining)
    rows += [HardshipRow(row.period, row.due_date, row.principal, row.interest,
                         InstallmentStatus.DUE)
             for row in rows_from_balance(after, terms.rate, installment,
                                          first_period=first.number + months,
                                          start=terms.disbursed_on, max_periods=remaining)]
    return Reschedule(rows=rows, capitalized=capitalized, plan_interest=plan_interest,
                      installment=installment,
                      ends_on=add_months(terms.disbursed_on, first.number + months - 1))


@dataclass
class PlanEnd:
    capitalized: Decimal
    installment: Decimal


def hardship_end(installments: list, *, starts_on: date, ends_on: date,
                 terms: Terms) -> PlanEnd:
    """At a plan's end (DESIGN.md, Hardship): the interest of its months not paid (a
    deferral's, a reduced month's left unpaid) is added to the principal; the plan's rows close
    at what was paid on them (unpaid fees stay due); the untouched rows after it re-amortize at
    the loan's rate over their number from the new balance (what approval computed, when the
    borrower paid as planned). ``terms.outstanding_principal`` is the balance before; the rows
    change in place."""
    plan_rows = [i for i in installments if starts_on < i.due_date <= ends_on
                 and (i.status == InstallmentStatus.DEFERRED or is_open(i))]
    capitalized = sum((close_at_paid(inst) for inst in plan_rows), ZERO)
    later = [i for i in installments if i.due_date > ends_on and is_open(i)]
    untouched = [i for i in later if not i.principal_paid and not i.interest_paid]
    balance = terms.outstanding_principal + capitalized - sum(
        (i.principal - i.principal_paid for i in later if i not in untouched), ZERO)
    if not untouched:  # everything after the plan already paid into: the last row takes it
        last = (later or plan_rows or installments)[-1]
        last.principal += capitalized
        last.total += capitalized
        return PlanEnd(capitalized=capitalized, installment=terms.installment)
    installment = installment_amount(balance, terms.rate, len(untouched))
    rows = rows_from_balance(balance, terms.rate, installment, first_period=untouched[0].number,
                             start=terms.disbursed_on, max_periods=len(untouched))
    for inst, row in zip(untouched, rows, strict=False):
        inst.principal, inst.interest, inst.total = row.principal, row.interest, row.payment
        inst.due_date = row.due_date
    _waive(untouched[len(rows):])
    return PlanEnd(capitalized=capitalized, installment=installment)


# --- Recoveries ---------------------------------------------------------------------------------

COLLECTION_FEE_RATE = Decimal("0.30")


class RecoveryPart(NamedTuple):
    gross: Decimal
    collection_fee: Decimal
    servicing_fee: Decimal
    net: Decimal


def recovery_split(amount: Decimal, weights: list[tuple[int, Decimal]]) -> dict[int, RecoveryPart]:
    """A recovery across the charged-off notes (``weights``: [(note id, principal written
    off)]): the 30% collection fee on the gross amount, the rest split by principal written off
    (largest remainder, ties by note id), then each note's 1% servicing fee on its part. The
    collection fee is split the same way, so each note's gross = its collection fee + its part,
    and every column sums exactly to its total."""
    collection = cents(amount * COLLECTION_FEE_RATE)
    fee_parts = split_largest_remainder(collection, weights)
    rest_parts = split_largest_remainder(amount - collection, weights)
    parts = {}
    for note_id, _ in weights:
        rest = rest_parts[note_id]
        fee = servicing_fee(rest)
        parts[note_id] = RecoveryPart(fee_parts[note_id] + rest, fee_parts[note_id], fee,
                                      rest - fee)
    return parts
