"""The rest of a loan's life (DESIGN.md, "Servicing"): hardship plans decided by two staff
members, and recoveries after charge-off. Each service is one durable transaction that locks
the loan first (as servicing does), re-checks state after the lock and writes an audit row."""

import copy
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.services import audit_record, notification_create
from communitylend.core.errors import ApplicationError, InvalidState, NotFound, PermissionDenied
from communitylend.core.money import ZERO
from investments.market.services import listings_requalify
from investments.models import Note, NoteStatus
from loans.models import Loan, LoanStatus
from payments.ledger import account_for_user, credit, debit, ledger_post, platform_account
from payments.models import AccountKind, HardshipPlan, Installment, Recovery, RecoveryShare
from payments.services import validate_amount

from .allocation import HARDSHIP_MAX_MONTHS, hardship_reschedule, recovery_split
from .selectors import loan_terms, schedule_rows
from .services import INSTALLMENT_FIELDS, DayReport, _lock_loan, _replay, capitalize_interest

HARDSHIP_OPEN_TO = (LoanStatus.ACTIVE, LoanStatus.LATE)  # not in default, charged off, repaid
MAX_REASON = 2000


def _may(user, permission: str) -> bool:
    """Staff with the permission (Administrators and Risk officers; Support only views)."""
    return bool(getattr(user, "is_staff", False) and user.has_perm(permission))


# --- Hardship plans -----------------------------------------------------------------------------


def _check_plan_terms(kind: str, months, reason: str) -> tuple[str, int, str]:
    if kind not in HardshipPlan.Kind.values:
        raise ApplicationError("type must be deferral or reduced", field="type")
    try:
        months = int(months)
    except (TypeError, ValueError):
        raise ApplicationError("months must be a whole number", field="months") from None
    limit = HARDSHIP_MAX_MONTHS[kind]
    if not 1 <= months <= limit:
        raise ApplicationError(f"A {kind} plan lasts 1 to {limit} months", field="months")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Tell us briefly what happened", field="reason")
    if len(reason) > MAX_REASON:
        raise ApplicationError(f"reason can be at most {MAX_REASON} characters",
                               field="reason")
    return kind, months, reason


def _check_fits(loan: Loan, kind: str, months: int, day: date) -> None:
    """Refuse a plan the schedule cannot take (run on copies: nothing changes)."""
    rows = [copy.copy(i) for i in schedule_rows(loan)]
    try:
        hardship_reschedule(rows, kind=kind, months=months, as_of=day, terms=loan_terms(loan))
    except ValueError as exc:
        raise ApplicationError(f"This plan does not fit the loan: {exc}",
                               field="months") from exc


def _check_open_to(loan: Loan) -> None:
    if loan.status not in HARDSHIP_OPEN_TO:
        raise InvalidState(f"A hardship plan is open to active and late loans; this one is "
                           f"{loan.get_status_display().lower()}")


def hardship_request(*, borrower, loan_id: int, kind: str, months, reason: str,
                     as_of: date | None = None) -> HardshipPlan:
    """The borrower asks for a plan; staff decide it in the admin (two of them)."""
    kind, months, reason = _check_plan_terms(kind, months, reason)
    as_of = as_of or timezone.localdate()
    with transaction.atomic(durable=True):
        loan = _lock_loan(loan_id)
        if loan.borrower_id != borrower.pk:
            raise NotFound("Loan not found")
        _replay(loan, through=as_of - timedelta(days=1), report=DayReport())  # its state today
        _check_open_to(loan)
        if HardshipPlan.objects.filter(loan=loan, status__in=HardshipPlan.OPEN).exists():
            raise InvalidState("This loan already has a hardship plan requested or running")
        _check_fits(loan, kind, months, as_of)
        plan = HardshipPlan.objects.create(loan=loan, kind=kind, months=months, reason=reason,
                                           requested_by=borrower)
        audit_record(actor=borrower, event="hardship.requested", target=plan,
                     new={"loan": loan.pk, "type": kind, "months": months})
    return plan


def hardship_decide(*, staff, plan_id: int, decision: str, note: str = "") -> HardshipPlan:
    """The first staff member's decision (approve or reject); a second one confirms it."""
    if not _may(staff, "payments.change_hardshipplan"):
        raise PermissionDenied("Only staff allowed to change hardship plans decide them")
    if decision not in HardshipPlan.Decision.values:
        raise ApplicationError("decision must be approve or reject", field="decision")
    with transaction.atomic(durable=True):
        plan = HardshipPlan.objects.select_for_update().filter(pk=plan_id).first()
        if plan is None:
            raise NotFound("Hardship plan not found")
        if plan.status != HardshipPlan.Status.REQUESTED:
            raise InvalidState(f"This plan is {plan.get_status_display().lower()}, not "
                               "awaiting a decision")
        plan.status = HardshipPlan.Status.AWAITING_CONFIRMATION
        plan.decision, plan.decided_by, plan.decided_at = decision, staff, timezone.now()
        plan.staff_note = (note or "")[:255]
        plan.save(update_fields=["status", "decision", "decided_by", "decided_at",
                                 "staff_note"])
        audit_record(actor=staff, event="hardship.decided", target=plan,
                     old={"status": HardshipPlan.Status.REQUESTED},
                     new={"status": plan.status, "decision": decision})
    return plan


def hardship_confirm(*, staff, plan_id: int, as_of: date | None = None) -> HardshipPlan:
    """A second staff member confirms the decision (four eyes): a rejection closes the plan,
    an approval starts it on ``as_of`` (the loan is first serviced through the day before)."""
    if not _may(staff, "payments.change_hardshipplan"):
        raise PermissionDenied("Only staff allowed to change hardship plans confirm them")
    as_of = as_of or timezone.localdate()
    with transaction.atomic(durable=True):
        found = HardshipPlan.objects.filter(pk=plan_id).first()
        if found is None:
            raise NotFound("Hardship plan not found")
        loan = _lock_loan(found.loan_id)  # the loan first, as servicing locks it
        plan = HardshipPlan.objects.select_for_update().get(pk=plan_id)
        if plan.status != HardshipPlan.Status.AWAITING_CONFIRMATION:
            raise InvalidState(f"This plan is {plan.get_status_display().lower()}, not "
                               "awaiting confirmation")
        if plan.decided_by_id == staff.pk:
            raise PermissionDenied("A second staff member must confirm: you decided this plan")
        old = plan.status
        plan.confirmed_by, plan.confirmed_at = staff, timezone.now()
        if plan.decision == HardshipPlan.Decision.REJECT:
            plan.status = HardshipPlan.Status.REJECTED
        else:
            _replay(loan, through=as_of - timedelta(days=1), report=DayReport())
            _check_open_to(loan)
            _start_plan(loan, plan, as_of)
        plan.save()
        if plan.status == HardshipPlan.Status.ACTIVE:
            # Its notes cannot be sold while the plan runs: a listing is suspended at once (and
            # resumes after the plan ends, at the servicing day's requalification).
            listings_requalify(loan_ids=[loan.pk], as_of=as_of)
        audit_record(actor=staff, event=f"hardship.{plan.status}", target=plan,
                     old={"status": old}, new={"status": plan.status,
                                               "starts_on": plan.starts_on, "ends_on": plan.ends_on,
                                               "capitalized": plan.capitalized})
        _notify_decision(loan, plan)
    return plan


def _start_plan(loan: Loan, plan: HardshipPlan, day: date) -> None:
    rows = schedule_rows(loan, lock=True)
    try:
        result = hardship_reschedule(rows, kind=plan.kind, months=plan.months, as_of=day,
                                     terms=loan_terms(loan))
    except ValueError as exc:
        raise ApplicationError(f"This plan no longer fits the loan: {exc}") from exc
    by_number = {i.number: i for i in rows}
    new = []
    for row in result.rows:
        inst = by_number.get(row.number)
        if inst is None:
            inst = Installment(loan=loan, number=row.number)
            new.append(inst)
        inst.due_date, inst.principal, inst.interest = row.due_date, row.principal, row.interest
        inst.total = row.principal + row.interest
        inst.status = row.status
    Installment.objects.bulk_update(rows, INSTALLMENT_FIELDS)
    Installment.objects.bulk_create(new)
    plan.status = HardshipPlan.Status.ACTIVE
    plan.starts_on, plan.ends_on, plan.capitalized = day, result.ends_on, result.capitalized
    capitalize_interest(loan, result.capitalized, plan=plan, day=day,
                        key=f"hardship:{plan.pk}:start",
                        memo=f"Arrears' interest added to loan #{loan.pk}'s principal "
                             f"(hardship plan #{plan.pk})")
    loan.monthly_payment = result.installment
    loan.days_past_due, loan.status = 0, LoanStatus.ACTIVE
    loan.save(update_fields=["monthly_payment", "days_past_due", "status", "updated_at"])


def _notify_decision(loan: Loan, plan: HardshipPlan) -> None:
    if plan.status == HardshipPlan.Status.REJECTED:
        notification_create(user_id=loan.borrower_id, kind="hardship_rejected",
                            title=f"Your hardship request on loan #{loan.pk} was declined",
                            body=plan.staff_note, url=f"/loans/{loan.pk}/hardship/",
                            dedupe_key=f"hardship:{plan.pk}:rejected")
        return
    what = ("no payment is due" if plan.kind == HardshipPlan.Kind.DEFERRAL
            else "each payment is that month's interest")
    notification_create(user_id=loan.borrower_id, kind="hardship_approved",
                        title=f"Your hardship plan on loan #{loan.pk} is approved",
                        body=f"Until {plan.ends_on:%Y-%m-%d} {what}; no late fees accrue. "
                             f"Then you pay {loan.monthly_payment:,.2f} a month.",
                        url=f"/loans/{loan.pk}/schedule/", dedupe_key=f"hardship:{plan.pk}:on")
    for lender_id in sorted(set(Note.objects.filter(loan=loan, status=NoteStatus.ACTIVE)
                                .values_list("lender_id", flat=True))):
        notification_create(user_id=lender_id, kind="hardship_plan",
                            title=f"Loan #{loan.pk} is under a hardship plan",
                            body=f"A {plan.months}-month {plan.kind} plan runs until "
                                 f"{plan.ends_on:%Y-%m-%d}; the schedule is re-amortized after.",
                            url="/portfolio/", dedupe_key=f"hardship:{plan.pk}:{lender_id}")


# --- Recoveries ---------------------------------------------------------------------------------


def recovery_record(*, staff, loan_id: int, amount, source: str, received_on: date,
                    idempotency_key: str | None = None) -> Recovery:
    """Money recovered on a charged-off loan (the borrower's payment or a debt sale price),
    paid to the notes charged off in proportion to the principal written off, less the 30%
    collection fee and each note's 1% servicing fee; one ledger transaction. A note sold
    before the charge-off was not written off and gets nothing. The same key again returns
    the first recovery."""
    if not _may(staff, "payments.add_recovery"):
        raise PermissionDenied("Only staff allowed to add recoveries record them")
    amount = validate_amount(amount)
    if source not in Recovery.Source.values:
        raise ApplicationError("source must be borrower or debt_sale", field="source")
    if received_on > timezone.localdate():
        raise ApplicationError("receivedOn cannot be in the future", field="received_on")
    key = f"recovery:{loan_id}:{idempotency_key or uuid.uuid4().hex}"[:120]
    with transaction.atomic(durable=True):
        loan = _lock_loan(loan_id)
        existing = Recovery.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if (existing.amount, existing.source, existing.received_on) != (
                    amount, source, received_on):
                raise ApplicationError("Idempotency key reused with different parameters",
                                       field="idempotency_key")
            return existing
        _replay(loan, through=timezone.localdate() - timedelta(days=1), report=DayReport())
        if loan.status != LoanStatus.CHARGED_OFF:
            raise InvalidState(f"Recoveries are for charged-off loans; this one is "
                               f"{loan.get_status_display().lower()}")
        notes = list(Note.objects.select_for_update().filter(
            loan=loan, status=NoteStatus.CHARGED_OFF, charged_off_principal__gt=0)
            .order_by("id"))
        if not notes:
            raise InvalidState("No note of this loan was charged off")
        parts = recovery_split(amount, [(n.pk, n.charged_off_principal) for n in notes])
        collection = sum((p.collection_fee for p in parts.values()), ZERO)
        fees = sum((p.servicing_fee for p in parts.values()), ZERO)
        net_by_lender: dict[int, Decimal] = {}
        for note in notes:
            net_by_lender[note.lender_id] = net_by_lender.get(note.lender_id, ZERO) \
                + parts[note.pk].net
        legs = [debit(platform_account(AccountKind.EXTERNAL_BANK), amount),
                credit(platform_account(AccountKind.PLATFORM_COLLECTION_FEES), collection)]
        if fees > 0:
            legs.append(credit(platform_account(AccountKind.PLATFORM_SERVICING_FEES), fees))
        legs += [credit(account_for_user(lender_id, AccountKind.USER_AVAILABLE), net)
                 for lender_id, net in sorted(net_by_lender.items()) if net > 0]
        txn, _ = ledger_post(kind="recovery", legs=legs, idempotency_key=key,
                             memo=f"Recovery on loan #{loan.pk} ({source})", acting_user=staff)
        recovery = Recovery.objects.create(
            loan=loan, amount=amount, source=source, received_on=received_on,
            collection_fee=collection, servicing_fees=fees, net=amount - collection - fees,
            recorded_by=staff, idempotency_key=key, ledger_transaction=txn)
        RecoveryShare.objects.bulk_create([
            RecoveryShare(recovery=recovery, note=note, gross=parts[note.pk].gross,
                          collection_fee=parts[note.pk].collection_fee,
                          servicing_fee=parts[note.pk].servicing_fee, net=parts[note.pk].net)
            for note in notes])
        audit_record(actor=staff, event="loan.recovery", target=recovery,
                     new={"loan": loan.pk, "amount": amount, "source": source,
                          "collection_fee": collection, "servicing_fees": fees})
        for lender_id, net in sorted(net_by_lender.items()):
            notification_create(user_id=lender_id, kind="recovery",
                                title=f"Recovery on charged-off loan #{loan.pk}",
                                body=f"{net:,.2f} was paid to your wallet.", url="/portfolio/",
                                dedupe_key=f"recovery:{recovery.pk}:{lender_id}")
    return recovery
